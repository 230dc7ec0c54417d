// AES-CCM (RFC 3610, NIST SP 800-38C) assembled from AES modes every runtime has, for runtimes
// whose crypto library has no CCM (Electron's BoringSSL). SMB 3.0/3.0.2 encrypt with AES-128-CCM
// and 3.1.1 may choose AES-256-CCM (MS-SMB2 3.1.4.3, RFC 4309): 11-byte nonce (L = 4), 16-byte tag.
//
// CCM = CBC-MAC over the formatted input (B0 || encoded AAD || payload, each zero-padded to 16
// bytes), then CTR encryption of the payload with counter blocks A1, A2, ... and of the MAC with
// A0 (SP 800-38C 6.1). Both passes run inside native AES: the MAC through AES-CBC with a zero IV
// (its last ciphertext block is the CBC-MAC) and the keystream through AES-CTR started at A0.
// OpenSSL's CTR increments the whole 128-bit block while CCM increments only the last L bytes,
// but the payload is shorter than 2^(8L) bytes, so the counter never carries out of those bytes.
// Where CTR or CBC is missing, the same steps run over single-block AES-ECB (slower, still correct).
import { createCipheriv } from 'node:crypto';
import { SmbError } from '../errors.js';

const BLOCK = 16;
const ZERO_BLOCK = Buffer.alloc(BLOCK);
/** Blocks of keystream made per ECB call on the fallback path. */
const ECB_BATCH_BLOCKS = 4096;

/** Which native AES modes CCM may build on (ECB is assumed present everywhere). */
export interface AesModes {
  ctr: boolean;
  cbc: boolean;
}

export interface CcmOptions {
  /** Tag length M in bytes: 4, 6, ..., 16 (RFC 3610 2.1). SMB always uses 16. */
  tagLength?: number;
  modes?: AesModes;
}

export interface CcmResult {
  ciphertext: Buffer;
  tag: Buffer;
}

const ALL_MODES: AesModes = { ctr: true, cbc: true };

function aesName(key: Buffer, mode: 'ctr' | 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new RangeError(`AES needs a 16, 24 or 32-byte key, got ${key.length}`);
  }
  return `aes-${key.length * 8}-${mode}`;
}

function checkParams(nonce: Buffer, tagLength: number): number {
  // SP 800-38C A.1: nonce length n in 7..13 gives L = q = 15 - n; tag length t in {4,6,...,16}.
  if (nonce.length < 7 || nonce.length > 13) throw new RangeError(`CCM nonce must be 7..13 bytes, got ${nonce.length}`);
  if (tagLength < 4 || tagLength > 16 || tagLength % 2 !== 0) throw new RangeError(`bad CCM tag length ${tagLength}`);
  return 15 - nonce.length;
}

/** Writes `value` big-endian into out[at .. at+width). */
function writeBE(out: Buffer, at: number, width: number, value: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

/** B0 (SP 800-38C A.2.1): flags || N || Q, flags = Adata·64 + ((t-2)/2)·8 + (q-1). */
function firstBlock(nonce: Buffer, q: number, tagLength: number, hasAad: boolean, payloadLength: number): Buffer {
  if (q < 7 && payloadLength >= 2 ** (8 * q)) throw new RangeError(`CCM payload of ${payloadLength} bytes too long for L=${q}`);
  const b0 = Buffer.alloc(BLOCK);
  b0[0] = (hasAad ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (q - 1);
  nonce.copy(b0, 1);
  writeBE(b0, 1 + nonce.length, q, payloadLength);
  return b0;
}

/** The length prefix of the associated data (SP 800-38C A.2.2). */
function aadLengthPrefix(a: number): Buffer {
  if (a < 0xff00) {
    const out = Buffer.alloc(2);
    out.writeUInt16BE(a);
    return out;
  }
  if (a < 2 ** 32) {
    const out = Buffer.from([0xff, 0xfe, 0, 0, 0, 0]);
    out.writeUInt32BE(a, 2);
    return out;
  }
  const out = Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]);
  out.writeBigUInt64BE(BigInt(a), 2);
  return out;
}

/** Counter block A_i (SP 800-38C A.3): flags = q-1, then N, then i in q bytes. */
function counterBlock(nonce: Buffer, q: number, i: number): Buffer {
  const a = Buffer.alloc(BLOCK);
  a[0] = q - 1;
  nonce.copy(a, 1);
  writeBE(a, 1 + nonce.length, q, i);
  return a;
}

interface CbcMac {
  update(data: Buffer): void;
  /** Zero-pads to a block boundary (the formatting pads AAD and payload separately). */
  pad(): void;
  digest(): Buffer;
}

/** A CBC-MAC that counts what it was fed so it can pad to the next block boundary. */
function withPadding(update: (data: Buffer) => void, digest: () => Buffer): CbcMac {
  let fed = 0;
  return {
    update(data) {
      fed += data.length;
      update(data);
    },
    pad() {
      const r = fed % BLOCK;
      if (r !== 0) this.update(ZERO_BLOCK.subarray(0, BLOCK - r));
    },
    digest,
  };
}

