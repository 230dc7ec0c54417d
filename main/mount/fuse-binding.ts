// The seam between our file system (plain TypeScript, smb-fs.ts) and a native FUSE module. The
// file system implements FsOps: every call resolves with its result or rejects with an FsError
// (errno). A FuseBinding mounts FsOps at a folder; native-own.ts adapts our libfuse 3 addon,
// native-fuse.ts the npm module fuse-native (load-fuse.ts picks), the tests use a fake that calls
// FsOps the way the kernel would.

/** What getattr and readdir report for one entry (FUSE's struct stat, the fields we fill). */
export interface FuseStat {
  /** S_IFDIR | S_IFREG with permission bits. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  nlink: number;
  blocks: number;
  blksize: number;
  atime: Date;
  mtime: Date;
  ctime: Date;
}

/** statvfs(3) fields, in `bsize` units. */
export interface FuseStatfs {
  bsize: number;
  frsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
  favail: number;
  fsid: number;
  flag: number;
  namemax: number;
}

export interface FsOps {
  getattr(path: string): Promise<FuseStat>;
  /** Names and their attributes from one listing (so `ls -l` needs no further round trip). */
  readdir(path: string): Promise<{ names: string[]; stats: FuseStat[] }>;
  /** Returns the file handle number the later calls name. `flags` as open(2). */
  open(path: string, flags: number): Promise<number>;
  create(path: string, mode: number, flags?: number): Promise<number>;
  /** Fills `buf` from `position`; returns the bytes given (fewer only at end of file). */
  read(path: string, fd: number, buf: Buffer, length: number, position: number): Promise<number>;
  /** Takes `length` bytes of `buf` (which the caller reuses afterwards: copy what is kept). */
  write(path: string, fd: number, buf: Buffer, length: number, position: number): Promise<number>;
  /** close(2) of one descriptor: pending writes reach the server, their errors are reported here. */
  flush(path: string, fd: number): Promise<void>;
  fsync(path: string, fd: number, datasync: boolean): Promise<void>;
  /** The last reference is gone: close the server's handle. */
  release(path: string, fd: number): Promise<void>;
  truncate(path: string, size: number): Promise<void>;
  ftruncate(path: string, fd: number, size: number): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** POSIX rename: an existing destination is replaced. */
  rename(from: string, to: string): Promise<void>;
  /** Times in ms since the epoch; NaN for one not to change. */
  utimens(path: string, atimeMs: number, mtimeMs: number): Promise<void>;
  statfs(path: string): Promise<FuseStatfs>;
  /** access(2): F_OK / R_OK / W_OK / X_OK bits. */
  access(path: string, mode: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
}

export interface FuseMountOptions {
  /** Shown in /proc/mounts as the source (e.g. //host/share). */
  fsName: string;
  /** The `fuse.<subtype>` type in /proc/mounts. */
  subtype: string;
  /** Kernel attribute and entry cache, seconds. */
  attrTimeoutS?: number;
  entryTimeoutS?: number;
  /** Largest WRITE the kernel sends us (big_writes). */
  maxWrite?: number;
  /** Deadline the native layer itself puts on a call we never answer (a backstop; ours are shorter). */
  backstopTimeoutMs?: number;
}

export interface FuseMount {
  readonly mountPoint: string;
  /** Unmounts (lazily if the folder is busy) and stops serving. Idempotent. */
  unmount(): Promise<void>;
  /**
   * The kernel forgets the attributes and pages it caches for `path` (a mount path, '/a/b'), so the
   * next stat or read asks us instead of showing what another client changed for up to the
   * attribute timeout. Queued, never waited for (the kernel may first need an answer from this
   * very thread). False when the binding cannot (fuse-native) or the mount is not serving; the
   * kernel's cache then lasts its own attrTimeoutS. The binding's one cache operation: it sits on
   * the mount because a path means nothing without one.
   */
  invalidatePath(path: string): boolean;
}

export interface FuseBinding {
  /** 'sharekeeper-fuse3' (ours), 'fuse-native', '@cocalc/fuse-native', or 'fake'. */
  readonly name: string;
  mount(mountPoint: string, ops: FsOps, opts: FuseMountOptions): Promise<FuseMount>;
}

export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;
export const S_IFMT = 0o170000;
