// TRANSACTION / TRANSACTION2 framing (MS-CIFS 2.2.4.33, 2.2.4.46) and the TRANS2 subcommands
// (2.2.6.x), with the information levels FIND answers and QUERY_*_INFORMATION read (2.2.8).
import { describe, expect, it } from 'vitest';
import { Smb1Command, TRANS_TRANSACT_NMPIPE, Trans2 } from '../constants.js';
import { fuzzSmb1Decoder, fuzzStructure, hex, reply } from '../smb1.test-helpers.js';
import { TransAnswer, decodeTransResponse, encodeTransRequest } from './transaction.js';
import {
  decodeFindBothDirectoryInfo,
  decodeFindDirectoryInfo,
  decodeFindFirst2Params,
  decodeFindNext2Params,
  decodeQueryFileAllInfo,
  encodeFindFirst2Params,
  encodeFindNext2Params,
  encodePathInfoParams,
  encodeQueryFileInfoParams,
  encodeRenameInformationSmb1,
  encodeSetFileInfoParams,
} from './trans2.js';
import { decodeRapNetShareEnum, encodeRapNetShareEnum } from '../client/share-listing.js';

describe('TRANSACTION2 request', () => {
  it('one setup word, empty name, parameters 4-byte aligned', () => {
    expect(encodeTransRequest({ command: Smb1Command.TRANSACTION2, setup: [Trans2.QUERY_FILE_INFORMATION], params: hex('0340 0701'), data: Buffer.alloc(0), maxParameterCount: 2, maxDataCount: 0x1000 })).toEqual(
      hex(`
        0f                   // WordCount 15 (14 + SetupCount)
        0400 0000            // TotalParameterCount 4, TotalDataCount 0
        0200 0010            // MaxParameterCount 2, MaxDataCount 4096
        00 00 0000           // MaxSetupCount, Reserved1, Flags
        00000000 0000        // Timeout, Reserved2
        0400 4400            // ParameterCount 4, ParameterOffset 68
        0000 0000            // DataCount 0, DataOffset 0
        01 00 0700           // SetupCount 1, Reserved3, Setup[0] QUERY_FILE_INFORMATION
        0700                 // ByteCount 7
        00 0000              // pad (Bytes at 65), Name: one Unicode null at 66
        0340 0701            // Parameters at 68
      `),
    );
  });
  it('TRANSACTION on a named pipe: name, parameters, data each aligned', () => {
    const b = encodeTransRequest({ command: Smb1Command.TRANSACTION, setup: [TRANS_TRANSACT_NMPIPE, 0x4001], name: '\\PIPE\\', params: Buffer.alloc(0), data: hex('05000b03'), maxParameterCount: 0, maxDataCount: 1024 });
    // Bytes start at 32 + 1 + 32 + 2 = 67: pad 1, "\\PIPE\\\\0" (14 bytes) at 68 ends at 82, Parameters (none) at 84, data at 84.
    expect(b.readUInt16LE(1 + 20)).toBe(84); // ParameterOffset
    expect(b.readUInt16LE(1 + 24)).toBe(84); // DataOffset
    expect(b.subarray(b.length - 4)).toEqual(hex('05000b03'));
    expect(b.subarray(1 + 32 + 2 + 1, 1 + 32 + 2 + 1 + 14).toString('utf16le')).toBe('\\PIPE\\\0');
  });
});

/** A TRANS2 answer carrying params [pOff..] and data, with totals and displacements as given. */
function piece(o: { totalP: number; totalD: number; params: Buffer; pDisp: number; data: Buffer; dDisp: number }): Buffer {
  // Words: 10, SetupCount 0 → Bytes start at 32 + 1 + 20 + 2 = 55; pad to 56 for params.
  const pOff = 56;
  const dOff = pOff + o.params.length + ((4 - ((pOff + o.params.length) % 4)) % 4);
  const words = Buffer.alloc(20);
  words.writeUInt16LE(o.totalP, 0);
  words.writeUInt16LE(o.totalD, 2);
  words.writeUInt16LE(o.params.length, 6);
  words.writeUInt16LE(o.params.length ? pOff : 0, 8);
  words.writeUInt16LE(o.pDisp, 10);
  words.writeUInt16LE(o.data.length, 12);
  words.writeUInt16LE(o.data.length ? dOff : 0, 14);
  words.writeUInt16LE(o.dDisp, 16);
  const bytes = Buffer.concat([Buffer.alloc(1), o.params, Buffer.alloc(dOff - pOff - o.params.length), o.data]);
  const count = Buffer.alloc(2);
  count.writeUInt16LE(bytes.length);
  return reply(Smb1Command.TRANSACTION2, Buffer.concat([hex('0a'), words, count, bytes]));
}

