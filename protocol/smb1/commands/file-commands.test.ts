// Golden bytes for the file commands: NT_CREATE_ANDX (MS-CIFS 2.2.4.64), OPEN_ANDX (2.2.4.41, with
// and without attribute data), READ_ANDX (2.2.4.42 + MS-SMB 2.2.4.2), WRITE_ANDX (2.2.4.43 + MS-SMB
// 2.2.4.3), CLOSE, FLUSH, DELETE, RENAME, CREATE/DELETE_DIRECTORY, ECHO, FIND_CLOSE2.
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { Smb1Command } from '../constants.js';
import { fuzzSmb1Decoder, hex, reply } from '../smb1.test-helpers.js';
import { encodeNtCancelRequest } from './nt-cancel.js';
import { decodeNtCreateResponse, encodeNtCreateRequest } from './nt-create.js';
import { OPEN_CREATE_FILE, OPEN_FILE_EXISTS_OPEN, REQ_ATTRIB, SMB_DA_ACCESS_READ_WRITE, decodeOpenAndXResponse, encodeOpenAndXRequest } from './open-andx.js';
import { decodeReadAndXResponse, encodeReadAndXRequest } from './read-andx.js';
import {
  decodeEchoResponse,
  decodeEmptyResponse,
  encodeCloseRequest,
  encodeCreateDirectoryRequest,
  encodeDeleteRequest,
  encodeEchoRequest,
  encodeFindClose2Request,
  encodeFlushRequest,
  encodeRenameRequest,
} from './simple.js';
import { WRITE_ANDX_DATA_OFFSET, decodeWriteAndXResponse, encodeWriteAndXRequest } from './write-andx.js';

describe('NT_CREATE_ANDX', () => {
  it('request', () => {
    expect(encodeNtCreateRequest({ path: '\\a', desiredAccess: 0x120089, extFileAttributes: 0, shareAccess: 7, createDisposition: 1, createOptions: 0x40 })).toEqual(
      hex(`
        18 ff 00 0000        // WordCount 24, no AndX
        00                   // Reserved
        0400                 // NameLength 4 ("\\a" without the terminator)
        00000000 00000000    // Flags, RootDirectoryFID
        89001200             // DesiredAccess
        0000000000000000     // AllocationSize
        00000000 07000000    // ExtFileAttributes, ShareAccess
        01000000 40000000    // CreateDisposition FILE_OPEN, CreateOptions FILE_NON_DIRECTORY_FILE
        02000000 00          // ImpersonationLevel SEC_IMPERSONATE, SecurityFlags
        0700                 // ByteCount 7
        00                   // pad (Bytes start at 83, odd)
        5c00 6100 0000       // "\\a\\0"
      `),
    );
  });
  const answer = reply(
    Smb1Command.NT_CREATE_ANDX,
    hex(`
      22 ff 00 0000          // WordCount 34
      00 0740                // OpLockLevel, FID 0x4007
      01000000               // CreateDisposition (opened)
      0080a0b0c0d0e001 0180a0b0c0d0e001 0280a0b0c0d0e001 0380a0b0c0d0e001   // the four times
      20000000               // ExtFileAttributes ARCHIVE
      0010000000000000       // AllocationSize 4096
      0500000001000000       // EndOfFile 0x100000005
      0000 0000 00           // ResourceType disk, NMPipeStatus, Directory no
      0000                   // ByteCount
    `),
  );
  it('answer', () => {
    expect(decodeNtCreateResponse(answer)).toEqual({
      oplockLevel: 0,
      fid: 0x4007,
      createDisposition: 1,
      creationTime: 0x01e0d0c0b0a08000n,
      lastAccessTime: 0x01e0d0c0b0a08001n,
      lastWriteTime: 0x01e0d0c0b0a08002n,
      changeTime: 0x01e0d0c0b0a08003n,
      fileAttributes: 0x20,
      allocationSize: 4096,
      endOfFile: 0x100000005,
      resourceType: 0,
      nmPipeStatus: 0,
      directory: false,
    });
  });
  it('the MS-SMB extended answer (WordCount 0x2A) reads the same', () => {
    const ext = Buffer.concat([answer.subarray(0, 32), hex('2a'), answer.subarray(33, 33 + 68), Buffer.alloc(16), hex('0000')]);
    expect(decodeNtCreateResponse(ext).fid).toBe(0x4007);
  });
  it('fuzz', () => fuzzSmb1Decoder(decodeNtCreateResponse, Smb1Command.NT_CREATE_ANDX, [answer]));
});

