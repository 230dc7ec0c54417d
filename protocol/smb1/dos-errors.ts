// One table, as data, for the SMB1 error space (MS-CIFS 2.2.2.4 "SMB Error Classes and Codes"):
// SMBSTATUS class/code (what a server without CAP_STATUS32 sends, MS-CIFS 2.2.1.5) → NTSTATUS
// (MS-ERREF 2.3.1, what SMB2 and CAP_STATUS32 servers send) → a POSIX errno.
//
// A DOS code may stand for several NTSTATUS values; its first row is the one a DOS error is read
// as. The errno belongs to the NTSTATUS (ERRbadpath reads as STATUS_OBJECT_PATH_SYNTAX_BAD, ENOENT;
// STATUS_OBJECT_PATH_INVALID is ENOTDIR). MS-CIFS calls the POSIX column non-normative ("based upon
// the Xenix server"); it is used as given, so a user sees the same names and codes whatever the
// dialect, and a mount reports the same errno.
//
// Checked row by row against MS-CIFS 2.2.2.4 (class, code, the NTSTATUS values listed for it, in the
// spec's order). Where an NTSTATUS is listed under two pairs (STATUS_SHARING_VIOLATION under ERRDOS and
// ERRHRD) it maps back to its first row. The errno column follows the spec where it gives one and the
// per-command error tables otherwise (they disagree among themselves: ERRnoaccess is EACCES for some
// commands and EPERM for others).
//
// The "CIFS-specific" NTSTATUS values (STATUS_SMB_BAD_TID 0x00050002 …) are wire-identical to their
// SMBSTATUS pair: class in the low byte, code in the high 16 bits (MS-CIFS 2.2.1.5).

export const ERRDOS = 0x01;
export const ERRSRV = 0x02;
export const ERRHRD = 0x03;
export const ERRCMD = 0xff;

export type DosErrorClass = 'ERRDOS' | 'ERRSRV' | 'ERRHRD';
const CLASS_VALUE: Record<DosErrorClass, number> = { ERRDOS, ERRSRV, ERRHRD };

export interface DosErrorRow {
  errorClass: DosErrorClass;
  /** The SMBSTATUS ErrorCode. */
  code: number;
  /** The spec's name for the code (ERRbadfile, …). */
  codeName: string;
  ntStatus: number;
  ntStatusName: string;
  /** POSIX equivalent, when the table gives one. */
  errno?: string;
}

type Row = [DosErrorClass, number, string, number, string, string?];

