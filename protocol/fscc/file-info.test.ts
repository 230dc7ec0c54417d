import { describe, expect, it } from 'vitest';
import { fuzzStructure, hex } from '../smb2/commands/test-helpers.js';
import {
  decodeFileAllInformation,
  decodeFileBasicInformation,
  decodeFileNetworkOpenInformation,
  decodeFileRenameInformationSmb2,
  decodeFileStandardInformation,
  encodeFileAllInformation,
  encodeFileBasicInformation,
  encodeFileDispositionInformation,
  encodeFileEndOfFileInformation,
  encodeFileNetworkOpenInformation,
  encodeFileRenameInformationSmb2,
  encodeFileStandardInformation,
} from './file-info.js';

const utf16 = (s: string): string => Buffer.from(s, 'utf16le').toString('hex');

// MS-FSCC 2.4.7
const BASIC = hex(`
  0000000000000000     // CreationTime: 0, do not change
  0000000000000000     // LastAccessTime
  00c0f4d1b2c0d901     // LastWriteTime
  0000000000000000     // ChangeTime
  00000000             // FileAttributes: 0, do not change
  00000000             // Reserved
`);
// MS-FSCC FileStandardInformation
const STANDARD = hex(`
  0010000000000000     // AllocationSize 4096
  ff0f000000000000     // EndOfFile 4095
  01000000             // NumberOfLinks
  00 01                // DeletePending no, Directory yes
  0000                 // Reserved
`);
// MS-FSCC 2.4.29
const NETWORK_OPEN = hex(`
  0100000000000000 0200000000000000 0300000000000000 0400000000000000 // times
  0000100000000000     // AllocationSize 1 MiB
  0000100000000000     // EndOfFile 1 MiB
  80000000             // FileAttributes: NORMAL
  00000000             // Reserved
`);
// MS-FSCC 2.4.2
const ALL = hex(`
  0100000000000000 0200000000000000 0300000000000000 0400000000000000 20000000 00000000 // Basic
  0010000000000000 0500000000000000 01000000 00 00 0000 // Standard
  efcdab8967452301     // InternalInformation.IndexNumber
  00000000             // EaInformation.EaSize
  89001200             // AccessInformation.AccessFlags
  0000000000000000     // PositionInformation.CurrentByteOffset
  20000000             // ModeInformation.Mode: FILE_SYNCHRONOUS_IO_NONALERT
  00000000             // AlignmentInformation.AlignmentRequirement
  14000000             // NameInformation.FileNameLength 20
  ${utf16('\\dir\\a.txt')}
`);

describe('FSCC file information (MS-FSCC 2.4)', () => {
  it('encodes FileBasicInformation with 0 meaning "do not change"', () => {
    expect(encodeFileBasicInformation({ lastWriteTime: 0x01d9c0b2d1f4c000n }).toString('hex')).toBe(BASIC.toString('hex'));
    expect(decodeFileBasicInformation(BASIC)).toEqual({
      creationTime: 0n,
      lastAccessTime: 0n,
      lastWriteTime: 0x01d9c0b2d1f4c000n,
      changeTime: 0n,
      fileAttributes: 0,
    });
  });

  it('decodes FileStandardInformation', () => {
    const info = decodeFileStandardInformation(STANDARD);
    expect(info).toEqual({ allocationSize: 4096, endOfFile: 4095, numberOfLinks: 1, deletePending: false, directory: true });
    expect(encodeFileStandardInformation(info).toString('hex')).toBe(STANDARD.toString('hex'));
  });

  it('decodes FileNetworkOpenInformation', () => {
    const info = decodeFileNetworkOpenInformation(NETWORK_OPEN);
    expect(info).toEqual({ creationTime: 1n, lastAccessTime: 2n, lastWriteTime: 3n, changeTime: 4n, allocationSize: 1 << 20, endOfFile: 1 << 20, fileAttributes: 0x80 });
    expect(encodeFileNetworkOpenInformation(info).toString('hex')).toBe(NETWORK_OPEN.toString('hex'));
  });

  it('decodes FileAllInformation with the name', () => {
    const info = decodeFileAllInformation(ALL);
    expect(info).toEqual({
      basic: { creationTime: 1n, lastAccessTime: 2n, lastWriteTime: 3n, changeTime: 4n, fileAttributes: 0x20 },
      standard: { allocationSize: 4096, endOfFile: 5, numberOfLinks: 1, deletePending: false, directory: false },
      indexNumber: 0x0123456789abcdefn,
      eaSize: 0,
      accessFlags: 0x00120089,
      currentByteOffset: 0n,
      mode: 0x20,
      alignmentRequirement: 0,
      fileName: '\\dir\\a.txt',
    });
    expect(encodeFileAllInformation(info).toString('hex')).toBe(ALL.toString('hex'));
    expect(() => decodeFileAllInformation(ALL.subarray(0, ALL.length - 2))).toThrow(/FileName/);
  });

  it('encodes FileRenameInformation in its SMB2 form (2.4.37.2)', () => {
    const golden = hex(`
      01                   // ReplaceIfExists
      00000000000000       // Reserved, 7 bytes
      0000000000000000     // RootDirectory: 0 for SMB2
      26000000             // FileNameLength 38 (19 UTF-16 units: the emoji takes two)
      ${utf16('neu\\Übersicht 🗂.md')}
    `);
    expect(encodeFileRenameInformationSmb2('neu\\Übersicht 🗂.md', true).toString('hex')).toBe(golden.toString('hex'));
    expect(decodeFileRenameInformationSmb2(golden)).toEqual({ newName: 'neu\\Übersicht 🗂.md', replaceIfExists: true });
    expect(encodeFileRenameInformationSmb2('b', false).toString('hex')).toBe(`00${'00'.repeat(15)}02000000${utf16('b')}`);
  });

  it('encodes FileDispositionInformation and FileEndOfFileInformation', () => {
    expect(encodeFileDispositionInformation(true).toString('hex')).toBe('01');
    expect(encodeFileDispositionInformation(false).toString('hex')).toBe('00');
    expect(encodeFileEndOfFileInformation(0x123456789).toString('hex')).toBe('8967452301000000');
    expect(encodeFileEndOfFileInformation(0n).toString('hex')).toBe('0000000000000000');
    expect(() => encodeFileEndOfFileInformation(-1)).toThrow(RangeError);
  });

  it('decoders only ever throw MalformedMessageError on bad input', () => {
    fuzzStructure(decodeFileBasicInformation, [BASIC], 0, 100);
    fuzzStructure(decodeFileStandardInformation, [STANDARD], 0, 100);
    fuzzStructure(decodeFileNetworkOpenInformation, [NETWORK_OPEN], 0, 100);
    fuzzStructure(decodeFileAllInformation, [ALL]);
  });
});
