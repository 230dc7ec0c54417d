// Message bodies the hostile-server tests rewrite, read and written by offset as MS-SMB2 lays them out:
// READ response (2.2.20), WRITE request/response (2.2.21, 2.2.22), QUERY_DIRECTORY request/response
// (2.2.33, 2.2.34) with FileDirectoryInformation entries (MS-FSCC 2.4.10, the class our listing asks for), CREATE request
// names (2.2.13). Offsets count from the start of the SMB2 header. Test code only.
import { HEADER_SIZE } from './smb2-pdu.js';

const B = HEADER_SIZE;

// ---- READ response (MS-SMB2 2.2.20): StructureSize 17, DataOffset u8, Reserved, DataLength u32.

export function readResponseData(pdu: Buffer): { offset: number; length: number } {
  return { offset: pdu.readUInt8(B + 2), length: pdu.readUInt32LE(B + 4) };
}

/** `extra` appended right after the data, DataLength raised to match (the data stays inside the message). */
export function extendReadResponse(pdu: Buffer, extra: Buffer): Buffer {
  const { offset, length } = readResponseData(pdu);
  const end = Math.min(pdu.length, offset + length);
  const out = Buffer.concat([pdu.subarray(0, end), extra, pdu.subarray(end)]);
  out.writeUInt32LE(length + extra.length, B + 4);
  return out;
}

/** XORs `count` data bytes from `at` (relative to the data) with 0x5A, in place. */
export function alterReadData(pdu: Buffer, at = 0, count = 16): Buffer {
  const { offset, length } = readResponseData(pdu);
  for (let i = at; i < Math.min(length, at + count); i++) {
    const p = offset + i;
    if (p < pdu.length) pdu[p] = (pdu[p] ?? 0) ^ 0x5a;
  }
  return pdu;
}

// ---- WRITE request (2.2.21): Length u32 at body+4. WRITE response (2.2.22): Count u32 at body+4.

export const writeRequestLength = (pdu: Buffer): number => pdu.readUInt32LE(B + 4);

export function setWriteCount(pdu: Buffer, count: number): Buffer {
  pdu.writeUInt32LE(count >>> 0, B + 4);
  return pdu;
}

// ---- QUERY_DIRECTORY request (2.2.33): OutputBufferLength u32 at body+28.
// ---- QUERY_DIRECTORY response (2.2.34): StructureSize 9, OutputBufferOffset u16, OutputBufferLength u32.

export const queryDirectoryOutputLength = (request: Buffer): number => request.readUInt32LE(B + 28);

export function directoryBuffer(pdu: Buffer): Buffer {
  const offset = pdu.readUInt16LE(B + 2);
  const length = pdu.readUInt32LE(B + 4);
  return pdu.subarray(offset, Math.min(pdu.length, offset + length));
}

/** A QUERY_DIRECTORY response body (StructureSize 9) holding `buffer` at offset 72. */
export function queryDirectoryBody(buffer: Buffer): Buffer {
  const body = Buffer.alloc(8 + Math.max(1, buffer.length));
  body.writeUInt16LE(9, 0);
  body.writeUInt16LE(B + 8, 2);
  body.writeUInt32LE(buffer.length, 4);
  buffer.copy(body, 8);
  return body;
}

/** The same response with another output buffer (header kept: signature, if any, is now wrong). */
export function withDirectoryBuffer(pdu: Buffer, buffer: Buffer): Buffer {
  return Buffer.concat([pdu.subarray(0, B), queryDirectoryBody(buffer)]);
}

// ---- FileDirectoryInformation (MS-FSCC 2.4.10): 64 fixed bytes, FileNameLength at 60, name at 64.

export const DIR_FIXED = 64;
const FILE_NAME_LENGTH = 60;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_ARCHIVE = 0x20;
/** 2026-01-01T00:00:00Z as a FILETIME. */
const SOME_FILETIME = 134116128000000000n;

export interface RawDirEntry {
  /** The 64 fixed bytes (NextEntryOffset and FileNameLength are rewritten on build). */
  fixed: Buffer;
  name: string;
  /** Where the entry started in the buffer it came from. */
  at: number;
}

/** Walks a well-formed buffer (the server's own); stops at the first entry that does not fit. */
export function parseDirEntries(buf: Buffer, max = 1_000_000): RawDirEntry[] {
  const out: RawDirEntry[] = [];
  let at = 0;
  while (out.length < max && at + DIR_FIXED <= buf.length) {
    const next = buf.readUInt32LE(at);
    const nameLength = buf.readUInt32LE(at + FILE_NAME_LENGTH);
    if (at + DIR_FIXED + nameLength > buf.length) break;
    out.push({
      fixed: Buffer.from(buf.subarray(at, at + DIR_FIXED)),
      name: buf.toString('utf16le', at + DIR_FIXED, at + DIR_FIXED + nameLength),
      at,
    });
    if (next === 0) break;
    at += next;
  }
  return out;
}