describe('OPEN_ANDX (MS-CIFS 2.2.4.41.2, parsed exactly)', () => {
  it('request', () => {
    expect(encodeOpenAndXRequest({ flags: REQ_ATTRIB, accessMode: SMB_DA_ACCESS_READ_WRITE | 0x40, searchAttributes: 6, fileAttributes: 0, openMode: OPEN_FILE_EXISTS_OPEN | OPEN_CREATE_FILE, path: '\\f' })).toEqual(
      hex(`
        0f ff 00 0000        // WordCount 15
        0100 4200 0600 0000  // Flags REQ_ATTRIB, AccessMode read/write deny-none, SearchAttrs, FileAttrs
        00000000             // CreationTime
        1100                 // OpenMode: open if it exists, create if not
        00000000 00000000 00000000   // AllocationSize, Timeout, Reserved
        0700 00 5c006600 0000        // ByteCount 7, pad (Bytes start at 65), "\\f\\0"
      `),
    );
  });
  /** With attribute data: every field set. */
  const WITH = hex(`
    0f ff 00 0000            // WordCount 0x0F, no AndX
    0340                     // FID 0x4003
    2100                     // FileAttrs: READONLY | ARCHIVE
    80b8c166                 // LastWriteTime (UTIME) 0x66C1B880
    00100000                 // FileDataSize 4096
    0200                     // AccessRights: read/write
    0000                     // ResourceType: FileTypeDisk
    0000                     // NMPipeStatus
    0280                     // OpenResults: created, LockStatus (oplock granted)
    000000000000             // Reserved
    0000                     // ByteCount 0
  `);
  const WITHOUT = hex(`0f ff 00 0000 0340 ${'00'.repeat(24)} 0000`);
  const withAttrs = reply(Smb1Command.OPEN_ANDX, WITH);
  const withoutAttrs = reply(Smb1Command.OPEN_ANDX, WITHOUT);
  it('with attribute data', () => {
    expect(decodeOpenAndXResponse(withAttrs, true)).toEqual({
      fid: 0x4003,
      attributes: { fileAttributes: 0x21, lastWriteTime: 0x66c1b880, fileDataSize: 4096, accessRights: 'read-write', resourceType: 0, nmPipeStatus: 0, openResult: 'created', oplockGranted: true },
    });
  });
  it('without attribute data: FID only, the rest zero', () => {
    expect(decodeOpenAndXResponse(withoutAttrs, false)).toEqual({ fid: 0x4003 });
  });
  it('no attribute data asked, but a field is set: malformed, naming the field', () => {
    expect(() => decodeOpenAndXResponse(withAttrs, false)).toThrow(/FileAttrs: non-zero/);
    const late = Buffer.from(withoutAttrs);
    late[32 + 1 + 4 + 2 + 16] = 1; // OpenResults
    expect(() => decodeOpenAndXResponse(late, false)).toThrow(/OpenResults/);
  });
  it.each([
    ['WordCount not 0x0F', 32, 0x0e, /WordCount/],
    ['AccessRights 3 (reserved)', 32 + 17, 3, /AccessRights/],
    ['an unknown ResourceType', 32 + 19, 9, /ResourceType/],
    ['OpenResult 0 (reserved)', 32 + 23, 0x00, /OpenResults/],
  ])('%s is malformed', (_what, at, value, re) => {
    const bad = Buffer.from(withAttrs);
    bad[at] = value;
    expect(() => decodeOpenAndXResponse(bad, true)).toThrow(re);
  });
  it.each([
    ['ResourceType 0xFFFF (unknown) is valid', 32 + 19, [0xff, 0xff]],
    ['byte-mode pipe', 32 + 19, [1, 0]],
    ['reserved OpenResults bits are ignored', 32 + 23, [0x02, 0x40]],
  ])('%s', (_what, at, bytes) => {
    const ok = Buffer.from(withAttrs);
    ok[at] = bytes[0]!;
    ok[at + 1] = bytes[1]!;
    expect(decodeOpenAndXResponse(ok, true).fid).toBe(0x4003);
  });
  it('ByteCount must be 0; a chained AndX is refused', () => {
    expect(() => decodeOpenAndXResponse(reply(Smb1Command.OPEN_ANDX, Buffer.concat([WITHOUT.subarray(0, 31), hex('0100 00')])), false)).toThrow(/ByteCount/);
    const chained = Buffer.from(withoutAttrs);
    chained[33] = Smb1Command.READ_ANDX;
    expect(() => decodeOpenAndXResponse(chained, false)).toThrow(/AndXCommand/);
  });
  it('fuzz, both forms', () => {
    fuzzSmb1Decoder((m) => decodeOpenAndXResponse(m, true), Smb1Command.OPEN_ANDX, [withAttrs]);
    fuzzSmb1Decoder((m) => decodeOpenAndXResponse(m, false), Smb1Command.OPEN_ANDX, [withoutAttrs]);
  });
});

