import { describe, expect, it } from 'vitest';
import { DOS_ERROR_TABLE, NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { errno, ERRNO_NAMES, FsError } from './errno.js';
import { errnoForStatus, OWN_ROWS, POSIX_OVERRIDES, protocolStatusValue, STATUS_ERRNO, toFsError } from './status-errno.js';

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

describe('the same data as SMB1\'s error table (MS-CIFS 2.2.2.4, protocol/smb1/dos-errors.ts)', () => {
  const overridden = new Map(POSIX_OVERRIDES.map(([name, status, e, why]) => [status >>> 0, { name, e, why }]));
  const withErrno = DOS_ERROR_TABLE.filter((r) => r.errno !== undefined);

  it.each(withErrno.map((r) => [r.errorClass, r.codeName, r.ntStatusName, r.errno]))('%s/%s → %s: the mount answers %s', (_cls, _code, name) => {
    const row = withErrno.find((r) => r.ntStatusName === name)!;
    const mount = toFsError(new SmbStatusError(row.ntStatus, { operation: 'open' }), 'open').errnoName;
    const o = overridden.get(row.ntStatus);
    if (o) {
      expect(mount).toBe(o.e); // a documented exception, never a silent one
      expect(o.e).not.toBe(row.errno);
    } else {
      expect(mount).toBe(row.errno);
    }
  });

  it('every POSIX equivalent taken from that table is one the mount can answer (none dropped unnoticed)', () => {
    const taken = withErrno.filter((r) => !overridden.has(r.ntStatus));
    expect(taken.map((r) => r.errno).filter((e) => !ERRNO_NAMES.has(e!))).toEqual([]);
  });

  it('the exceptions are exactly the statuses where the mount answers otherwise, each with its reason', () => {
    for (const [name, status, , why] of POSIX_OVERRIDES) {
      const dos = withErrno.find((r) => r.ntStatus === status >>> 0);
      expect(dos?.ntStatusName, name).toBe(name);
      expect(why.length).toBeGreaterThan(10);
    }
    const differing = withErrno.filter((r) => errnoForStatus(r.ntStatus) !== r.errno).map((r) => r.ntStatusName);
    expect(new Set(differing)).toEqual(new Set(POSIX_OVERRIDES.map((o) => o[0])));
  });

  it('no row of our own shadows a status that table gives an errno for', () => {
    const dosStatuses = new Set(withErrno.map((r) => r.ntStatus));
    expect(OWN_ROWS.filter(([, status]) => dosStatuses.has(status >>> 0)).map((r) => r[0])).toEqual([]);
  });

  it('SMB1 examples of issue 11 through the mount', () => {
    expect(errnoForStatus(0xc000000f)).toBe('ENOENT'); // ERRDOS/ERRbadfile: STATUS_NO_SUCH_FILE
    expect(errnoForStatus(0xc000003b)).toBe('ENOENT'); // ERRDOS/ERRbadpath: STATUS_OBJECT_PATH_SYNTAX_BAD
    expect(errnoForStatus(0xc0000039)).toBe('ENOTDIR'); // ERRDOS/ERRbadpath: STATUS_OBJECT_PATH_INVALID
    expect(errnoForStatus(0xc000011f)).toBe('ENFILE'); // ERRDOS/ERRnofids: STATUS_TOO_MANY_OPENED_FILES
    expect(errnoForStatus(0xc00000a2)).toBe('EROFS'); // ERRHRD/ERRnowrite: STATUS_MEDIA_WRITE_PROTECTED
  });
});
