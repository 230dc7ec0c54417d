import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aesCmac, cmacSubkeys } from './aes-cmac.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// RFC 4493 section 4 test vectors.
const K = hex('2b7e1516 28aed2a6 abf71588 09cf4f3c');
const M64 = hex(`6bc1bee2 2e409f96 e93d7e11 7393172a ae2d8a57 1e03ac9c 9eb76fac 45af8e51
                 30c81c46 a35ce411 e5fbc119 1a0a52ef f69f2445 df4f9b17 ad2b417b e66c3710`);

/** A textbook block-by-block CMAC over one buffer, independent of the streaming implementation. */
function referenceCmac(key: Buffer, msg: Buffer): Buffer {
  const { k1, k2 } = cmacSubkeys(key);
  const enc = (b: Buffer): Buffer => createCipheriv('aes-128-ecb', key, null).setAutoPadding(false).update(b);
  const n = Math.max(1, Math.ceil(msg.length / 16));
  let x: Buffer = Buffer.alloc(16);
  for (let i = 0; i < n; i++) {
    const block = Buffer.alloc(16);
    msg.copy(block, 0, i * 16, Math.min(msg.length, i * 16 + 16));
    if (i === n - 1) {
      const complete = msg.length > 0 && msg.length % 16 === 0;
      if (!complete) block[msg.length - i * 16] = 0x80;
      const sk = complete ? k1 : k2;
      for (let j = 0; j < 16; j++) block[j] = (block[j] ?? 0) ^ (sk[j] ?? 0);
    }
    for (let j = 0; j < 16; j++) block[j] = (block[j] ?? 0) ^ (x[j] ?? 0);
    x = enc(block);
  }
  return x;
}

describe('aesCmac (RFC 4493)', () => {
  it('derives the RFC subkeys', () => {
    const { k1, k2 } = cmacSubkeys(K);
    expect(k1.toString('hex')).toBe('fbeed618357133667c85e08f7236a8de');
    expect(k2.toString('hex')).toBe('f7ddac306ae266ccf90bc11ee46d513b');
  });

  it.each([
    [0, 'bb1d6929e95937287fa37d129b756746'],
    [16, '070a16b46b4d4144f79bdd9dd04a287c'],
    [40, 'dfa66747de9ae63030ca32611497c827'],
    [64, '51f0bebf7e3b9d92fc49741779363cfe'],
  ])('example with %i-byte message', (len, tag) => {
    expect(aesCmac(K, [M64.subarray(0, len)]).toString('hex')).toBe(tag);
  });

  it('gives the same tag for any split of the message into parts', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(200), { maxLength: 6 }),
        (key, msg, cuts) => {
          const k = Buffer.from(key);
          const m = Buffer.from(msg);
          const points = [...new Set(cuts.map((c) => c % (m.length + 1)))].sort((a, b) => a - b);
          const parts: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            parts.push(m.subarray(prev, p));
            prev = p;
          }
          parts.push(m.subarray(prev));
          const whole = referenceCmac(k, m);
          expect(aesCmac(k, parts).equals(whole)).toBe(true);
          expect(aesCmac(k, [m]).equals(whole)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles a large message in many parts', () => {
    const big = Buffer.alloc(1 << 20, 0xa5);
    const parts = [big.subarray(0, 7), big.subarray(7, 70_001), big.subarray(70_001)];
    expect(aesCmac(K, parts).equals(referenceCmac(K, big))).toBe(true);
  });

  it('rejects keys that are not 16 bytes', () => {
    expect(() => aesCmac(Buffer.alloc(32), [])).toThrow();
  });
});