describe('READ_ANDX', () => {
  it('request: a large read splits MaxCount over MaxCountHigh, OffsetHigh past 4 GiB', () => {
    expect(encodeReadAndXRequest({ fid: 0x4003, offset: 0x100000010, length: 0x1f000 })).toEqual(
      hex(`
        0c ff 00 0000        // WordCount 12
        0340                 // FID
        10000000             // Offset (low 32 bits)
        00f0 00f0            // MaxCountOfBytesToReturn, MinCountOfBytesToReturn (low 16 bits)
        01000000             // Timeout_or_MaxCountHigh: 1
        0000                 // Remaining
        01000000             // OffsetHigh
        0000                 // ByteCount
      `),
    );
  });
  const data = Buffer.alloc(0x10005, 0x5a);
  const answer = reply(Smb1Command.READ_ANDX, Buffer.concat([hex('0c ff 00 0000 ffff 0000 0000 0500 3c00 0100 0000000000000000 0600 00'), data]));
  it('answer: data at DataOffset, DataLength + DataLengthHigh', () => {
    const d = decodeReadAndXResponse(answer, 0x20000);
    expect(d.length).toBe(0x10005);
    expect(d.equals(data)).toBe(true);
  });
  it('more than asked, or outside the message: malformed', () => {
    expect(() => decodeReadAndXResponse(answer, 0x10004)).toThrow(/DataLength/);
    expect(() => decodeReadAndXResponse(answer.subarray(0, answer.length - 1), 0x20000)).toThrow(/DataOffset/);
    const back = Buffer.from(answer);
    back.writeUInt16LE(40, 32 + 1 + 12); // DataOffset inside the words
    expect(() => decodeReadAndXResponse(back, 0x20000)).toThrow(MalformedMessageError);
  });
  it('fuzz', () => fuzzSmb1Decoder((m) => decodeReadAndXResponse(m, 0x20000), Smb1Command.READ_ANDX, [answer.subarray(0, 200)]));
});