describe('transaction answers in several messages (MS-CIFS 3.2.5.1.2)', () => {
  const one = piece({ totalP: 2, totalD: 6, params: hex('0000'), pDisp: 0, data: hex('010203040506'), dDisp: 0 });
  it('one message', () => {
    expect(decodeTransResponse(one, 'x')).toEqual({ setup: [], params: hex('0000'), data: hex('010203040506') });
  });
  it('pieces put together in order', () => {
    const a = new TransAnswer('x', 10, 100);
    expect(a.push(piece({ totalP: 2, totalD: 6, params: hex('aabb'), pDisp: 0, data: hex('0102'), dDisp: 0 }))).toBe(false);
    expect(a.push(piece({ totalP: 2, totalD: 6, params: Buffer.alloc(0), pDisp: 2, data: hex('03040506'), dDisp: 2 }))).toBe(true);
    expect(a.result()).toEqual({ setup: [], params: hex('aabb'), data: hex('010203040506') });
  });
  it.each([
    ['a displacement that skips bytes', [piece({ totalP: 0, totalD: 6, params: Buffer.alloc(0), pDisp: 0, data: hex('01'), dDisp: 0 }), piece({ totalP: 0, totalD: 6, params: Buffer.alloc(0), pDisp: 0, data: hex('03'), dDisp: 2 })], /DataDisplacement/],
    ['a piece past the total', [piece({ totalP: 0, totalD: 2, params: Buffer.alloc(0), pDisp: 0, data: hex('010203'), dDisp: 0 })], /DataCount/],
    ['totals that grow', [piece({ totalP: 0, totalD: 4, params: Buffer.alloc(0), pDisp: 0, data: hex('01'), dDisp: 0 }), piece({ totalP: 0, totalD: 5, params: Buffer.alloc(0), pDisp: 0, data: hex('02'), dDisp: 1 })], /grew/],
    ['more data than the request allowed', [piece({ totalP: 0, totalD: 200, params: Buffer.alloc(0), pDisp: 0, data: hex('01'), dDisp: 0 })], /TotalDataCount/],
    ['a piece with nothing in it before the end', [piece({ totalP: 0, totalD: 4, params: Buffer.alloc(0), pDisp: 0, data: Buffer.alloc(0), dDisp: 0 })], /carried nothing/],
  ])('refuses %s', (_what, msgs, re) => {
    const a = new TransAnswer('x', 10, 100);
    expect(() => msgs.forEach((m) => a.push(m))).toThrow(re);
  });
  it('refuses offsets outside the message', () => {
    const bad = Buffer.from(one);
    bad.writeUInt16LE(500, 32 + 1 + 14); // DataOffset
    expect(() => decodeTransResponse(bad, 'x')).toThrow(/DataOffset/);
  });
  it('fuzz', () => fuzzSmb1Decoder((m) => decodeTransResponse(m, 'x'), Smb1Command.TRANSACTION2, [one]));
});

