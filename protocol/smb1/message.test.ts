// Parameter/data blocks (MS-CIFS 2.2.3.2-3) and AndX chains (2.2.3.4): offsets only forward, inside
// the message, past the current block, never longer than asked; strings (2.2.1.1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { Smb1Command } from './constants.js';
import { encodeBlock, readBlock, readSingleAndX, readSmbString, walkAndXChain } from './message.js';
import { hex, reply } from './smb1.test-helpers.js';

const isAndX = (c: number): boolean => c === Smb1Command.SESSION_SETUP_ANDX || c === Smb1Command.TREE_CONNECT_ANDX;

/** SESSION_SETUP_ANDX (WordCount 3) chained to TREE_CONNECT_ANDX (WordCount 3) at `offset`. */
function chain(offset: number, second = 'ff000000'): Buffer {
  return reply(
    Smb1Command.SESSION_SETUP_ANDX,
    hex(`
      03                      // WordCount
      75 00 ${offset.toString(16).padStart(2, '0')}00   // AndXCommand TREE_CONNECT_ANDX, reserved, AndXOffset
      0000                    // Action
      0000                    // ByteCount
      03 ${second} 0100 0000  // TREE_CONNECT_ANDX: WordCount 3, AndX, OptionalSupport, ByteCount 0
    `),
  );
}

describe('blocks', () => {
  it('encodes WordCount, Words, ByteCount, Bytes', () => {
    expect(encodeBlock(hex('0102 0304'), [hex('aa'), hex('bbcc')])).toEqual(hex('02 01020304 0300 aabbcc'));
  });
  it('reads the golden block and refuses counts that leave the message', () => {
    const msg = reply(0x2b, hex('01 0100 0300 616263'));
    const b = readBlock(msg, 32, 'x');
    expect([b.wordCount, b.byteCount, b.bytesOffset, b.end]).toEqual([1, 3, 37, 40]);
    expect(() => readBlock(msg.subarray(0, 39), 32, 'x')).toThrow(MalformedMessageError);
    expect(() => readBlock(reply(0x2b, hex('05 0100')), 32, 'x')).toThrow(/Words/);
  });
});

describe('AndX chains', () => {
  it('walks a two-command chain', () => {
    const blocks = walkAndXChain(chain(41), Smb1Command.SESSION_SETUP_ANDX, 2, isAndX);
    expect(blocks.map((b) => [b.command, b.block.offset])).toEqual([
      [Smb1Command.SESSION_SETUP_ANDX, 32],
      [Smb1Command.TREE_CONNECT_ANDX, 41],
    ]);
  });
  it('refuses a chain longer than the request asked for', () => {
    expect(() => walkAndXChain(chain(41), Smb1Command.SESSION_SETUP_ANDX, 1, isAndX)).toThrow(/past the 1 command/);
    expect(() => readSingleAndX(chain(41), 'x', [3])).toThrow(/AndXCommand/);
  });
  it.each([
    ['backwards, to the header', 0],
    ['into its own block', 36],
    ['to itself (a loop)', 32],
    ['outside the message', 200],
  ])('refuses an AndXOffset pointing %s', (_what, offset) => {
    expect(() => walkAndXChain(chain(offset), Smb1Command.SESSION_SETUP_ANDX, 8, isAndX)).toThrow(/AndXOffset/);
  });
  it('a loop between two blocks is caught (the second points back)', () => {
    expect(() => walkAndXChain(chain(41, '73002000'), Smb1Command.SESSION_SETUP_ANDX, 8, isAndX)).toThrow(/AndXOffset/);
  });
  it('random chains: MalformedMessageError or a forward walk, never more blocks than allowed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 1, max: 4 }), (bytes, max) => {
        try {
          const blocks = walkAndXChain(reply(Smb1Command.SESSION_SETUP_ANDX, Buffer.from(bytes)), Smb1Command.SESSION_SETUP_ANDX, max, isAndX);
          expect(blocks.length).toBeLessThanOrEqual(max);
          for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.block.offset).toBeGreaterThanOrEqual(blocks[i - 1]!.block.end);
        } catch (e) {
          if (!(e instanceof MalformedMessageError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('strings', () => {
  it('Unicode, aligned from the header start, null-terminated', () => {
    const buf = hex('00 00 4100 4200 0000 58');
    const r = new ByteReader(buf, 's', 1);
    expect(readSmbString(r, true, 'Name')).toBe('AB');
    expect(r.offset).toBe(8);
  });
  it('OEM, and a missing terminator at the end', () => {
    expect(readSmbString(new ByteReader(hex('414243'), 's'), false, 'N')).toBe('ABC');
    expect(readSmbString(new ByteReader(hex('4100 4200'), 's'), true, 'N')).toBe('AB');
  });
});