describe('WRITE_ANDX', () => {
  it('request: data offset 64, DataLengthHigh, ByteCount', () => {
    expect(WRITE_ANDX_DATA_OFFSET).toBe(64);
    expect(encodeWriteAndXRequest({ fid: 7, offset: 0x200000000, length: 10 })).toEqual(
      hex(`
        0e ff 00 0000        // WordCount 14
        0700                 // FID
        00000000 00000000    // Offset, Timeout
        0000 0000            // WriteMode, Remaining
        0000 0a00 4000       // DataLengthHigh, DataLength 10, DataOffset 64
        02000000             // OffsetHigh
        0b00 00              // ByteCount 11, pad (the data follows)
      `),
    );
    const large = encodeWriteAndXRequest({ fid: 7, offset: 0, length: 0x1f000 });
    expect(large.readUInt16LE(19)).toBe(1); // DataLengthHigh
    expect(large.readUInt16LE(29)).toBe(0); // ByteCount cannot say 0x1F001
  });
  const answer = reply(Smb1Command.WRITE_ANDX, hex('06 ff 00 0000 00f0 0000 0100 0000 0000'));
  it('answer: Count + CountHigh, never more than sent', () => {
    expect(decodeWriteAndXResponse(answer, 0x1f000)).toBe(0x1f000);
    expect(() => decodeWriteAndXResponse(answer, 0x1efff)).toThrow(/Count/);
  });
  it('fuzz', () => fuzzSmb1Decoder((m) => decodeWriteAndXResponse(m, 0x20000), Smb1Command.WRITE_ANDX, [answer]));
});

describe('small commands', () => {
  it('CLOSE, FLUSH, FIND_CLOSE2', () => {
    expect(encodeCloseRequest(0x4003)).toEqual(hex('03 0340 ffffffff 0000'));
    expect(encodeFlushRequest(0x4003)).toEqual(hex('01 0340 0000'));
    expect(encodeFindClose2Request(0x0102)).toEqual(hex('01 0201 0000'));
  });
  it('DELETE: SearchAttributes, 0x04 + Unicode name starting even', () => {
    // Bytes start at 35: the 0x04 at 35, the name at 36.
    expect(encodeDeleteRequest('\\x', 6)).toEqual(hex('01 0600 0700 04 5c00 7800 0000'));
  });
  it('RENAME: two buffer-format strings, each name aligned', () => {
    // 35: 0x04, 36..41 "\\a\\0", 42: 0x04, 43: pad, 44: "\\b\\0".
    expect(encodeRenameRequest('\\a', '\\b', 0x16)).toEqual(hex('01 1600 0f00 04 5c00 6100 0000 04 00 5c00 6200 0000'));
  });
  it('CREATE_DIRECTORY: no words; 0x04 at 35, pad, name at 36', () => {
    expect(encodeCreateDirectoryRequest('\\d')).toEqual(hex('00 0700 04 5c00 6400 0000'));
  });
  it('ECHO: the data comes back unchanged', () => {
    expect(encodeEchoRequest(hex('abcd'))).toEqual(hex('01 0100 0200 abcd'));
    const ok = reply(Smb1Command.ECHO, hex('01 0100 0200 abcd'));
    expect(() => decodeEchoResponse(ok, hex('abcd'))).not.toThrow();
    expect(() => decodeEchoResponse(ok, hex('abce'))).toThrow(/Data/);
    fuzzSmb1Decoder((m) => decodeEchoResponse(m, hex('abcd')), Smb1Command.ECHO, [ok]);
  });
  it('empty answers', () => {
    const ok = reply(Smb1Command.CLOSE, hex('00 0000'));
    expect(() => decodeEmptyResponse(ok, 'x')).not.toThrow();
    expect(() => decodeEmptyResponse(reply(Smb1Command.CLOSE, hex('00 0100 00')), 'x')).toThrow(/ByteCount/);
    fuzzSmb1Decoder((m) => decodeEmptyResponse(m, 'x'), Smb1Command.CLOSE, [ok]);
  });
});

describe('NT_CANCEL (MS-CIFS 2.2.4.65.1)', () => {
  it('has no words and no bytes: the header says what to cancel', () => {
    expect(encodeNtCancelRequest()).toEqual(hex('00 0000'));
  });
});
