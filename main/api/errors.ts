// Anything a service throws becomes ApiError data here, once, in words a person understands
// ("Access denied", "Wrong user name or password"), with the NTSTATUS name and the technical line
// kept in `status` / `detail` (STYLE.md "Errors": never lose the status on the way).
import { NtStatus, ntStatusName, SmbError, SmbStatusError } from '../../protocol/index.js';
import { CredentialError } from '../credentials/index.js';
import { DriveError, DriveValidationError } from '../drives/index.js';
import { DriveUnavailableError, UnknownDriveError } from '../supervisor/index.js';
import { TransferError, type JobError } from '../transfers/index.js';
import { ApiValidationError } from './schema.js';
import type { ApiError, ApiErrorCode } from './views.js';

/** An error the API service raises itself, already in the contract's terms. */
export class ApiFailure extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { path?: string; detail?: string; status?: string } = {},
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const STATUS_WORDS: ReadonlyMap<number, [ApiErrorCode, string]> = new Map([
  [NtStatus.STATUS_ACCESS_DENIED, ['access-denied', 'Access denied']],
  [NtStatus.STATUS_NETWORK_ACCESS_DENIED, ['access-denied', 'Access denied']],
  [NtStatus.STATUS_PRIVILEGE_NOT_HELD, ['access-denied', 'Access denied']],
  [NtStatus.STATUS_MEDIA_WRITE_PROTECTED, ['access-denied', 'The share is read-only']],
  [NtStatus.STATUS_CANNOT_DELETE, ['access-denied', 'This item cannot be deleted']],
  [NtStatus.STATUS_OBJECT_NAME_COLLISION, ['name-exists', 'An item with this name already exists']],
  [NtStatus.STATUS_DUPLICATE_NAME, ['name-exists', 'An item with this name already exists']],
  [NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, ['not-found', 'Not found']],
  [NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, ['not-found', 'The folder does not exist']],
  [NtStatus.STATUS_NO_SUCH_FILE, ['not-found', 'Not found']],
  [NtStatus.STATUS_NOT_FOUND, ['not-found', 'Not found']],
  [NtStatus.STATUS_BAD_NETWORK_NAME, ['not-found', 'The server has no share by this name']],
  [NtStatus.STATUS_DELETE_PENDING, ['not-found', 'This item is being deleted']],
  [NtStatus.STATUS_DIRECTORY_NOT_EMPTY, ['not-empty', 'The folder is not empty']],
  [NtStatus.STATUS_SHARING_VIOLATION, ['in-use', 'The item is in use by someone else']],
  [NtStatus.STATUS_FILE_LOCK_CONFLICT, ['in-use', 'The item is locked by someone else']],
  [NtStatus.STATUS_LOCK_NOT_GRANTED, ['in-use', 'The item is locked by someone else']],
  [NtStatus.STATUS_DISK_FULL, ['disk-full', 'The server has no space left']],
  [NtStatus.STATUS_OBJECT_NAME_INVALID, ['invalid-name', 'The server does not accept this name']],
  [NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD, ['invalid-name', 'The server does not accept this name']],
  [NtStatus.STATUS_NAME_TOO_LONG, ['invalid-name', 'The name is too long']],
  [NtStatus.STATUS_FILE_IS_A_DIRECTORY, ['invalid-name', 'This is a folder, not a file']],
  [NtStatus.STATUS_NOT_A_DIRECTORY, ['invalid-name', 'This is a file, not a folder']],
  [NtStatus.STATUS_LOGON_FAILURE, ['wrong-password', 'Wrong user name or password']],
  [NtStatus.STATUS_WRONG_PASSWORD, ['wrong-password', 'Wrong user name or password']],
  [NtStatus.STATUS_NO_SUCH_USER, ['wrong-password', 'Wrong user name or password']],
  [NtStatus.STATUS_ACCOUNT_LOCKED_OUT, ['wrong-password', 'The account is locked out']],
  [NtStatus.STATUS_ACCOUNT_DISABLED, ['wrong-password', 'The account is disabled']],
  [NtStatus.STATUS_PASSWORD_EXPIRED, ['wrong-password', 'The password has expired']],
  [NtStatus.STATUS_PASSWORD_MUST_CHANGE, ['wrong-password', 'The password must be changed first']],
  [NtStatus.STATUS_NOT_SUPPORTED, ['unsupported', 'The server does not support this']],
  [NtStatus.STATUS_NOT_IMPLEMENTED, ['unsupported', 'The server does not support this']],
  [NtStatus.STATUS_INVALID_DEVICE_REQUEST, ['unsupported', 'The server does not support this']],
  [NtStatus.STATUS_IO_TIMEOUT, ['timeout', 'The server did not answer in time']],
  [NtStatus.STATUS_CANCELLED, ['cancelled', 'Cancelled']],
]);