function cbcMac(key: Buffer, modes: AesModes): CbcMac {
  if (modes.cbc) {
    // The last ciphertext block of AES-CBC with a zero IV is the CBC-MAC.
    const cbc = createCipheriv(aesName(key, 'cbc'), key, ZERO_BLOCK).setAutoPadding(false);
    let last = ZERO_BLOCK;
    return withPadding(
      (data) => {
        if (data.length === 0) return;
        const out = cbc.update(data);
        if (out.length > 0) last = out.subarray(out.length - BLOCK);
      },
      () => {
        cbc.final();
        return Buffer.from(last);
      },
    );
  }
  // X_{i+1} = E(K, X_i xor B_{i+1}), one block at a time.
  const ecb = createCipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  let x = Buffer.alloc(BLOCK);
  const pending = Buffer.alloc(BLOCK);
  let filled = 0;
  return withPadding(
    (data) => {
      for (const byte of data) {
        pending[filled++] = byte;
        if (filled === BLOCK) {
          for (let i = 0; i < BLOCK; i++) pending[i] = (pending[i] ?? 0) ^ (x[i] ?? 0);
          x = ecb.update(pending);
          filled = 0;
        }
      }
    },
    () => Buffer.from(x),
  );
}

interface Keystream {
  /** E(K, A0): masks the MAC. */
  readonly s0: Buffer;
  /** XORs the next bytes of keystream (from A1 on) into a copy of `data`. */
  apply(data: Buffer): Buffer;
}

function keystream(key: Buffer, nonce: Buffer, q: number, modes: AesModes): Keystream {
  if (modes.ctr) {
    const ctr = createCipheriv(aesName(key, 'ctr'), key, counterBlock(nonce, q, 0));
    const s0 = ctr.update(ZERO_BLOCK);
    return { s0, apply: (data) => (data.length === 0 ? Buffer.alloc(0) : ctr.update(data)) };
  }
  const ecb = createCipheriv(aesName(key, 'ecb'), key, null).setAutoPadding(false);
  const s0 = ecb.update(counterBlock(nonce, q, 0));
  let next = 1; // index of the next counter block to encrypt
  let spare = Buffer.alloc(0); // keystream made but not used yet
  return {
    s0,
    apply(data) {
      const out = Buffer.allocUnsafe(data.length);
      let done = 0;
      while (done < data.length) {
        if (spare.length === 0) {
          const blocks = Math.min(ECB_BATCH_BLOCKS, Math.ceil((data.length - done) / BLOCK));
          const counters = Buffer.alloc(blocks * BLOCK);
          for (let b = 0; b < blocks; b++) counterBlock(nonce, q, next + b).copy(counters, b * BLOCK);
          next += blocks;
          spare = ecb.update(counters);
        }
        const n = Math.min(spare.length, data.length - done);
        for (let i = 0; i < n; i++) out[done + i] = (data[done + i] ?? 0) ^ (spare[i] ?? 0);
        spare = spare.subarray(n);
        done += n;
      }
      return out;
    },
  };
}

/** T = first t bytes of CBC-MAC(B0 || AAD || P). */
function macOf(
  key: Buffer,
  modes: AesModes,
  b0: Buffer,
  aad: readonly Buffer[],
  payload: readonly Buffer[],
): Buffer {
  const mac = cbcMac(key, modes);
  mac.update(b0);
  let aadLength = 0;
  for (const a of aad) aadLength += a.length;
  if (aadLength > 0) {
    mac.update(aadLengthPrefix(aadLength));
    for (const a of aad) mac.update(a);
    mac.pad();
  }
  for (const p of payload) mac.update(p);
  mac.pad();
  return mac.digest();
}

function masked(t: Buffer, s0: Buffer, tagLength: number): Buffer {
  const out = Buffer.alloc(tagLength);
  for (let i = 0; i < tagLength; i++) out[i] = (t[i] ?? 0) ^ (s0[i] ?? 0);
  return out;
}

/** CCM generation-encryption (SP 800-38C 6.1) of the concatenation of `plaintext`. */
export function ccmEncrypt(
  key: Buffer,
  nonce: Buffer,
  aad: readonly Buffer[],
  plaintext: readonly Buffer[],
  opts: CcmOptions = {},
): CcmResult {
  const tagLength = opts.tagLength ?? 16;
  const modes = opts.modes ?? ALL_MODES;
  const q = checkParams(nonce, tagLength);
  let length = 0;
  for (const p of plaintext) length += p.length;
  const hasAad = aad.some((a) => a.length > 0);
  const t = macOf(key, modes, firstBlock(nonce, q, tagLength, hasAad, length), aad, plaintext);

  const ks = keystream(key, nonce, q, modes);
  const ciphertext = Buffer.allocUnsafe(length);
  let at = 0;
  for (const p of plaintext) {
    const c = ks.apply(p);
    c.copy(ciphertext, at);
    at += c.length;
  }
  return { ciphertext, tag: masked(t, ks.s0, tagLength) };
}

/**
 * CCM decryption-verification (SP 800-38C 6.2). The tag length is `tag.length`. Throws
 * SmbError('security') when the tag does not match; no plaintext escapes in that case.
 */
export function ccmDecrypt(
  key: Buffer,
  nonce: Buffer,
  aad: readonly Buffer[],
  ciphertext: Buffer,
  tag: Buffer,
  opts: Omit<CcmOptions, 'tagLength'> = {},
): Buffer {
  const modes = opts.modes ?? ALL_MODES;
  const q = checkParams(nonce, tag.length);
  const ks = keystream(key, nonce, q, modes);
  const plaintext = ks.apply(ciphertext);
  const hasAad = aad.some((a) => a.length > 0);
  const t = macOf(key, modes, firstBlock(nonce, q, tag.length, hasAad, plaintext.length), aad, [plaintext]);
  const expected = masked(t, ks.s0, tag.length);
  let diff = 0;
  for (let i = 0; i < tag.length; i++) diff |= (expected[i] ?? 0) ^ (tag[i] ?? 0);
  if (diff !== 0) {
    plaintext.fill(0);
    throw new SmbError('security', 'decryption failed: bad tag', { operation: 'decrypt' });
  }
  return plaintext;
}
