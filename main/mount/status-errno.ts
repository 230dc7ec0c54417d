// The one table from NTSTATUS (MS-ERREF 2.3.1) to POSIX errno for everything the mount answers the
// kernel, as data. For every status SMB1's error table (protocol/smb1/dos-errors.ts, MS-CIFS
// 2.2.2.4) gives a POSIX equivalent for, the errno is taken from there: one data source, so a
// status means the same errno whichever dialect sent it (issue 11). POSIX_OVERRIDES lists, with
// the reason, the few where a POSIX program would be misled by that column (MS-CIFS calls it
// non-normative, "based upon the Xenix server"). OWN_ROWS covers the statuses that table gives no
// errno for, chosen as Linux's cifs client and Samba's map_errno_from_nt_status do. Errors that
// are not server statuses (connection lost, deadline, malformed answers) map by toFsError below.
import { DOS_ERROR_TABLE, NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { ERRNO_NAMES, FsError, type ErrnoName } from './errno.js';

export type StatusErrnoRow = readonly [statusName: string, status: number, errno: ErrnoName];

/** Where the mount answers otherwise than MS-CIFS 2.2.2.4's POSIX column, and why. */
export const POSIX_OVERRIDES: readonly (readonly [statusName: string, status: number, errno: ErrnoName, why: string])[] = [
  // The table says EPERM. `Permission denied` is what a POSIX program and its user expect for a
  // file they may not touch (issue 10; cifs says EACCES too); EPERM reads as "never allowed".
  ['STATUS_ACCESS_DENIED', 0xc0000022, 'EACCES', 'EACCES is "you may not", EPERM "nobody may"'],
  // The table says EPERM. A file being deleted (delete on close pending) is gone for every new open.
  ['STATUS_DELETE_PENDING', 0xc0000056, 'ENOENT', 'the file is being deleted: gone for new opens'],
  // The table says ETXTBSY, which POSIX keeps for an executable being run or written (issue 10: EBUSY).
  ['STATUS_SHARING_VIOLATION', 0xc0000043, 'EBUSY', 'ETXTBSY is for executables; another program has the file open'],
  // The table says ENOSYS. Answered to FUSE, ENOSYS makes the kernel stop sending that operation at all.
  ['STATUS_NOT_SUPPORTED', 0xc00000bb, 'EOPNOTSUPP', 'ENOSYS makes the kernel give up the FUSE operation for good'],
  // The table says E2BIG ("Argument list too long"): about exec's arguments, not a data error.
  ['STATUS_DEVICE_DATA_ERROR', 0xc000009c, 'EIO', 'E2BIG is about argument lists'],
  // The table says EUCLEAN ("Structure needs cleaning"): it would send a user to fsck their own disk.
  ['STATUS_NO_MEDIA_IN_DEVICE', 0xc0000013, 'EIO', 'EUCLEAN would mean the local file system is damaged'],
];

/** Statuses SMB1's table gives no POSIX equivalent for (most are SMB 2/3 era). */
export const OWN_ROWS: readonly StatusErrnoRow[] = [
  // A path component is a file, not a folder.
  ['STATUS_NOT_A_DIRECTORY', 0xc0000103, 'ENOTDIR'],
  // A name the server's file system cannot hold (`:` `*` `?` …): EINVAL, not cifs's ENOENT, so
  // `cp` says "Invalid argument" instead of pretending the target folder is missing.
  ['STATUS_OBJECT_NAME_INVALID', 0xc0000033, 'EINVAL'],
  ['STATUS_NAME_TOO_LONG', 0xc0000106, 'ENAMETOOLONG'],
  ['STATUS_LOGON_FAILURE', 0xc000006d, 'EACCES'],
  ['STATUS_DUPLICATE_NAME', 0xc00000bd, 'EEXIST'],
  ['STATUS_QUOTA_EXCEEDED', 0xc0000044, 'EDQUOT'],
  ['STATUS_DISK_QUOTA_EXCEEDED', 0xc0000802, 'EDQUOT'],
  ['STATUS_FILE_TOO_LARGE', 0xc0000904, 'EFBIG'],
  ['STATUS_INVALID_INFO_CLASS', 0xc0000003, 'EOPNOTSUPP'],
  ['STATUS_EAS_NOT_SUPPORTED', 0xc000004f, 'EOPNOTSUPP'],
  // Samba's answer for a Unix symlink it will not follow; we cannot show it as one.
  ['STATUS_STOPPED_ON_SYMLINK', 0x8000002d, 'EOPNOTSUPP'],
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

/** SMB1's rows with a POSIX equivalent this module knows, the first row of each status (its reading). */
export function dosErrnoRows(): StatusErrnoRow[] {
  const seen = new Set<number>();
  const rows: StatusErrnoRow[] = [];
  for (const r of DOS_ERROR_TABLE) {
    if (r.errno === undefined || seen.has(r.ntStatus) || !ERRNO_NAMES.has(r.errno)) continue;
    seen.add(r.ntStatus);
    rows.push([r.ntStatusName, r.ntStatus, r.errno as ErrnoName]);
  }
  return rows;
}

function buildTable(): StatusErrnoRow[] {
  const rows = new Map<number, StatusErrnoRow>();
  for (const row of dosErrnoRows()) rows.set(row[1] >>> 0, row);
  for (const row of OWN_ROWS) if (!rows.has(row[1] >>> 0)) rows.set(row[1] >>> 0, row);
  for (const [name, status, e] of POSIX_OVERRIDES) rows.set(status >>> 0, [name, status, e]);
  return [...rows.values()];
}

export const STATUS_ERRNO: readonly StatusErrnoRow[] = buildTable();

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
