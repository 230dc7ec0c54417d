// UUIDs on the wire in NDR little-endian form (C706 Appendix A; MS-DTYP 2.3.4.2 GUID packet representation):
// the first three fields (u32, u16, u16) are little-endian, the last eight bytes are in textual order.
import type { ByteReader } from '../wire/byte-reader.js';
import type { ByteWriter } from '../wire/byte-writer.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const UUID_SIZE = 16;

/** Encodes "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in the mixed-endian wire form. */
export function uuidToBytes(uuid: string): Buffer {
  if (!UUID_RE.test(uuid)) throw new TypeError(`not a UUID: ${uuid}`);
  const hex = uuid.replace(/-/g, '');
  const raw = Buffer.from(hex, 'hex');
  const out = Buffer.alloc(UUID_SIZE);
  out.writeUInt32LE(raw.readUInt32BE(0), 0);
  out.writeUInt16LE(raw.readUInt16BE(4), 4);
  out.writeUInt16LE(raw.readUInt16BE(6), 6);
  raw.copy(out, 8, 8, 16);
  return out;
}

/** Decodes 16 wire bytes (mixed-endian) into the lower-case textual form. */
export function uuidFromBytes(b: Buffer): string {
  if (b.length !== UUID_SIZE) throw new TypeError(`UUID needs 16 bytes, got ${b.length}`);
  const raw = Buffer.alloc(UUID_SIZE);
  raw.writeUInt32BE(b.readUInt32LE(0), 0);
  raw.writeUInt16BE(b.readUInt16LE(4), 4);
  raw.writeUInt16BE(b.readUInt16LE(6), 6);
  b.copy(raw, 8, 8, 16);
  const h = raw.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function writeUuid(w: ByteWriter, uuid: string): void {
  w.bytes(uuidToBytes(uuid));
}

export function readUuid(r: ByteReader, field: string): string {
  return uuidFromBytes(r.bytes(UUID_SIZE, field));
}

/** A syntax identifier, p_syntax_id_t (C706 12.6.3.1): interface UUID and version (major u16, minor u16). */
export interface SyntaxId {
  uuid: string;
  major: number;
  minor: number;
}

export const SYNTAX_ID_SIZE = UUID_SIZE + 4;

export function writeSyntaxId(w: ByteWriter, s: SyntaxId): void {
  writeUuid(w, s.uuid);
  w.u16(s.major).u16(s.minor);
}

export function readSyntaxId(r: ByteReader, field: string): SyntaxId {
  const uuid = readUuid(r, `${field}.if_uuid`);
  const major = r.u16(`${field}.if_version.major`);
  const minor = r.u16(`${field}.if_version.minor`);
  return { uuid, major, minor };
}

/** The NDR 2.0 transfer syntax (C706 Appendix I; MS-RPCE 2.2.4.12). */
export const NDR_SYNTAX: SyntaxId = { uuid: '8a885d04-1ceb-11c9-9fe8-08002b104860', major: 2, minor: 0 };

export function sameSyntax(a: SyntaxId, b: SyntaxId): boolean {
  return a.uuid.toLowerCase() === b.uuid.toLowerCase() && a.major === b.major && a.minor === b.minor;
}
