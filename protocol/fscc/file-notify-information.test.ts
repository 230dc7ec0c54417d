import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { fuzzStructure, hex } from '../smb2/commands/test-helpers.js';
import {
  FILE_ACTION_ADDED,
  FILE_ACTION_RENAMED_NEW_NAME,
  FILE_ACTION_RENAMED_OLD_NAME,
  decodeFileNotifyInformation,
  encodeFileNotifyInformation,
} from './file-notify-information.js';

const utf16 = (s: string): string => Buffer.from(s, 'utf16le').toString('hex');

// MS-FSCC 2.7.1, two entries: a rename, old name then new; the first padded to 4 bytes.
const TWO = hex(`
  14000000             // NextEntryOffset 20 = 12 + 6, padded to 20
  04000000             // Action: FILE_ACTION_RENAMED_OLD_NAME
  06000000             // FileNameLength 6
  ${utf16('a.t')}      // FileName
  0000                 // padding to the next 4-byte boundary
  00000000             // NextEntryOffset: last
  05000000             // Action: FILE_ACTION_RENAMED_NEW_NAME
  08000000             // FileNameLength 8
  ${utf16('b.tx')}     // FileName
`);

const bad = (buf: Buffer) => {
  try {
    decodeFileNotifyInformation(buf);
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('FILE_NOTIFY_INFORMATION (MS-FSCC 2.7.1)', () => {
  it('decodes and encodes a chain against the same bytes', () => {
    const entries = [
      { action: FILE_ACTION_RENAMED_OLD_NAME, fileName: 'a.t' },
      { action: FILE_ACTION_RENAMED_NEW_NAME, fileName: 'b.tx' },
    ];
    expect(decodeFileNotifyInformation(TWO)).toEqual(entries);
    expect(encodeFileNotifyInformation(entries).toString('hex')).toBe(TWO.toString('hex'));
    expect(decodeFileNotifyInformation(Buffer.alloc(0))).toEqual([]);
  });

  it('a NextEntryOffset that stays, goes back, overlaps the name, is unaligned or leaves the buffer is malformed', () => {
    for (const next of [0x0c /* into the name */, 0x13 /* unaligned */, 0x40 /* past the end */, 0xfffffffc]) {
      const copy = Buffer.from(TWO);
      copy.writeUInt32LE(next, 0);
      expect(bad(copy)).toMatchObject({ code: 'malformed', field: 'NextEntryOffset' });
    }
    // A loop back to the first entry cannot be written: the step is unsigned and must pass the name.
    const selfLoop = Buffer.from(TWO);
    selfLoop.writeUInt32LE(0, 0);
    expect(decodeFileNotifyInformation(selfLoop)).toHaveLength(1);
  });

  it('an odd or too long FileNameLength and an unknown Action are malformed', () => {
    const odd = Buffer.from(TWO);
    odd.writeUInt32LE(5, 8);
    expect(bad(odd)).toMatchObject({ field: 'FileName' });
    const long = Buffer.from(TWO);
    long.writeUInt32LE(0x7ffffffe, 8);
    expect(bad(long)).toMatchObject({ field: 'FileName' });
    const action = Buffer.from(TWO);
    action.writeUInt32LE(0x20, 4);
    expect(bad(action)).toMatchObject({ field: 'Action' });
  });

  it('round trips any list of names', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ action: fc.integer({ min: FILE_ACTION_ADDED, max: 8 }), fileName: fc.string({ maxLength: 20 }) }), { minLength: 1, maxLength: 20 }), (entries) => {
        const decoded = decodeFileNotifyInformation(encodeFileNotifyInformation(entries));
        expect(decoded.map((e) => e.action)).toEqual(entries.map((e) => e.action));
        expect(decoded.map((e) => Buffer.from(e.fileName, 'utf16le'))).toEqual(entries.map((e) => Buffer.from(e.fileName, 'utf16le')));
      }),
      { numRuns: 200 },
    );
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzStructure(decodeFileNotifyInformation, [TWO, encodeFileNotifyInformation([{ action: FILE_ACTION_ADDED, fileName: 'x' }])]);
    expect(bad(Buffer.alloc(11, 1))).toBeInstanceOf(MalformedMessageError);
  });
});