describe('TRANS2 subcommands', () => {
  it('FIND_FIRST2 parameters', () => {
    expect(encodeFindFirst2Params({ searchAttributes: 0x16, searchCount: 4096, flags: 0x0a, informationLevel: 0x104, pattern: '\\*' })).toEqual(
      hex('1600 0010 0a00 0401 00000000 5c00 2a00 0000'),
    );
    expect(decodeFindFirst2Params(hex('0100 0300 0100 0000 4000'))).toEqual({ sid: 1, searchCount: 3, endOfSearch: true, lastNameOffset: 0x40 });
  });
  it('FIND_NEXT2 parameters: SID, count, level, resume key, flags, last name', () => {
    expect(encodeFindNext2Params({ sid: 1, searchCount: 10, informationLevel: 0x104, resumeKey: 0x11223344, flags: 0x0a, lastName: 'z' })).toEqual(
      hex('0100 0a00 0401 44332211 0a00 7a00 0000'),
    );
    expect(decodeFindNext2Params(hex('0200 0000 0000 0000'))).toEqual({ sid: undefined, searchCount: 2, endOfSearch: false, lastNameOffset: 0 });
  });
  it('path, file and set-file parameters', () => {
    expect(encodePathInfoParams(0x107, '\\a')).toEqual(hex('0701 00000000 5c00 6100 0000'));
    expect(encodeQueryFileInfoParams(0x4001, 0x107)).toEqual(hex('0140 0701'));
    expect(encodeSetFileInfoParams(0x4001, 0x104)).toEqual(hex('0140 0401 0000'));
    expect(encodeRenameInformationSmb1('n', true)).toEqual(hex('01 000000 00000000 02000000 6e00'));
    // The atomic replace: SET_FILE_INFORMATION, level 1010 (SMB_INFO_PASSTHROUGH + FileRenameInformation).
    expect(encodeSetFileInfoParams(0x4001, 1010)).toEqual(hex('0140 f203 0000'));
    expect(encodeRenameInformationSmb1('swap.txt', true)).toEqual(hex('01 000000 00000000 10000000 7300 7700 6100 7000 2e00 7400 7800 7400'));
    expect(encodeRenameInformationSmb1('x', false)).toEqual(hex('00 000000 00000000 02000000 7800'));
  });

  /** SMB_FIND_FILE_BOTH_DIRECTORY_INFO: `name`, next entry `next` bytes on (0: last). */
  function entry(name: string, next: number, index: number): Buffer {
    const n = Buffer.from(name, 'utf16le');
    const e = Buffer.alloc(Math.max(94 + n.length, next));
    e.writeUInt32LE(next, 0);
    e.writeUInt32LE(index, 4);
    e.writeBigUInt64LE(0x01d0000000000000n, 24); // LastWriteTime
    e.writeBigUInt64LE(BigInt(index * 10), 40); // EndOfFile
    e.writeUInt32LE(name === 'd' ? 0x10 : 0x20, 56);
    e.writeUInt32LE(n.length, 60);
    n.copy(e, 94);
    return e;
  }
  const three = Buffer.concat([entry('.', 97, 1), entry('dir-ä', 105, 2), entry('d', 0, 3)]);
  it('FIND entries chained by NextEntryOffset, no alignment required', () => {
    const got = decodeFindBothDirectoryInfo(three, 3);
    expect(got.map((e) => [e.fileName, e.fileIndex, e.endOfFile, e.fileAttributes, e.offset])).toEqual([
      ['.', 1, 10, 0x20, 0],
      ['dir-ä', 2, 20, 0x20, 97],
      ['d', 3, 30, 0x10, 202],
    ]);
  });
  it('a chain that ends before SearchCount (0, or the end of the data) ends the page', () => {
    expect(decodeFindBothDirectoryInfo(three, 4)).toHaveLength(3);
    const toEnd = Buffer.from(three);
    toEnd.writeUInt32LE(three.length - 202, 202);
    expect(decodeFindBothDirectoryInfo(toEnd, 9)).toHaveLength(3);
    expect(decodeFindBothDirectoryInfo(three, 2)).toHaveLength(2);
  });
  it('a NextEntryOffset that does not move on, or leaves the data: malformed', () => {
    const stuck = Buffer.from(three);
    stuck.writeUInt32LE(10, 0);
    expect(() => decodeFindBothDirectoryInfo(stuck, 3)).toThrow(/NextEntryOffset/);
    const out = Buffer.from(three);
    out.writeUInt32LE(400, 0);
    expect(() => decodeFindBothDirectoryInfo(out, 3)).toThrow(/NextEntryOffset/);
  });
  /** SMB_FIND_FILE_DIRECTORY_INFO (MS-CIFS 2.2.8.1.4), one entry: the 64 bytes shared with the Both level, then the name. */
  const DIRECTORY_ONE = hex(`
    00000000          // NextEntryOffset: last
    05000000          // FileIndex 5
    0100000000000000  // CreationTime
    0200000000000000  // LastAccessTime
    0300000000000000  // LastWriteTime
    0400000000000000  // LastAttrChangeTime
    0900000000000000  // EndOfFile 9
    0010000000000000  // AllocationSize 4096
    20000000          // ExtFileAttributes: ARCHIVE
    0a000000          // FileNameLength 10
    610062006300640065 00 // FileName 'abcde'
  `);
  it('SMB_FIND_FILE_DIRECTORY_INFO: the name right after FileNameLength', () => {
    expect(decodeFindDirectoryInfo(DIRECTORY_ONE, 1)).toEqual([
      { fileIndex: 5, creationTime: 1n, lastAccessTime: 2n, lastWriteTime: 3n, changeTime: 4n, endOfFile: 9, allocationSize: 4096, fileAttributes: 0x20, fileName: 'abcde', offset: 0 },
    ]);
    // Two chained without alignment; a NextEntryOffset inside the 64 fixed bytes does not move on.
    const two = Buffer.concat([DIRECTORY_ONE, DIRECTORY_ONE]);
    two.writeUInt32LE(DIRECTORY_ONE.length, 0);
    expect(decodeFindDirectoryInfo(two, 2).map((e) => e.offset)).toEqual([0, DIRECTORY_ONE.length]);
    two.writeUInt32LE(60, 0);
    expect(() => decodeFindDirectoryInfo(two, 2)).toThrow(/SMB_FIND_FILE_DIRECTORY_INFO.*NextEntryOffset/);
    fuzzStructure((b) => decodeFindDirectoryInfo(b, 2), [DIRECTORY_ONE]);
  });
  it('SMB_QUERY_FILE_ALL_INFO', () => {
    const d = Buffer.alloc(72 + 4);
    d.writeBigUInt64LE(1n, 0);
    d.writeBigUInt64LE(2n, 8);
    d.writeBigUInt64LE(3n, 16);
    d.writeBigUInt64LE(4n, 24);
    d.writeUInt32LE(0x10, 32);
    d.writeBigUInt64LE(8192n, 40);
    d.writeBigUInt64LE(5000n, 48);
    d[61] = 1; // Directory
    expect(decodeQueryFileAllInfo(d)).toEqual({ creationTime: 1n, lastAccessTime: 2n, lastWriteTime: 3n, changeTime: 4n, fileAttributes: 0x10, allocationSize: 8192, endOfFile: 5000, deletePending: false, directory: true });
  });
  it('fuzz the structures', () => {
    fuzzStructure((b) => decodeFindBothDirectoryInfo(b, 3), [three]);
    fuzzStructure((b) => decodeFindFirst2Params(b), [hex('0100 0300 0100 0000 4000')]);
    fuzzStructure((b) => decodeQueryFileAllInfo(b), [Buffer.alloc(80)]);
  });
});

