// Error mapping: words a person understands, the NTSTATUS kept in status and detail.
import { describe, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { CredentialError } from '../credentials/index.js';
import { DriveError, DriveValidationError } from '../drives/index.js';
import { DriveUnavailableError, UnknownDriveError } from '../supervisor/index.js';
import { errorForJob, toApiError } from './errors.js';

const diag = (reason: string, message: string) => ({ reason, message }) as never;

describe('toApiError', () => {
  it.each([
    [NtStatus.STATUS_ACCESS_DENIED, 'access-denied', 'Access denied', 'NT_STATUS_ACCESS_DENIED'],
    [NtStatus.STATUS_OBJECT_NAME_COLLISION, 'name-exists', 'An item with this name already exists', 'NT_STATUS_OBJECT_NAME_COLLISION'],
    [NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, 'not-found', 'Not found', 'NT_STATUS_OBJECT_NAME_NOT_FOUND'],
    [NtStatus.STATUS_DIRECTORY_NOT_EMPTY, 'not-empty', 'The folder is not empty', 'NT_STATUS_DIRECTORY_NOT_EMPTY'],
    [NtStatus.STATUS_SHARING_VIOLATION, 'in-use', 'The item is in use by someone else', 'NT_STATUS_SHARING_VIOLATION'],
  ])('NTSTATUS 0x%s → %s', (status, code, message, name) => {
    const e = toApiError(new SmbStatusError(status, { command: 'CREATE', path: 'a/b.txt' }));
    expect(e).toMatchObject({ code, message, status: name, path: 'a/b.txt' });
    expect(e.detail).toContain(name);
    expect(e.detail).toContain(`0x${status.toString(16).padStart(8, '0')}`);
  });

  it('a refused login is a wrong password, with the status in the detail', () => {
    const e = toApiError(new SmbStatusError(NtStatus.STATUS_LOGON_FAILURE, { code: 'auth', command: 'SESSION_SETUP' }));
    expect(e).toMatchObject({ code: 'wrong-password', message: 'Wrong user name or password', status: 'NT_STATUS_LOGON_FAILURE' });
  });

  it('transport and timeout errors say the server cannot be reached / stopped answering', () => {
    expect(toApiError(new SmbError('transport', 'cannot reach h:445: ECONNREFUSED'))).toMatchObject({ code: 'unreachable', message: 'The server cannot be reached', detail: 'cannot reach h:445: ECONNREFUSED' });
    expect(toApiError(new SmbError('timeout', 'ECHO timed out'))).toMatchObject({ code: 'timeout', message: 'The server stopped answering' });
    expect(toApiError(new SmbError('security', 'encryption required'))).toMatchObject({ code: 'security' });
  });

  it('a drive that is down says why', () => {
    const un = new DriveUnavailableError('d', { kind: 'unavailable', diagnosis: diag('tcp-refused', 'h refused the connection'), since: 0, attempt: 1, nextAttemptAt: 0 });
    expect(toApiError(un)).toMatchObject({ code: 'unreachable', message: 'The server cannot be reached' });
    expect(toApiError(un).detail).toContain('h refused the connection');
    const auth = new DriveUnavailableError('d', { kind: 'auth-failed', diagnosis: diag('auth-rejected', 'rejected'), since: 0 });
    expect(toApiError(auth)).toMatchObject({ code: 'wrong-password' });
    const missing = new DriveUnavailableError('d', { kind: 'auth-failed', diagnosis: diag('credentials-missing', 'no password'), since: 0 });
    expect(toApiError(missing)).toMatchObject({ code: 'password-needed' });
  });

  it('registry, keychain and local errors', () => {
    expect(toApiError(new UnknownDriveError('x'))).toMatchObject({ code: 'not-found' });
    expect(toApiError(new DriveValidationError('target', 'not an smb:// URL'))).toMatchObject({ code: 'bad-request', path: 'target' });
    expect(toApiError(new DriveError('duplicate', 'dup'))).toMatchObject({ code: 'name-exists' });
    expect(toApiError(new CredentialError('locked', 'locked'))).toMatchObject({ code: 'keychain' });
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    expect(toApiError(enoent)).toMatchObject({ code: 'not-found' });
    expect(toApiError('weird')).toMatchObject({ code: 'internal', detail: 'weird' });
  });

  it('a failed job keeps the status it failed with', () => {
    expect(errorForJob({ code: 'status', message: 'NT_STATUS_ACCESS_DENIED (CREATE x)', status: 'NT_STATUS_ACCESS_DENIED', path: 'x' })).toMatchObject({
      code: 'access-denied',
      message: 'Access denied',
      status: 'NT_STATUS_ACCESS_DENIED',
      path: 'x',
    });
    expect(errorForJob({ code: 'transport', message: 'reset' })).toMatchObject({ code: 'unreachable' });
    expect(errorForJob({ code: 'local-io', message: 'no space', status: 'ENOSPC' })).toMatchObject({ code: 'disk-full' });
  });
});
