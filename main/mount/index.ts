// Public surface of main/mount: drives mounted as folders (FUSE on Linux) or as the OS's own
// mappings (Windows, macOS), owned by the supervisor of the process that mounts them.
export { createMountBackend, createMountManager, MountUnsupportedError, type CreateMountsOptions } from './create-mounts.js';
export { MountManager, MountBusyError, type MountManagerOptions } from './mount-manager.js';
export type { MountBackend, MountedHandle, MountTarget } from './backend.js';
export { FuseBackend, fsNameOf, type FuseBackendOptions } from './fuse-backend.js';
export { OsMappingBackend, BROKEN, type OsMappingBackendOptions } from './os-mapping-backend.js';
export { SmbFileSystem, probeReadOnly, type SmbFsOptions } from './smb-fs.js';
export { loadFuseBinding, fuseChoice, type FuseChoice } from './load-fuse.js';
export type { FsOps, FuseBinding, FuseMount, FuseMountOptions, FuseStat, FuseStatfs } from './fuse-binding.js';
export { defaultMountPoint, folderName, prepareMountPoint, MountPointError } from './mount-point.js';
export { FUSE_TYPE, ourMountAt, readMounts, parseMountInfo, unmountFuse, type MountEntry } from './mount-table.js';
export { lockPath, readMountLock, takeMountLock, processAlive, type MountLockInfo } from './mount-lock.js';
export { supervisorLink, type SupervisorForMounts } from './supervisor-link.js';
export type { DriveLink, GateTimings } from './drive-link.js';
export { STATUS_ERRNO, errnoForStatus, toFsError } from './status-errno.js';
export { FsError, errno, type ErrnoName } from './errno.js';
