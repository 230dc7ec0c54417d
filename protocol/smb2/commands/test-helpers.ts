// Test-only helpers for the golden and property tests of the codecs (imported by *.test.ts files only).
import fc from 'fast-check';
import { expect } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { SMB2_FLAGS_SERVER_TO_REDIR, SMB2_HEADER_SIZE } from '../constants.js';
import { encodeHeader } from '../header.js';
export { hex } from '../../wire/hex-notation.js';

/**
 * Hex written field by field: everything after `//` on a line is a comment, whitespace is ignored.
 * Golden vectors in the tests are assembled by hand from the spec's layout tables this way.
 */

/** A 64-byte sync header for `command`, followed by `body`: what a decoder receives. */
export function message(command: number, body: Buffer, opts: { status?: number; response?: boolean } = {}): Buffer {
  const header = encodeHeader({
    creditCharge: 1,
    status: opts.status ?? 0,
    command,
    credits: 1,
    flags: opts.response === false ? 0 : SMB2_FLAGS_SERVER_TO_REDIR,
    nextCommand: 0,
    messageId: 1n,
    treeId: 0,
    sessionId: 0n,
  });
  return Buffer.concat([header, body]);
}

function onlyMalformed(decode: (msg: Buffer) => unknown, msg: Buffer): void {
  try {
    decode(msg);
  } catch (e) {
    if (!(e instanceof MalformedMessageError)) {
      throw new Error(`decoder threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/**
 * Property: random bytes (bare and behind a valid header), and valid messages with one byte changed or cut short
 * at any point, either decode or throw MalformedMessageError, never anything else.
 */
export function fuzzDecoder(decode: (msg: Buffer) => unknown, command: number, valid: Buffer[], runs = 300): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      onlyMalformed(decode, message(command, Buffer.from(bytes)));
    }),
    { numRuns: runs },
  );
  fuzzStructure(decode, valid, SMB2_HEADER_SIZE, runs);
}

/**
 * The same property for a structure without an SMB2 header (MS-FSCC buffers): random bytes, one byte changed at or
 * after `from`, and truncation, only ever decode or throw MalformedMessageError.
 */
export function fuzzStructure(decode: (buf: Buffer) => unknown, valid: Buffer[], from = 0, runs = 300): void {
  expect(valid.length).toBeGreaterThan(0);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      onlyMalformed(decode, Buffer.from(bytes));
    }),
    { numRuns: runs },
  );
  const sample = fc.constantFrom(...valid);
  fc.assert(
    fc.property(sample, fc.nat(), fc.integer({ min: 0, max: 255 }), (msg, at, value) => {
      const copy = Buffer.from(msg);
      copy[from + (at % Math.max(1, copy.length - from))] = value;
      onlyMalformed(decode, copy);
    }),
    { numRuns: runs },
  );
  fc.assert(
    fc.property(sample, fc.nat(), (msg, at) => {
      onlyMalformed(decode, Buffer.from(msg.subarray(0, at % (msg.length + 1))));
    }),
    { numRuns: runs },
  );
}