/** Entries chained and 8-byte aligned as a server lays them out (the last NextEntryOffset 0). */
export function buildDirEntries(entries: readonly Pick<RawDirEntry, 'fixed' | 'name'>[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((e, i) => {
    const name = Buffer.from(e.name, 'utf16le');
    const size = DIR_FIXED + name.length;
    const last = i === entries.length - 1;
    const padded = last ? size : (size + 7) & ~7;
    const out = Buffer.alloc(padded);
    e.fixed.copy(out, 0, 0, DIR_FIXED);
    out.writeUInt32LE(last ? 0 : padded, 0);
    out.writeUInt32LE(name.length, FILE_NAME_LENGTH);
    name.copy(out, DIR_FIXED);
    parts.push(out);
  });
  return Buffer.concat(parts);
}

/** The fixed part of a plausible entry: a file of `size` bytes (or a folder), FileIndex `id`. */
export function entryFixed(id: number, opts: { size?: number; directory?: boolean } = {}): Buffer {
  const f = Buffer.alloc(DIR_FIXED);
  f.writeUInt32LE(id >>> 0, 4); // FileIndex
  for (const off of [8, 16, 24, 32]) f.writeBigUInt64LE(SOME_FILETIME, off);
  const size = opts.directory ? 0 : (opts.size ?? 1);
  f.writeBigUInt64LE(BigInt(size), 40); // EndOfFile
  f.writeBigUInt64LE(BigInt((size + 4095) & ~4095), 48); // AllocationSize
  f.writeUInt32LE(opts.directory ? FILE_ATTRIBUTE_DIRECTORY : FILE_ATTRIBUTE_ARCHIVE, 56);
  return f;
}

/**
 * As many fresh, unique file entries as fit in `space` bytes, named `${prefix}${n}` from `first` on;
 * returns the buffer and the next unused number. Names have a fixed width so sizes are predictable.
 */
export function uniqueEntries(prefix: string, first: number, space: number): { buffer: Buffer; next: number } {
  const width = 10;
  const nameBytes = 2 * (prefix.length + width);
  const size = (DIR_FIXED + nameBytes + 7) & ~7;
  const count = Math.max(1, Math.floor(space / size));
  const out = Buffer.alloc(count * size);
  const template = entryFixed(first);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    const n = first + i;
    template.copy(out, at);
    out.writeUInt32LE(i === count - 1 ? 0 : size, at);
    out.writeUInt32LE(n >>> 0, at + 4);
    out.writeUInt32LE(nameBytes, at + FILE_NAME_LENGTH);
    out.write(`${prefix}${String(n).padStart(width, '0')}`, at + DIR_FIXED, 'utf16le');
  }
  // The last entry is not padded (MS-FSCC 2.4: only entries followed by another are aligned).
  return { buffer: out.subarray(0, (count - 1) * size + DIR_FIXED + nameBytes), next: first + count };
}

/** Renames the entries `rename` picks (returns the new name, or undefined to keep it). */
export function renameDirEntries(buf: Buffer, rename: (name: string) => string | undefined): { buffer: Buffer; renamed: number } {
  let renamed = 0;
  const entries = parseDirEntries(buf).map((e) => {
    const name = rename(e.name);
    if (name === undefined) return e;
    renamed++;
    return { ...e, name };
  });
  return { buffer: renamed === 0 ? buf : buildDirEntries(entries), renamed };
}

// ---- CREATE request (2.2.13): NameOffset u16 at body+44, NameLength u16 at body+46,
// CreateContextsOffset u32 at body+48, CreateContextsLength u32 at body+52; 56 fixed body bytes.

export function createRequestName(pdu: Buffer): string {
  const offset = pdu.readUInt16LE(B + 44);
  const length = pdu.readUInt16LE(B + 46);
  return pdu.toString('utf16le', offset, Math.min(pdu.length, offset + length));
}

/** The same CREATE with another name; the create contexts move to the next 8-byte boundary. */
export function withCreateName(pdu: Buffer, name: string): Buffer {
  const ctxOffset = pdu.readUInt32LE(B + 48);
  const ctxLength = pdu.readUInt32LE(B + 52);
  const contexts = ctxLength > 0 ? pdu.subarray(ctxOffset, ctxOffset + ctxLength) : Buffer.alloc(0);
  const nameBytes = Buffer.from(name, 'utf16le');
  const nameAt = B + 56;
  const nameEnd = nameAt + Math.max(1, nameBytes.length); // an empty name still has one Buffer byte
  const ctxAt = contexts.length > 0 ? (nameEnd + 7) & ~7 : 0;
  const out = Buffer.alloc(contexts.length > 0 ? ctxAt + contexts.length : nameEnd);
  pdu.copy(out, 0, 0, nameAt);
  nameBytes.copy(out, nameAt);
  out.writeUInt16LE(nameAt, B + 44);
  out.writeUInt16LE(nameBytes.length, B + 46);
  out.writeUInt32LE(ctxAt, B + 48);
  out.writeUInt32LE(contexts.length, B + 52);
  if (contexts.length > 0) contexts.copy(out, ctxAt);
  return out;
}