// prettier-ignore
const ROWS: readonly Row[] = [
  ['ERRDOS', 0x0001, 'ERRbadfunc', 0xc0000002, 'STATUS_NOT_IMPLEMENTED', 'EINVAL'],
  ['ERRDOS', 0x0001, 'ERRbadfunc', 0xc0000010, 'STATUS_INVALID_DEVICE_REQUEST', 'EINVAL'],
  ['ERRDOS', 0x0001, 'ERRbadfunc', 0xc00000af, 'STATUS_ILLEGAL_FUNCTION', 'EINVAL'],
  ['ERRDOS', 0x0002, 'ERRbadfile', 0xc000000f, 'STATUS_NO_SUCH_FILE', 'ENOENT'],
  ['ERRDOS', 0x0002, 'ERRbadfile', 0xc000000e, 'STATUS_NO_SUCH_DEVICE', 'ENOENT'],
  ['ERRDOS', 0x0002, 'ERRbadfile', 0xc0000034, 'STATUS_OBJECT_NAME_NOT_FOUND', 'ENOENT'],
  ['ERRDOS', 0x0003, 'ERRbadpath', 0xc000003b, 'STATUS_OBJECT_PATH_SYNTAX_BAD', 'ENOENT'],
  ['ERRDOS', 0x0003, 'ERRbadpath', 0xc0000039, 'STATUS_OBJECT_PATH_INVALID', 'ENOTDIR'],
  ['ERRDOS', 0x0003, 'ERRbadpath', 0xc000003a, 'STATUS_OBJECT_PATH_NOT_FOUND', 'ENOENT'],
  ['ERRDOS', 0x0004, 'ERRnofids', 0xc000011f, 'STATUS_TOO_MANY_OPENED_FILES', 'ENFILE'],
  ['ERRDOS', 0x0005, 'ERRnoaccess', 0xc0000022, 'STATUS_ACCESS_DENIED', 'EPERM'],
  ['ERRDOS', 0x0005, 'ERRnoaccess', 0xc0000056, 'STATUS_DELETE_PENDING', 'EPERM'],
  ['ERRDOS', 0x0005, 'ERRnoaccess', 0xc0000061, 'STATUS_PRIVILEGE_NOT_HELD', 'EPERM'],
  ['ERRDOS', 0x0005, 'ERRnoaccess', 0xc00000ba, 'STATUS_FILE_IS_A_DIRECTORY', 'EISDIR'],
  ['ERRDOS', 0x0005, 'ERRnoaccess', 0xc0000121, 'STATUS_CANNOT_DELETE', 'EPERM'],
  ['ERRDOS', 0x0006, 'ERRbadfid', 0xc0000008, 'STATUS_INVALID_HANDLE', 'EBADF'],
  ['ERRDOS', 0x0006, 'ERRbadfid', 0x00060001, 'STATUS_SMB_BAD_FID', 'EBADF'],
  ['ERRDOS', 0x0006, 'ERRbadfid', 0xc0000128, 'STATUS_FILE_CLOSED', 'EBADF'],
  ['ERRDOS', 0x0008, 'ERRnomem', 0xc0000205, 'STATUS_INSUFF_SERVER_RESOURCES', 'ENOMEM'],
  ['ERRDOS', 0x000c, 'ERRbadaccess', 0x000c0001, 'STATUS_OS2_INVALID_ACCESS'],
  // MS-CIFS 2.2.2.4 gives ERRbaddata the value 0xC000009C under the name STATUS_DATA_ERROR (MS-ERREF
  // calls 0xC000009C STATUS_DEVICE_DATA_ERROR); 0xC000003E, MS-ERREF's STATUS_DATA_ERROR, is ERRHRD/ERRdata.
  ['ERRDOS', 0x000d, 'ERRbaddata', 0xc000009c, 'STATUS_DEVICE_DATA_ERROR', 'E2BIG'],
  ['ERRDOS', 0x0010, 'ERRremcd', 0xc0000101, 'STATUS_DIRECTORY_NOT_EMPTY', 'ENOTEMPTY'],
  ['ERRDOS', 0x0011, 'ERRdiffdevice', 0xc00000d4, 'STATUS_NOT_SAME_DEVICE', 'EXDEV'],
  ['ERRDOS', 0x0012, 'ERRnofiles', 0x80000006, 'STATUS_NO_MORE_FILES'],
  ['ERRDOS', 0x001f, 'ERRgeneral', 0xc0000001, 'STATUS_UNSUCCESSFUL'],
  ['ERRDOS', 0x0020, 'ERRbadshare', 0xc0000043, 'STATUS_SHARING_VIOLATION', 'ETXTBSY'],
  ['ERRDOS', 0x0021, 'ERRlock', 0xc0000054, 'STATUS_FILE_LOCK_CONFLICT', 'EACCES'],
  ['ERRDOS', 0x0021, 'ERRlock', 0xc0000055, 'STATUS_LOCK_NOT_GRANTED', 'EACCES'],
  ['ERRDOS', 0x0026, 'ERReof', 0xc0000011, 'STATUS_END_OF_FILE'],
  ['ERRDOS', 0x0032, 'ERRunsup', 0xc00000bb, 'STATUS_NOT_SUPPORTED', 'ENOSYS'],
  ['ERRDOS', 0x0050, 'ERRfilexists', 0xc0000035, 'STATUS_OBJECT_NAME_COLLISION', 'EEXIST'],
  ['ERRDOS', 0x0057, 'ERRinvalidparam', 0xc000000d, 'STATUS_INVALID_PARAMETER', 'EINVAL'],
  ['ERRDOS', 0x007c, 'ERRunknownlevel', 0x007c0001, 'STATUS_OS2_INVALID_LEVEL', 'EINVAL'],
  ['ERRDOS', 0x0083, 'ERRinvalidseek', 0x00830001, 'STATUS_OS2_NEGATIVE_SEEK'],
  // Not in MS-CIFS's list, but what Windows and Samba send for a non-empty folder without
  // CAP_STATUS32 (ERROR_DIR_NOT_EMPTY, 145). It reads as STATUS_DIRECTORY_NOT_EMPTY; that status
  // maps back to the spec's pair, ERRremcd (the row above wins: first row of a status).
  ['ERRDOS', 0x0091, 'ERRdirnotempty', 0xc0000101, 'STATUS_DIRECTORY_NOT_EMPTY', 'ENOTEMPTY'],
  ['ERRDOS', 0x00e6, 'ERRbadpipe', 0xc00000ad, 'STATUS_INVALID_PIPE_STATE', 'EPIPE'],
  ['ERRDOS', 0x00e7, 'ERRpipebusy', 0xc00000ae, 'STATUS_PIPE_BUSY', 'EBUSY'],
  ['ERRDOS', 0x00e9, 'ERRnotconnected', 0xc00000b0, 'STATUS_PIPE_DISCONNECTED', 'EPIPE'],
  ['ERRDOS', 0x00ea, 'ERRmoredata', 0x80000005, 'STATUS_BUFFER_OVERFLOW'],
  ['ERRSRV', 0x0001, 'ERRerror', 0x00010002, 'STATUS_INVALID_SMB'],
  ['ERRSRV', 0x0002, 'ERRbadpw', 0xc000006a, 'STATUS_WRONG_PASSWORD', 'EACCES'],
  ['ERRSRV', 0x0003, 'ERRbadpath', 0xc0000257, 'STATUS_PATH_NOT_COVERED'],
  ['ERRSRV', 0x0004, 'ERRaccess', 0xc00000ca, 'STATUS_NETWORK_ACCESS_DENIED', 'EACCES'],
  ['ERRSRV', 0x0005, 'ERRinvtid', 0x00050002, 'STATUS_SMB_BAD_TID'],
  ['ERRSRV', 0x0005, 'ERRinvtid', 0xc00000c9, 'STATUS_NETWORK_NAME_DELETED'],
  ['ERRSRV', 0x0006, 'ERRinvnetname', 0xc00000cc, 'STATUS_BAD_NETWORK_NAME', 'ENOENT'],
  ['ERRSRV', 0x0007, 'ERRinvdevice', 0xc00000cb, 'STATUS_BAD_DEVICE_TYPE'],
  ['ERRSRV', 0x0016, 'ERRbadcmd', 0x00160002, 'STATUS_SMB_BAD_COMMAND'],
  ['ERRSRV', 0x0059, 'ERRnoresource', 0xc00000d0, 'STATUS_REQUEST_NOT_ACCEPTED'],
  ['ERRSRV', 0x005a, 'ERRtoomanyuids', 0xc00000ce, 'STATUS_TOO_MANY_SESSIONS'],
  ['ERRSRV', 0x005b, 'ERRbaduid', 0x005b0002, 'STATUS_SMB_BAD_UID'],
  ['ERRSRV', 0x08bf, 'ERRaccountExpired', 0xc0000193, 'STATUS_ACCOUNT_EXPIRED'],
  ['ERRSRV', 0x08bf, 'ERRaccountExpired', 0xc0000072, 'STATUS_ACCOUNT_DISABLED'],
  ['ERRSRV', 0x08c0, 'ERRbadClient', 0xc0000070, 'STATUS_INVALID_WORKSTATION'],
  ['ERRSRV', 0x08c1, 'ERRbadLogonTime', 0xc000006f, 'STATUS_INVALID_LOGON_HOURS'],
  ['ERRSRV', 0x08c2, 'ERRpasswordExpired', 0xc0000071, 'STATUS_PASSWORD_EXPIRED'],
  ['ERRSRV', 0x08c2, 'ERRpasswordExpired', 0xc0000224, 'STATUS_PASSWORD_MUST_CHANGE'],
  ['ERRSRV', 0xffff, 'ERRnosupport', 0xffff0002, 'STATUS_SMB_NO_SUPPORT'],
  ['ERRHRD', 0x0013, 'ERRnowrite', 0xc00000a2, 'STATUS_MEDIA_WRITE_PROTECTED', 'EROFS'],
  ['ERRHRD', 0x0015, 'ERRnotready', 0xc0000013, 'STATUS_NO_MEDIA_IN_DEVICE', 'EUCLEAN'],
  ['ERRHRD', 0x0016, 'ERRbadcmd', 0xc0000184, 'STATUS_INVALID_DEVICE_STATE'],
  ['ERRHRD', 0x0017, 'ERRdata', 0xc000003e, 'STATUS_DATA_ERROR', 'EIO'],
  ['ERRHRD', 0x0017, 'ERRdata', 0xc000003f, 'STATUS_CRC_ERROR', 'EIO'],
  ['ERRHRD', 0x001a, 'ERRbadmedia', 0xc0000032, 'STATUS_DISK_CORRUPT_ERROR'],
  ['ERRHRD', 0x001b, 'ERRbadsector', 0xc0000015, 'STATUS_NONEXISTENT_SECTOR'],
  ['ERRHRD', 0x001c, 'ERRnopaper', 0x8000000e, 'STATUS_DEVICE_PAPER_EMPTY'],
  // The same status under ERRHRD as well (MS-CIFS 2.2.2.4); it maps back to ERRDOS/ERRbadshare.
  ['ERRHRD', 0x0020, 'ERRbadshare', 0xc0000043, 'STATUS_SHARING_VIOLATION', 'ETXTBSY'],
  ['ERRHRD', 0x0022, 'ERRwrongdisk', 0xc0000012, 'STATUS_WRONG_VOLUME'],
  ['ERRHRD', 0x0027, 'ERRdiskfull', 0xc000007f, 'STATUS_DISK_FULL', 'ENOSPC'],
];

