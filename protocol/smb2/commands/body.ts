// Shared plumbing for the command codecs (MS-SMB2 2.2).
//
// Conventions every command file follows:
// - Request and response ENCODERS return the body only (the bytes after the 64-byte header). Offsets written into a
//   body still count from the first byte of the header (MS-SMB2 2.2.1), so a buffer right after a fixed part of N
//   bytes sits at 64 + N.
// - DECODERS take the whole message (header at byte 0, body at 64) so that offsets can be checked as the spec states
//   them. Buffers they return are views into the message, never copies (FileIds are the exception: 16 bytes, copied so
//   a kept handle does not pin a large receive buffer).
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { SMB2_HEADER_SIZE } from '../constants.js';

/** MS-SMB2 2.2.14.1: SMB2_FILEID is 16 bytes (Persistent, Volatile). */
export const SMB2_FILEID_SIZE = 16;

/** The FileId used for requests that are not bound to an open (MS-SMB2 3.2.4.20.1: all bytes 0xFF). */
export const SMB2_FILEID_NONE: Buffer = Buffer.alloc(SMB2_FILEID_SIZE, 0xff);

/**
 * A reader over the body of `msg`, after checking that a header fits and that StructureSize is `structureSize`
 * (MS-SMB2 2.2: every body starts with a 2-byte StructureSize that does not vary with the buffer length).
 */
export function bodyReader(msg: Buffer, structure: string, structureSize: number): ByteReader {
  if (msg.length < SMB2_HEADER_SIZE) {
    throw new MalformedMessageError(structure, 'header', `message of ${msg.length} bytes is shorter than the header`);
  }
  const r = new ByteReader(msg, structure, SMB2_HEADER_SIZE);
  r.expectU16('StructureSize', structureSize);
  return r;
}

/**
 * A view of the variable part named by (offset, length), both taken from the message. An empty buffer ignores its
 * offset (servers send 0 there); a non-empty one must start at or after `minOffset` (the end of the fixed part, so it
 * cannot alias the header or the fixed fields) and end inside the message.
 */
export function bufferView(
  r: ByteReader,
  offset: number,
  length: number,
  minOffset: number,
  field: string,
): Buffer {
  if (length === 0) return r.buf.subarray(0, 0);
  if (offset < minOffset) {
    throw new MalformedMessageError(r.structure, field, `offset ${offset} points inside the fixed part (< ${minOffset})`);
  }
  return r.slice(offset, length, field);
}

/** Reads a 16-byte SMB2_FILEID and copies it. */
export function readFileId(r: ByteReader, field = 'FileId'): Buffer {
  return Buffer.from(r.bytes(SMB2_FILEID_SIZE, field));
}

/** Caller errors in encoders are programming mistakes, not wire problems: they throw RangeError. */
export function checkFileId(fileId: Buffer, structure: string): void {
  if (fileId.length !== SMB2_FILEID_SIZE) {
    throw new RangeError(`${structure}: FileId must be ${SMB2_FILEID_SIZE} bytes, got ${fileId.length}`);
  }
}

export function checkU16(value: number, structure: string, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new RangeError(`${structure}: ${field} ${value} does not fit in 16 bits`);
  }
}

export function checkU32(value: number, structure: string, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${structure}: ${field} ${value} does not fit in 32 bits`);
  }
}

/** Rounds up to a multiple of 8 (create contexts, negotiate contexts, error contexts are 8-byte aligned). */
export function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