describe('RAP NetShareEnum (MS-RAP 2.5.21)', () => {
  it('request', () => {
    expect(encodeRapNetShareEnum(0x1000)).toEqual(hex('0000 57724c656800 4231334257 7a00 0100 0010'));
  });
  const params = hex('0000 0010 0200 0200'); // success, converter 0x1000, 2 of 2
  const data = Buffer.concat([
    Buffer.from('public\0\0\0\0\0\0\0', 'latin1'), hex('00 0000 2810 0000'), // disk, remark at 0x1028 - 0x1000 = 40
    Buffer.from('IPC$\0\0\0\0\0\0\0\0\0', 'latin1'), hex('00 0300 0000 0000'), // IPC, no remark
    Buffer.from('Drop box\0', 'latin1'),
  ]);
  it('answer: names, types, remarks at offset - converter', () => {
    expect(decodeRapNetShareEnum(params, data)).toEqual([
      { name: 'public', type: 'disk', special: false, comment: 'Drop box' },
      { name: 'IPC$', type: 'ipc', special: true, comment: '' },
    ]);
  });
  it('a remark outside the data is malformed; fuzz', () => {
    const bad = Buffer.from(data);
    bad.writeUInt16LE(0x2000, 16);
    expect(() => decodeRapNetShareEnum(params, bad)).toThrow(/RemarkOffset/);
    fuzzStructure((b) => decodeRapNetShareEnum(params, b), [data]);
  });
});
