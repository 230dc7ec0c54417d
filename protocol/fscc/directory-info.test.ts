import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { fuzzStructure, hex } from '../smb2/commands/test-helpers.js';
import {
  type DirectoryEntry,
  decodeFileBothDirectoryInformation,
  decodeFileDirectoryInformation,
  decodeFileIdBothDirectoryInformation,
  encodeFileBothDirectoryInformation,
  encodeFileDirectoryInformation,
  encodeFileIdBothDirectoryInformation,
} from './directory-info.js';

const utf16 = (s: string): string => Buffer.from(s, 'utf16le').toString('hex');

// MS-FSCC FILE_ID_BOTH_DIR_INFORMATION, one entry, assembled from the layout table.
const ONE = hex(`
  00000000             // NextEntryOffset: last
  00000000             // FileIndex
  0100000000000000     // CreationTime
  0200000000000000     // LastAccessTime
  0300000000000000     // LastWriteTime
  0400000000000000     // ChangeTime
  0500000000000000     // EndOfFile 5
  0010000000000000     // AllocationSize 4096
  20000000             // FileAttributes: ARCHIVE
  0a000000             // FileNameLength 10
  00000000             // EaSize
  0a                   // ShortNameLength 10
  00                   // Reserved1
  ${utf16('A.TXT')} 0000000000000000000000000000 // ShortName, 24 bytes
  0000                 // Reserved2
  8877665544332211     // FileId
  ${utf16('a.txt')}    // FileName
`);

const base = {
  fileIndex: 0,
  creationTime: 0x01d9c0a1b2c3d4e5n,
  lastAccessTime: 0x01d9c0a1b2c3d4e6n,
  lastWriteTime: 0x01d9c0a1b2c3d4e7n,
  changeTime: 0x01d9c0a1b2c3d4e8n,
  endOfFile: 0,
  allocationSize: 0,
};
const three: DirectoryEntry[] = [
  { ...base, fileAttributes: 0x10, fileName: '.', fileId: 1n },
  { ...base, fileAttributes: 0x20, fileName: 'Meine Dateien – résumé final.docx', endOfFile: 123456, allocationSize: 126976, shortName: 'MEINED~1.DOC', fileId: 2n },
  { ...base, fileAttributes: 0x20, fileName: 'Urlaub 2024 🏖️ Strand.jpg', endOfFile: 2 ** 40, allocationSize: 2 ** 40, fileId: 0xfedcba9876543210n },
];

