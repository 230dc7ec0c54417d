// Test-only helpers for the SMB1 codec and connection tests (imported by *.test.ts files only).
import fc from 'fast-check';
import { expect } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { SMB_FLAGS2_NT_STATUS, SMB_FLAGS2_UNICODE, SMB_FLAGS_REPLY } from './constants.js';
import { encodeHeader } from './header.js';
export { hex } from '../wire/hex-notation.js';

export interface ReplyFields {
  status?: number;
  flags2?: number;
  mid?: number;
  tid?: number;
  uid?: number;
  pid?: number;
}

/** A response header for `command` followed by `rest` (WordCount onwards): what a decoder receives. */
export function reply(command: number, rest: Buffer, f: ReplyFields = {}): Buffer {
  const header = encodeHeader({
    command,
    status: f.status ?? 0,
    flags: SMB_FLAGS_REPLY,
    flags2: f.flags2 ?? SMB_FLAGS2_UNICODE | SMB_FLAGS2_NT_STATUS,
    pid: f.pid ?? 0xfeff,
    tid: f.tid ?? 0,
    uid: f.uid ?? 0,
    mid: f.mid ?? 0,
  });
  return Buffer.concat([header, rest]);
}

function onlyMalformed(decode: (msg: Buffer) => unknown, msg: Buffer): void {
  try {
    decode(msg);
  } catch (e) {
    if (!(e instanceof MalformedMessageError)) throw new Error(`decoder threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Property: random bytes (bare, and after a valid header), and valid messages with one byte changed
 * (after the header) or cut short at any point, either decode or throw MalformedMessageError.
 */
export function fuzzSmb1Decoder(decode: (msg: Buffer) => unknown, command: number, valid: Buffer[], runs = 300): void {
  expect(valid.length).toBeGreaterThan(0);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyMalformed(decode, Buffer.from(b))), { numRuns: runs });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyMalformed(decode, reply(command, Buffer.from(b)))), { numRuns: runs });
  const sample = fc.constantFrom(...valid);
  fc.assert(
    fc.property(sample, fc.nat(), fc.integer({ min: 0, max: 255 }), (msg, at, value) => {
      const copy = Buffer.from(msg);
      copy[32 + (at % Math.max(1, copy.length - 32))] = value;
      onlyMalformed(decode, copy);
    }),
    { numRuns: runs },
  );
  fc.assert(fc.property(sample, fc.nat(), (msg, at) => onlyMalformed(decode, Buffer.from(msg.subarray(0, at % (msg.length + 1))))), { numRuns: runs });
}

/** The same property for a structure without a header (TRANS2 parameters and data). */
export function fuzzStructure(decode: (buf: Buffer) => unknown, valid: Buffer[], runs = 300): void {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyMalformed(decode, Buffer.from(b))), { numRuns: runs });
  const sample = fc.constantFrom(...valid);
  fc.assert(
    fc.property(sample, fc.nat(), fc.integer({ min: 0, max: 255 }), (buf, at, value) => {
      const copy = Buffer.from(buf);
      if (copy.length > 0) copy[at % copy.length] = value;
      onlyMalformed(decode, copy);
    }),
    { numRuns: runs },
  );
  fc.assert(fc.property(sample, fc.nat(), (buf, at) => onlyMalformed(decode, Buffer.from(buf.subarray(0, at % (buf.length + 1))))), { numRuns: runs });
}
