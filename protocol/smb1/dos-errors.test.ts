// Every row of the MS-CIFS 2.2.2.4 table: DOS class/code → NTSTATUS → errno, both directions where
// the table is one-to-one, and the rows issue 11 names explicitly.
import { describe, expect, it } from 'vitest';
import { DOS_ERROR_TABLE, ERRDOS, ERRHRD, ERRSRV, dosRowForStatus, dosStatusWord, dosToNtStatus, errnoForStatus, smb1StatusName } from './dos-errors.js';
import { statusOf } from './connection.js';
import { decodeHeader } from './header.js';
import { hex } from './smb1.test-helpers.js';

const CLASS = { ERRDOS, ERRSRV, ERRHRD } as const;

describe('the DOS error table', () => {
  it.each(DOS_ERROR_TABLE.map((r) => [`${r.errorClass}/${r.codeName} 0x${r.code.toString(16)} ↔ ${r.ntStatusName}`, r] as const))('%s', (_name, row) => {
    const first = DOS_ERROR_TABLE.find((r) => r.errorClass === row.errorClass && r.code === row.code)!;
    // DOS → NTSTATUS: the first row of the code is how it reads.
    expect(dosToNtStatus(CLASS[row.errorClass], row.code)).toBe(first.ntStatus);
    // NTSTATUS → its first row (the pair it maps back to), its name and errno.
    expect(dosRowForStatus(row.ntStatus)).toEqual(DOS_ERROR_TABLE.find((r) => r.ntStatus === row.ntStatus));
    expect(errnoForStatus(row.ntStatus)).toBe(row.errno);
    expect(smb1StatusName(row.ntStatus)).toBe(row.ntStatusName);
    // One-to-one codes map back and forth.
    const oneCode = DOS_ERROR_TABLE.filter((r) => r.errorClass === row.errorClass && r.code === row.code).length === 1;
    const oneStatus = DOS_ERROR_TABLE.filter((r) => r.ntStatus === row.ntStatus).length === 1;
    if (oneCode && oneStatus) {
      const back = dosRowForStatus(dosToNtStatus(CLASS[row.errorClass], row.code))!;
      expect([back.errorClass, back.code]).toEqual([row.errorClass, row.code]);
    }
  });

  it('an NTSTATUS appears under two pairs only where MS-CIFS (or a server without CAP_STATUS32) puts it there', () => {
    const rows = new Map<number, string[]>();
    for (const r of DOS_ERROR_TABLE) rows.set(r.ntStatus, [...(rows.get(r.ntStatus) ?? []), `${r.errorClass}/${r.codeName}`]);
    const twice = [...rows.entries()].filter(([, pairs]) => pairs.length > 1).map(([, pairs]) => pairs);
    expect(twice).toEqual([
      ['ERRDOS/ERRremcd', 'ERRDOS/ERRdirnotempty'],
      ['ERRDOS/ERRbadshare', 'ERRHRD/ERRbadshare'],
    ]);
    // Each reads back to one pair: the first.
    expect(dosRowForStatus(0xc0000101)).toMatchObject({ errorClass: 'ERRDOS', code: 0x0010 });
    expect(dosRowForStatus(0xc0000043)).toMatchObject({ errorClass: 'ERRDOS', code: 0x0020 });
    expect(dosToNtStatus(ERRDOS, 0x0091)).toBe(0xc0000101);
    expect(dosToNtStatus(ERRHRD, 0x0020)).toBe(0xc0000043);
  });

  it.each([
    // Rows corrected against MS-CIFS 2.2.2.4 (previously written from memory).
    [ERRDOS, 0x000d, 0xc000009c], // ERRbaddata → 0xC000009C (the spec's "STATUS_DATA_ERROR"), not 0xC000003E
    [ERRHRD, 0x0017, 0xc000003e], // ERRdata → STATUS_DATA_ERROR 0xC000003E first, then STATUS_CRC_ERROR
    [ERRDOS, 0x0010, 0xc0000101], // ERRremcd → STATUS_DIRECTORY_NOT_EMPTY
    [ERRDOS, 0x000c, 0x000c0001], // ERRbadaccess → STATUS_OS2_INVALID_ACCESS
    [ERRDOS, 0x0083, 0x00830001], // ERRinvalidseek → STATUS_OS2_NEGATIVE_SEEK
    [ERRSRV, 0x0003, 0xc0000257], // ERRSRV/ERRbadpath → STATUS_PATH_NOT_COVERED
    [ERRHRD, 0x0016, 0xc0000184], // ERRHRD/ERRbadcmd → STATUS_INVALID_DEVICE_STATE
  ])('MS-CIFS 2.2.2.4: class %i code %i reads as 0x%s', (cls, code, status) => {
    expect(dosToNtStatus(cls, code)).toBe(status);
    expect(dosRowForStatus(status)).toMatchObject({ code });
  });

  it('the further statuses MS-CIFS 2.2.2.4 lists under a code map back to it', () => {
    expect(dosRowForStatus(0xc00000af)).toMatchObject({ errorClass: 'ERRDOS', codeName: 'ERRbadfunc' }); // STATUS_ILLEGAL_FUNCTION
    expect(dosRowForStatus(0xc0000128)).toMatchObject({ errorClass: 'ERRDOS', codeName: 'ERRbadfid' }); // STATUS_FILE_CLOSED
    expect(dosRowForStatus(0xc0000072)).toMatchObject({ errorClass: 'ERRSRV', codeName: 'ERRaccountExpired' }); // STATUS_ACCOUNT_DISABLED
    expect(dosRowForStatus(0xc0000224)).toMatchObject({ errorClass: 'ERRSRV', codeName: 'ERRpasswordExpired' }); // STATUS_PASSWORD_MUST_CHANGE
    expect(dosRowForStatus(0xc000003f)).toMatchObject({ errorClass: 'ERRHRD', codeName: 'ERRdata' }); // STATUS_CRC_ERROR
  });

  it.each([
    // The rows issue 11 names.
    [ERRDOS, 0x0002, 0xc000000f, 'ENOENT'], // ERRbadfile → STATUS_NO_SUCH_FILE
    [ERRDOS, 0x0003, 0xc000003b, 'ENOENT'], // ERRbadpath → STATUS_OBJECT_PATH_SYNTAX_BAD
    [ERRDOS, 0x0004, 0xc000011f, 'ENFILE'], // ERRnofids → STATUS_TOO_MANY_OPENED_FILES
    [ERRDOS, 0x0005, 0xc0000022, 'EPERM'], // ERRnoaccess → STATUS_ACCESS_DENIED
    [ERRDOS, 0x0020, 0xc0000043, 'ETXTBSY'], // ERRbadshare → STATUS_SHARING_VIOLATION
    [ERRSRV, 0x0002, 0xc000006a, 'EACCES'], // ERRbadpw → STATUS_WRONG_PASSWORD
    [ERRSRV, 0x0005, 0x00050002, undefined], // ERRinvtid → STATUS_SMB_BAD_TID
    [ERRSRV, 0x005b, 0x005b0002, undefined], // ERRbaduid → STATUS_SMB_BAD_UID
    [ERRHRD, 0x0013, 0xc00000a2, 'EROFS'], // ERRnowrite → STATUS_MEDIA_WRITE_PROTECTED
  ])('class %i code %i → 0x%s (%s)', (cls, code, status, errno) => {
    expect(dosToNtStatus(cls, code)).toBe(status);
    expect(errnoForStatus(status)).toBe(errno);
  });

  it('ERRbadpath also stands for STATUS_OBJECT_PATH_INVALID, which is ENOTDIR', () => {
    expect(dosRowForStatus(0xc0000039)).toMatchObject({ errorClass: 'ERRDOS', code: 3, errno: 'ENOTDIR' });
  });

  it('SUCCESS is STATUS_SUCCESS; an unlisted pair keeps its wire value (a CIFS-specific NTSTATUS)', () => {
    expect(dosToNtStatus(0, 0)).toBe(0);
    expect(dosToNtStatus(ERRDOS, 0x1234)).toBe(dosStatusWord(ERRDOS, 0x1234));
    expect(dosStatusWord(ERRSRV, 0x0005)).toBe(0x00050002);
  });

  it('a header without SMB_FLAGS2_NT_STATUS is read through the table; with it, as is (CAP_STATUS32)', () => {
    const dos = hex('ff534d42 06 01 00 0200 80 0100 0000 0000000000000000 0000 0000 0000 0000 0000');
    expect(statusOf(decodeHeader(dos))).toBe(0xc000000f);
    const nt = hex('ff534d42 06 34 00 00c0 80 0140 0000 0000000000000000 0000 0000 0000 0000 0000');
    expect(statusOf(decodeHeader(nt))).toBe(0xc0000034);
  });
});