describe('FileIdBothDirectoryInformation (MS-FSCC)', () => {
  it('decodes the golden entry', () => {
    expect(decodeFileIdBothDirectoryInformation(ONE)).toEqual([
      {
        fileIndex: 0,
        creationTime: 1n,
        lastAccessTime: 2n,
        lastWriteTime: 3n,
        changeTime: 4n,
        endOfFile: 5,
        allocationSize: 4096,
        fileAttributes: 0x20,
        fileName: 'a.txt',
        shortName: 'A.TXT',
        fileId: 0x1122334455667788n,
      },
    ]);
    expect(encodeFileIdBothDirectoryInformation(decodeFileIdBothDirectoryInformation(ONE)).toString('hex')).toBe(ONE.toString('hex'));
  });

  it('walks three entries with spaces, accents and an emoji, each 8-byte aligned', () => {
    const buf = encodeFileIdBothDirectoryInformation(three);
    const first = buf.readUInt32LE(0);
    const second = buf.readUInt32LE(first);
    expect(first).toBe(Math.ceil((104 + 2) / 8) * 8);
    expect(second % 8).toBe(0);
    expect(buf.readUInt32LE(first + second)).toBe(0);
    expect(buf.length).toBe(first + second + 104 + Buffer.byteLength(three[2]?.fileName ?? '', 'utf16le'));
    expect(decodeFileIdBothDirectoryInformation(buf)).toEqual(three);
  });

  it('FileBothDirectoryInformation has no FileId', () => {
    const buf = encodeFileBothDirectoryInformation(three);
    expect(decodeFileBothDirectoryInformation(buf)).toEqual(three.map(({ fileId: _fileId, ...rest }) => rest));
  });

  it('returns nothing for an empty buffer', () => {
    expect(decodeFileIdBothDirectoryInformation(Buffer.alloc(0))).toEqual([]);
  });

  it('rejects zero-progress, backward, misaligned and overrunning offsets', () => {
    const buf = encodeFileIdBothDirectoryInformation(three);
    const tooSmall = Buffer.from(buf);
    tooSmall.writeUInt32LE(8, 0);
    expect(() => decodeFileIdBothDirectoryInformation(tooSmall)).toThrow(/NextEntryOffset/);
    const misaligned = Buffer.from(buf);
    misaligned.writeUInt32LE(buf.readUInt32LE(0) + 4, 0);
    expect(() => decodeFileIdBothDirectoryInformation(misaligned)).toThrow(/aligned/);
    const past = Buffer.from(buf);
    past.writeUInt32LE(buf.length, 0);
    expect(() => decodeFileIdBothDirectoryInformation(past)).toThrow(MalformedMessageError);
    const name = Buffer.from(ONE);
    name.writeUInt32LE(12, 60); // FileNameLength past the end
    expect(() => decodeFileIdBothDirectoryInformation(name)).toThrow(/FileName/);
    const short = Buffer.from(ONE);
    short[68] = 26;
    expect(() => decodeFileIdBothDirectoryInformation(short)).toThrow(/ShortNameLength/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    const buf = encodeFileIdBothDirectoryInformation(three);
    fuzzStructure(decodeFileIdBothDirectoryInformation, [ONE, buf]);
    fuzzStructure(decodeFileBothDirectoryInformation, [encodeFileBothDirectoryInformation(three)]);
    fuzzStructure(decodeFileDirectoryInformation, [PLAIN, encodeFileDirectoryInformation(plainThree)]);
  });
});

// MS-FSCC 2.4.10 FILE_DIRECTORY_INFORMATION, one entry: the shared 64 bytes, then the name.
const PLAIN = hex(`
  00000000             // NextEntryOffset: last
  07000000             // FileIndex 7
  0100000000000000     // CreationTime
  0200000000000000     // LastAccessTime
  0300000000000000     // LastWriteTime
  0400000000000000     // ChangeTime
  0500000000000000     // EndOfFile 5
  0010000000000000     // AllocationSize 4096
  10000000             // FileAttributes: DIRECTORY
  0a000000             // FileNameLength 10
  ${utf16('Fotos')}    // FileName
`);
const plainThree = three.map(({ fileId: _fileId, shortName: _shortName, ...rest }) => rest);

describe('FileDirectoryInformation (MS-FSCC 2.4.10)', () => {
  it('decodes the golden entry and encodes it back byte for byte', () => {
    const entries = decodeFileDirectoryInformation(PLAIN);
    expect(entries).toEqual([
      {
        fileIndex: 7,
        creationTime: 1n,
        lastAccessTime: 2n,
        lastWriteTime: 3n,
        changeTime: 4n,
        endOfFile: 5,
        allocationSize: 4096,
        fileAttributes: 0x10,
        fileName: 'Fotos',
      },
    ]);
    expect(encodeFileDirectoryInformation(entries).toString('hex')).toBe(PLAIN.toString('hex'));
  });

  it('walks three entries, 64 fixed bytes each, aligned to 8', () => {
    const buf = encodeFileDirectoryInformation(plainThree);
    const first = buf.readUInt32LE(0);
    expect(first).toBe(Math.ceil((64 + 2) / 8) * 8);
    expect(decodeFileDirectoryInformation(buf)).toEqual(plainThree);
  });

  it('names the field when a chain is bad', () => {
    const name = Buffer.from(PLAIN);
    name.writeUInt32LE(12, 60); // FileNameLength past the end
    expect(() => decodeFileDirectoryInformation(name)).toThrow(/FILE_DIRECTORY_INFORMATION.*FileName/);
    const tooSmall = encodeFileDirectoryInformation(plainThree);
    tooSmall.writeUInt32LE(56, 0); // the next entry would start inside this one
    expect(() => decodeFileDirectoryInformation(tooSmall)).toThrow(/NextEntryOffset/);
  });
});
