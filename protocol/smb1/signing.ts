// SMB1 message signing (MS-CIFS 3.1.5.1): the signature is the first 8 bytes of
// MD5(MACKey || message), computed with the SecuritySignature field holding the message's
// sequence number (4 bytes little-endian, then 4 zero bytes). The client numbers its requests
// 0, 2, 4, …; the response to request n carries n + 1 (MS-CIFS 3.2.4.1.1, 3.2.5.1.1).
import { createHash, timingSafeEqual } from 'node:crypto';
import { SMB1_SIGNATURE_OFFSET } from './constants.js';

function sequenceField(seq: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE(seq >>> 0, 0);
  return b;
}

function mac(macKey: Buffer, parts: readonly Buffer[]): Buffer {
  const h = createHash('md5').update(macKey);
  for (const p of parts) h.update(p);
  return h.digest().subarray(0, 8);
}

/** Signs a message in place: `parts[0]` starts with the 32-byte header (SMB_FLAGS2_SMB_SECURITY_SIGNATURE already set). */
export function signSmb1(macKey: Buffer, seq: number, parts: readonly Buffer[]): void {
  const header = parts[0]!;
  sequenceField(seq).copy(header, SMB1_SIGNATURE_OFFSET);
  mac(macKey, parts).copy(header, SMB1_SIGNATURE_OFFSET);
}

/** True when `msg` carries the signature for sequence number `seq`. `msg` is left unchanged. */
export function verifySmb1(macKey: Buffer, seq: number, msg: Buffer): boolean {
  if (msg.length < SMB1_SIGNATURE_OFFSET + 8) return false;
  const got = Buffer.from(msg.subarray(SMB1_SIGNATURE_OFFSET, SMB1_SIGNATURE_OFFSET + 8));
  const copy = Buffer.from(msg.subarray(0, SMB1_SIGNATURE_OFFSET + 8));
  sequenceField(seq).copy(copy, SMB1_SIGNATURE_OFFSET);
  const want = mac(macKey, [copy, msg.subarray(SMB1_SIGNATURE_OFFSET + 8)]);
  return timingSafeEqual(got, want);
}

/**
 * MS-CIFS 3.2.5.3 / MS-SMB 3.2.5.3: the MAC key. With NTLMSSP (extended security) it is the
 * 16-byte session key; for a challenge/response logon it is the session key followed by the
 * response that proved the password (the NT response, or the LM response for an LM-only logon).
 */
export function macKeyFor(sessionKey: Buffer, response?: Buffer): Buffer {
  return response ? Buffer.concat([sessionKey, response]) : Buffer.from(sessionKey);
}
