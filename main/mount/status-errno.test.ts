import { describe, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { errno, FsError } from './errno.js';
import { errnoForStatus, protocolStatusValue, STATUS_ERRNO, toFsError } from './status-errno.js';

describe('NTSTATUS → errno, the one table', () => {
  it.each(STATUS_ERRNO.map((r) => [...r]))('%s (0x%s) → %s', (name, status, want) => {
    // The value in the row is the protocol layer's, where it names the status.
    const known = protocolStatusValue(name as string);
    if (known !== undefined) expect(known >>> 0).toBe(status);
    const e = toFsError(new SmbStatusError(status as number, { operation: 'open', path: 'a/b' }), 'open /b');
    expect(e.errnoName).toBe(want);
    expect(e.errno).toBe(errno(want as never));
    // The status travels on as the cause.
    expect((e.cause as SmbStatusError).status).toBe(status);
  });

  it('has the rows the issue names, and one row per status', () => {
    expect(errnoForStatus(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND)).toBe('ENOENT');
    expect(errnoForStatus(NtStatus.STATUS_ACCESS_DENIED)).toBe('EACCES');
    expect(errnoForStatus(NtStatus.STATUS_OBJECT_NAME_COLLISION)).toBe('EEXIST');
    expect(errnoForStatus(NtStatus.STATUS_DIRECTORY_NOT_EMPTY)).toBe('ENOTEMPTY');
    expect(errnoForStatus(NtStatus.STATUS_SHARING_VIOLATION)).toBe('EBUSY');
    expect(errnoForStatus(NtStatus.STATUS_DISK_FULL)).toBe('ENOSPC');
    expect(errnoForStatus(NtStatus.STATUS_MEDIA_WRITE_PROTECTED)).toBe('EROFS');
    const values = STATUS_ERRNO.map((r) => r[1]);
    expect(new Set(values).size).toBe(values.length);
  });

  it('an unknown status is EIO; errors that are not statuses map by their code', () => {
    expect(errnoForStatus(0xc0001234)).toBe('EIO');
    expect(toFsError(new SmbError('transport', 'reset'), 'x').errnoName).toBe('EHOSTDOWN');
    expect(toFsError(new SmbError('timeout', 'late'), 'x').errnoName).toBe('ETIMEDOUT');
    expect(toFsError(new SmbError('malformed', 'bad'), 'x').errnoName).toBe('EIO');
    expect(toFsError(new SmbError('unsupported', 'no'), 'x').errnoName).toBe('EOPNOTSUPP');
    expect(toFsError(new Error('bug'), 'x').errnoName).toBe('EIO');
    const fe = new FsError('ENOENT', 'already mapped');
    expect(toFsError(fe, 'x')).toBe(fe);
  });
});
