// NEGOTIATE rewrites for the test proxy: strip or drop negotiate contexts (MS-SMB2 2.2.3.1) and
// replace the offered dialects, keeping the layout of MS-SMB2 2.2.3 / 2.2.4. Test code only.
import { HEADER_SIZE } from './smb2-pdu.js';

/** Negotiate context types (MS-SMB2 2.2.3.1). */
export const NegotiateContextType = {
  PREAUTH_INTEGRITY_CAPABILITIES: 0x0001,
  ENCRYPTION_CAPABILITIES: 0x0002,
  COMPRESSION_CAPABILITIES: 0x0003,
  NETNAME_NEGOTIATE_CONTEXT_ID: 0x0005,
  SIGNING_CAPABILITIES: 0x0008,
} as const;

const MAX_CONTEXTS = 64;

const align8 = (n: number): number => (n + 7) & ~7;

interface Context {
  type: number;
  bytes: Buffer;
}

/** Reads a negotiate context list (MS-SMB2 2.2.3.1: 8-byte header, contexts 8-byte aligned). */
function readContexts(msg: Buffer, offset: number, count: number): Context[] {
  const out: Context[] = [];
  let at = offset;
  for (let i = 0; i < Math.min(count, MAX_CONTEXTS); i++) {
    at = align8(at);
    if (at + 8 > msg.length) break;
    const len = msg.readUInt16LE(at + 2);
    if (at + 8 + len > msg.length) break;
    out.push({ type: msg.readUInt16LE(at), bytes: msg.subarray(at, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}

/** `prefix`, padded to 8, then the contexts each padded to 8 (the last one unpadded). */
function withContexts(prefix: Buffer, contexts: readonly Context[]): { msg: Buffer; offset: number } {
  if (contexts.length === 0) return { msg: prefix, offset: 0 };
  const parts: Buffer[] = [prefix];
  let len = prefix.length;
  const offset = align8(len);
  for (const c of contexts) {
    const pad = align8(len) - len;
    parts.push(Buffer.alloc(pad), c.bytes);
    len += pad + c.bytes.length;
  }
  return { msg: Buffer.concat(parts), offset };
}

export interface NegotiateRequestEdit {
  dialects?: readonly number[];
  keepContext?: (type: number) => boolean;
}

/**
 * Rebuilds an SMB2 NEGOTIATE request (MS-SMB2 2.2.3): StructureSize 36, DialectCount at body+2,
 * NegotiateContextOffset (from the header start) at body+28, NegotiateContextCount at body+32,
 * Dialects at body+36. Returns undefined when the message is not one.
 */
export function editNegotiateRequest(msg: Buffer, edit: NegotiateRequestEdit): Buffer | undefined {
  const b = HEADER_SIZE;
  if (msg.length < b + 36 || msg.readUInt16LE(b) !== 36) return undefined;
  const count = msg.readUInt16LE(b + 2);
  if (b + 36 + 2 * count > msg.length) return undefined;
  const oldDialects = Array.from({ length: count }, (_, i) => msg.readUInt16LE(b + 36 + 2 * i));
  const dialects = edit.dialects ?? oldDialects;
  // Without 0x0311 the context fields are ClientStartTime (MS-SMB2 2.2.3) and no list follows.
  let contexts = oldDialects.includes(0x0311) ? readContexts(msg, msg.readUInt32LE(b + 28), msg.readUInt16LE(b + 32)) : [];
  if (!dialects.includes(0x0311)) contexts = [];
  contexts = contexts.filter((c) => edit.keepContext?.(c.type) ?? true);
  const prefix = Buffer.alloc(b + 36 + 2 * dialects.length);
  msg.copy(prefix, 0, 0, b + 36);
  dialects.forEach((d, i) => prefix.writeUInt16LE(d, b + 36 + 2 * i));
  prefix.writeUInt16LE(dialects.length, b + 2);
  const out = withContexts(prefix, contexts);
  out.msg.writeUInt32LE(out.offset, b + 28);
  out.msg.writeUInt16LE(contexts.length, b + 32);
  out.msg.writeUInt16LE(0, b + 34);
  return out.msg;
}

/**
 * Drops negotiate contexts from an SMB2 NEGOTIATE response (MS-SMB2 2.2.4): StructureSize 65,
 * NegotiateContextCount at body+6, SecurityBufferOffset/Length at body+56/58,
 * NegotiateContextOffset at body+60. Returns undefined when it is not a 3.1.1 response.
 */
export function editNegotiateResponse(msg: Buffer, keepContext: (type: number) => boolean): Buffer | undefined {
  const b = HEADER_SIZE;
  if (msg.length < b + 64 || msg.readUInt16LE(b) !== 65 || msg.readUInt16LE(b + 4) !== 0x0311) return undefined;
  const secEnd = Math.max(b + 64, msg.readUInt16LE(b + 56) + msg.readUInt16LE(b + 58));
  if (secEnd > msg.length) return undefined;
  const contexts = readContexts(msg, msg.readUInt32LE(b + 60), msg.readUInt16LE(b + 6)).filter((c) => keepContext(c.type));
  const out = withContexts(Buffer.from(msg.subarray(0, secEnd)), contexts);
  out.msg.writeUInt16LE(contexts.length, b + 6);
  out.msg.writeUInt32LE(out.offset, b + 60);
  return out.msg;
}