export const DOS_ERROR_TABLE: readonly DosErrorRow[] = ROWS.map(([errorClass, code, codeName, ntStatus, ntStatusName, errno]) => ({
  errorClass,
  code,
  codeName,
  ntStatus: ntStatus >>> 0,
  ntStatusName,
  ...(errno === undefined ? {} : { errno }),
}));

const key = (cls: number, code: number): number => cls * 0x10000 + code;
const byDos = new Map<number, DosErrorRow>();
const byStatus = new Map<number, DosErrorRow>();
for (const row of DOS_ERROR_TABLE) {
  const k = key(CLASS_VALUE[row.errorClass], row.code);
  if (!byDos.has(k)) byDos.set(k, row); // the first row of a code is how it reads
  if (!byStatus.has(row.ntStatus)) byStatus.set(row.ntStatus, row);
}

/** The raw Status word of a DOS pair (MS-CIFS 2.2.1.5: class, reserved, code). */
export function dosStatusWord(errorClass: number, errorCode: number): number {
  return ((errorCode << 16) | (errorClass & 0xff)) >>> 0;
}

/**
 * The NTSTATUS a DOS error class/code stands for. SUCCESS (class 0) is STATUS_SUCCESS; a pair
 * the table does not list keeps its wire value, which MS-CIFS defines as an NTSTATUS of its own.
 */
export function dosToNtStatus(errorClass: number, errorCode: number): number {
  if (errorClass === 0) return 0;
  return byDos.get(key(errorClass, errorCode))?.ntStatus ?? dosStatusWord(errorClass, errorCode);
}

/** The row of an NTSTATUS (its DOS pair, names, errno), if the table has it. */
export function dosRowForStatus(status: number): DosErrorRow | undefined {
  return byStatus.get(status >>> 0);
}

/** POSIX errno name for an NTSTATUS, from the same table (undefined when it gives none). */
export function errnoForStatus(status: number): string | undefined {
  return byStatus.get(status >>> 0)?.errno;
}

/** The spec's name of a status from this table (STATUS_SMB_BAD_TID …), when it has one. */
export function smb1StatusName(status: number): string | undefined {
  return byStatus.get(status >>> 0)?.ntStatusName;
}