const CODE_WORDS: Record<SmbError['code'], [ApiErrorCode, string]> = {
  status: ['internal', 'The server refused the operation'],
  auth: ['wrong-password', 'Wrong user name or password'],
  malformed: ['protocol', 'The server sent an answer ShareKeeper cannot read'],
  transport: ['unreachable', 'The server cannot be reached'],
  timeout: ['timeout', 'The server stopped answering'],
  unsupported: ['unsupported', 'The server does not support what this needs'],
  security: ['security', 'The connection cannot be made as secure as required'],
  cancelled: ['cancelled', 'Cancelled'],
};

function smbError(e: SmbError): ApiError {
  const where = e.path === undefined ? {} : { path: e.path };
  if (e instanceof SmbStatusError) {
    const known = STATUS_WORDS.get(e.status);
    const [code, message] = known ?? CODE_WORDS[e.code];
    const hex = `0x${e.status.toString(16).padStart(8, '0')}`;
    return { code, message, status: e.statusName, ...where, detail: `${e.statusName} (${hex}): ${e.message}` };
  }
  const [code, message] = CODE_WORDS[e.code];
  return { code, message, ...where, detail: e.message };
}

function driveDown(e: DriveUnavailableError): ApiError {
  const detail = e.message;
  switch (e.state) {
    case 'auth-failed':
      return e.reason === 'credentials-missing'
        ? { code: 'password-needed', message: 'This drive needs a password', detail }
        : { code: 'wrong-password', message: 'Wrong user name or password', detail };
    case 'disabled':
      return { code: 'disabled', message: 'This drive is turned off', detail };
    default:
      return { code: 'unreachable', message: 'The server cannot be reached', detail };
  }
}

/** The one translation of anything thrown into contract data. Messages never hold a secret. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiFailure) return { code: e.code, message: e.message, ...e.extra };
  if (e instanceof ApiValidationError) return { code: 'bad-request', message: 'The request was not understood', path: e.field, detail: e.message };
  if (e instanceof SmbError) return smbError(e);
  if (e instanceof DriveUnavailableError) return driveDown(e);
  if (e instanceof UnknownDriveError) return { code: 'not-found', message: 'There is no such drive', detail: e.message };
  if (e instanceof DriveValidationError) return { code: 'bad-request', message: e.message, path: e.field };
  if (e instanceof DriveError) {
    if (e.code === 'duplicate') return { code: 'name-exists', message: 'A drive with this name already exists', detail: e.message };
    if (e.code === 'not-found') return { code: 'not-found', message: 'There is no such drive', detail: e.message };
    return { code: 'internal', message: 'The drive list could not be saved', detail: e.message };
  }
  if (e instanceof CredentialError) return { code: 'keychain', message: 'The OS keychain refused the password', detail: e.message };
  if (e instanceof TransferError) {
    const code: ApiErrorCode = e.code === 'bad-request' ? 'bad-request' : e.code === 'exists' ? 'name-exists' : 'internal';
    return { code, message: e.message, ...(e.path === undefined ? {} : { path: e.path }) };
  }
  const errno = e as NodeJS.ErrnoException | undefined;
  if (errno instanceof Error && typeof errno.code === 'string') {
    const code: ApiErrorCode = errno.code === 'ENOENT' ? 'not-found' : errno.code === 'EACCES' || errno.code === 'EPERM' ? 'access-denied' : errno.code === 'EEXIST' ? 'name-exists' : errno.code === 'ENOSPC' ? 'disk-full' : 'internal';
    return { code, message: code === 'internal' ? 'A local file could not be used' : `Local file: ${CODE_LOCAL[code] ?? code}`, detail: `${errno.code}: ${errno.message}` };
  }
  return { code: 'internal', message: 'Something went wrong inside ShareKeeper', detail: e instanceof Error ? e.message : String(e) };
}

const CODE_LOCAL: Partial<Record<ApiErrorCode, string>> = {
  'not-found': 'not found',
  'access-denied': 'access denied',
  'name-exists': 'already exists',
  'disk-full': 'no space left',
};

const BY_STATUS_NAME: ReadonlyMap<string, [ApiErrorCode, string]> = new Map(
  [...STATUS_WORDS].map(([status, words]) => [ntStatusName(status), words] as const),
);

/** A failed transfer job's error (data the queue kept, maybe from an earlier run) in the contract's words. */
export function errorForJob(e: JobError): ApiError {
  const where = e.path === undefined ? {} : { path: e.path };
  const byStatus = e.status === undefined ? undefined : BY_STATUS_NAME.get(e.status);
  if (byStatus !== undefined) return { code: byStatus[0], message: byStatus[1], status: e.status, ...where, detail: e.message };
  if (e.code in CODE_WORDS) {
    const [code, message] = CODE_WORDS[e.code as SmbError['code']];
    return { code, message, ...(e.status === undefined ? {} : { status: e.status }), ...where, detail: e.message };
  }
  if (e.code === 'local-io') {
    const code: ApiErrorCode = e.status === 'ENOENT' ? 'not-found' : e.status === 'EACCES' || e.status === 'EPERM' ? 'access-denied' : e.status === 'ENOSPC' ? 'disk-full' : 'internal';
    return { code, message: `Local file: ${CODE_LOCAL[code] ?? 'could not be used'}`, ...where, detail: e.message };
  }
  return { code: 'internal', message: e.message, ...where, detail: e.code };
}
