// AES-128-CMAC (RFC 4493), the SMB 3.x signing MAC (MS-SMB2 3.1.4.1). Neither Node nor Electron
// exposes CMAC, so it is built on OpenSSL's AES-128-CBC with a zero IV and no padding: CBC over
// M1..M(n-1) leaves X(n-1) in the chain, and feeding the subkey-masked last block through the same
// cipher yields T = AES(K, X(n-1) xor M'n). Parts are streamed, never concatenated, so signing an
// 8 MiB WRITE costs one pass of native AES.
import { createCipheriv } from 'node:crypto';

const BLOCK = 16;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
const RB = 0x87; // RFC 4493 2.3: R128 constant

/** Doubling in GF(2^128) as RFC 4493 2.3 defines it (shift left by one bit, xor Rb on carry). */
function dbl(block: Buffer): Buffer {
  const out = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    const next = i + 1 < BLOCK ? (block[i + 1] ?? 0) : 0;
    out[i] = (((block[i] ?? 0) << 1) | (next >>> 7)) & 0xff;
  }
  if ((block[0] ?? 0) & 0x80) out[BLOCK - 1] = (out[BLOCK - 1] ?? 0) ^ RB;
  return out;
}

function checkKey(key: Buffer): void {
  if (key.length !== 16) throw new RangeError(`AES-128-CMAC needs a 16-byte key, got ${key.length}`);
}

/** RFC 4493 2.3 Generate_Subkey. */
export function cmacSubkeys(key: Buffer): { k1: Buffer; k2: Buffer } {
  checkKey(key);
  const ecb = createCipheriv('aes-128-ecb', key, null).setAutoPadding(false);
  const l = Buffer.concat([ecb.update(ZERO_BLOCK), ecb.final()]);
  const k1 = dbl(l);
  return { k1, k2: dbl(k1) };
}

/** The 16-byte AES-128-CMAC tag of the concatenation of `parts` (RFC 4493 2.4). */
export function aesCmac(key: Buffer, parts: readonly Buffer[]): Buffer {
  const { k1, k2 } = cmacSubkeys(key);
  let total = 0;
  for (const p of parts) total += p.length;

  // Step 3/4: n blocks; the last block is complete only when the message is a non-empty multiple of 16.
  const blocks = total === 0 ? 1 : Math.ceil(total / BLOCK);
  const lastStart = (blocks - 1) * BLOCK;
  const lastComplete = total > 0 && total % BLOCK === 0;

  const cbc = createCipheriv('aes-128-cbc', key, ZERO_BLOCK).setAutoPadding(false);
  const last = Buffer.alloc(BLOCK);
  let pos = 0; // message offset of the current part's first byte
  for (const p of parts) {
    const end = pos + p.length;
    if (pos < lastStart) {
      // Bytes before the last block go straight through CBC; only the chaining value matters.
      cbc.update(p.subarray(0, Math.min(p.length, lastStart - pos)));
    }
    if (end > lastStart) {
      const from = Math.max(0, lastStart - pos);
      p.copy(last, pos + from - lastStart, from);
    }
    pos = end;
  }

  const tail = total - lastStart;
  if (!lastComplete) last[tail] = 0x80; // padding(): 10^i
  const subkey = lastComplete ? k1 : k2;
  for (let i = 0; i < BLOCK; i++) last[i] = (last[i] ?? 0) ^ (subkey[i] ?? 0);
  const out = cbc.update(last);
  cbc.final();
  return Buffer.from(out.subarray(out.length - BLOCK));
}
