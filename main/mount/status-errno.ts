// The one table from NTSTATUS (MS-ERREF 2.3.1) to POSIX errno for everything the mount answers the
// kernel, as data: each row names the status, gives its value (so statuses the protocol layer does
// not name yet can be listed too), and the errno. Chosen as Linux's cifs client (smb2maperror.c)
// and Samba's own map_errno_from_nt_status do, except where a POSIX program would be misled (noted).
// Errors that are not server statuses (connection lost, deadline, malformed answers) are mapped by
// errnoForError below. SMB1's DOS errors (protocol/smb1) map to NTSTATUS first and then through here.
import { NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { FsError, type ErrnoName } from './errno.js';

export type StatusErrnoRow = readonly [statusName: string, status: number, errno: ErrnoName];

export const STATUS_ERRNO: readonly StatusErrnoRow[] = [
  ['STATUS_OBJECT_NAME_NOT_FOUND', 0xc0000034, 'ENOENT'],
  ['STATUS_OBJECT_PATH_NOT_FOUND', 0xc000003a, 'ENOENT'],
  ['STATUS_NO_SUCH_FILE', 0xc000000f, 'ENOENT'],
  // A file being deleted is gone for every new open (delete on close pending).
  ['STATUS_DELETE_PENDING', 0xc0000056, 'ENOENT'],
  ['STATUS_BAD_NETWORK_NAME', 0xc00000cc, 'ENOENT'],
  // A path component is a file, not a folder.
  ['STATUS_OBJECT_PATH_INVALID', 0xc0000039, 'ENOTDIR'],
  ['STATUS_NOT_A_DIRECTORY', 0xc0000103, 'ENOTDIR'],
  ['STATUS_FILE_IS_A_DIRECTORY', 0xc00000ba, 'EISDIR'],
  // A name the server's file system cannot hold (`:` `*` `?` …): EINVAL, not cifs's ENOENT, so
  // `cp` says "Invalid argument" instead of pretending the target folder is missing.
  ['STATUS_OBJECT_NAME_INVALID', 0xc0000033, 'EINVAL'],
  ['STATUS_OBJECT_PATH_SYNTAX_BAD', 0xc000003b, 'EINVAL'],
  ['STATUS_NAME_TOO_LONG', 0xc0000106, 'ENAMETOOLONG'],
  ['STATUS_ACCESS_DENIED', 0xc0000022, 'EACCES'],
  ['STATUS_NETWORK_ACCESS_DENIED', 0xc00000ca, 'EACCES'],
  ['STATUS_CANNOT_DELETE', 0xc0000121, 'EACCES'],
  ['STATUS_LOGON_FAILURE', 0xc000006d, 'EACCES'],
  ['STATUS_PRIVILEGE_NOT_HELD', 0xc0000061, 'EPERM'],
  ['STATUS_OBJECT_NAME_COLLISION', 0xc0000035, 'EEXIST'],
  ['STATUS_DUPLICATE_NAME', 0xc00000bd, 'EEXIST'],
  ['STATUS_DIRECTORY_NOT_EMPTY', 0xc0000101, 'ENOTEMPTY'],
  ['STATUS_SHARING_VIOLATION', 0xc0000043, 'EBUSY'],
  ['STATUS_FILE_LOCK_CONFLICT', 0xc0000054, 'EAGAIN'],
  ['STATUS_LOCK_NOT_GRANTED', 0xc0000055, 'EAGAIN'],
  ['STATUS_DISK_FULL', 0xc000007f, 'ENOSPC'],
  ['STATUS_QUOTA_EXCEEDED', 0xc0000044, 'EDQUOT'],
  ['STATUS_DISK_QUOTA_EXCEEDED', 0xc0000802, 'EDQUOT'],
  ['STATUS_FILE_TOO_LARGE', 0xc0000904, 'EFBIG'],
  ['STATUS_MEDIA_WRITE_PROTECTED', 0xc00000a2, 'EROFS'],
  ['STATUS_INVALID_PARAMETER', 0xc000000d, 'EINVAL'],
  ['STATUS_INVALID_HANDLE', 0xc0000008, 'EBADF'],
  ['STATUS_FILE_CLOSED', 0xc0000128, 'EBADF'],
  ['STATUS_NOT_IMPLEMENTED', 0xc0000002, 'ENOSYS'],
  ['STATUS_NOT_SUPPORTED', 0xc00000bb, 'EOPNOTSUPP'],
  ['STATUS_INVALID_DEVICE_REQUEST', 0xc0000010, 'EOPNOTSUPP'],
  ['STATUS_INVALID_INFO_CLASS', 0xc0000003, 'EOPNOTSUPP'],
  ['STATUS_EAS_NOT_SUPPORTED', 0xc000004f, 'EOPNOTSUPP'],
  // Samba's answer for a Unix symlink it will not follow; we cannot show it as one.
  ['STATUS_STOPPED_ON_SYMLINK', 0x8000002d, 'EOPNOTSUPP'],
  ['STATUS_NOT_SAME_DEVICE', 0xc00000d4, 'EXDEV'],
  ['STATUS_TOO_MANY_OPENED_FILES', 0xc000011f, 'EMFILE'],
  ['STATUS_NO_MEMORY', 0xc0000017, 'ENOMEM'],
  // The server is short of something for now: try again, as cifs says.
  ['STATUS_INSUFFICIENT_RESOURCES', 0xc000009a, 'EAGAIN'],
  ['STATUS_REQUEST_NOT_ACCEPTED', 0xc00000d0, 'EAGAIN'],
  ['STATUS_IO_TIMEOUT', 0xc00000b5, 'ETIMEDOUT'],
  ['STATUS_CANCELLED', 0xc0000120, 'EINTR'],
  ['STATUS_PIPE_BROKEN', 0xc000014b, 'EPIPE'],
  ['STATUS_PATH_NOT_COVERED', 0xc0000257, 'EREMOTE'],
  // The server ended our session or tree: the handle is gone, the drive reconnects.
  ['STATUS_NETWORK_NAME_DELETED', 0xc00000c9, 'EIO'],
  ['STATUS_USER_SESSION_DELETED', 0xc0000203, 'EIO'],
  ['STATUS_NETWORK_SESSION_EXPIRED', 0xc000035c, 'EIO'],
  // Whatever reaches the server's host: the drive is down, not the file.
  ['STATUS_HOST_UNREACHABLE', 0xc000023d, 'EHOSTDOWN'],
  ['STATUS_NETWORK_UNREACHABLE', 0xc000023c, 'EHOSTDOWN'],
  ['STATUS_CONNECTION_REFUSED', 0xc0000236, 'EHOSTDOWN'],
  ['STATUS_CONNECTION_RESET', 0xc000020d, 'EHOSTDOWN'],
  ['STATUS_CONNECTION_DISCONNECTED', 0xc000020c, 'EHOSTDOWN'],
];

const byStatus = new Map<number, ErrnoName>(STATUS_ERRNO.map(([, status, e]) => [status >>> 0, e]));

/** The errno for an NTSTATUS; EIO for one the table does not list. */
export function errnoForStatus(status: number): ErrnoName {
  return byStatus.get(status >>> 0) ?? 'EIO';
}

/** Errors that are not a server's status, by SmbError code. */
const BY_CODE: Record<SmbError['code'], ErrnoName> = {
  status: 'EIO',
  auth: 'EACCES',
  malformed: 'EIO',
  transport: 'EHOSTDOWN',
  timeout: 'ETIMEDOUT',
  unsupported: 'EOPNOTSUPP',
  security: 'EACCES',
  cancelled: 'EINTR',
};

/** Any error an operation met, as the FsError the kernel gets (an FsError passes through). */
export function toFsError(e: unknown, what: string): FsError {
  if (e instanceof FsError) return e;
  if (e instanceof SmbStatusError) return new FsError(errnoForStatus(e.status), `${what}: ${e.statusName}`, { cause: e });
  if (e instanceof SmbError) return new FsError(BY_CODE[e.code], `${what}: ${e.message}`, { cause: e });
  return new FsError('EIO', `${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** Whether the protocol layer names this status the same (used by the table's test). */
export function protocolStatusValue(name: string): number | undefined {
  return (NtStatus as Record<string, number | undefined>)[name];
}
