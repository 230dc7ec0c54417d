import { createCipheriv } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { ccmDecrypt, ccmEncrypt, type AesModes } from './aes-ccm.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** Bytes a, a+1, ..., b (the published vectors are built this way). */
const seq = (a: number, b: number): Buffer => Buffer.from(Array.from({ length: b - a + 1 }, (_, i) => (a + i) & 0xff));

interface Vector {
  name: string;
  key: Buffer;
  nonce: Buffer;
  aad: Buffer;
  plaintext: Buffer;
  /** ciphertext || tag */
  out: string;
  tagLength: number;
}

const RFC_KEY = seq(0xc0, 0xcf);
const NIST_KEY = seq(0x40, 0x4f);
const nistBigAad = Buffer.from(Array.from({ length: 65536 }, (_, i) => i & 0xff));

const VECTORS: Vector[] = [
  // RFC 3610 section 8, packet vectors #1, #2 (M = 8) and #13 (M = 10); 13-byte nonce, L = 2.
  {
    name: 'RFC 3610 packet vector #1',
    key: RFC_KEY,
    nonce: hex('00000003020100A0A1A2A3A4A5'),
    aad: seq(0x00, 0x07),
    plaintext: seq(0x08, 0x1e),
    out: '588C979A61C663D2F066D0C2C0F989806D5F6B61DAC38417E8D12CFDF926E0',
    tagLength: 8,
  },
  {
    name: 'RFC 3610 packet vector #2',
    key: RFC_KEY,
    nonce: hex('00000004030201A0A1A2A3A4A5'),
    aad: seq(0x00, 0x07),
    plaintext: seq(0x08, 0x1f),
    out: '72C91A36E135F8CF291CA894085C87E3CC15C439C9E43A3BA091D56E10400916',
    tagLength: 8,
  },
  {
    name: 'RFC 3610 packet vector with a 10-byte tag and 12 bytes of AAD',
    key: RFC_KEY,
    nonce: hex('0000000E0D0C0BA0A1A2A3A4A5'),
    aad: seq(0x00, 0x0b),
    plaintext: seq(0x0c, 0x20),
    out: 'C0FFA0D6F05BDB67F24D43A4338D2AA4BED7B20E43CD1AA31662E7AD65D6DB',
    tagLength: 10,
  },
  // NIST SP 800-38C Appendix C, examples 1-4 (nonces of 7, 8, 12 and 13 bytes; example 4 has
  // 65536 bytes of associated data, so its length is encoded as 0xFFFE || 4 bytes).
  { name: 'SP 800-38C C.1', key: NIST_KEY, nonce: seq(0x10, 0x16), aad: seq(0, 7), plaintext: seq(0x20, 0x23), out: '7162015b4dac255d', tagLength: 4 },
  {
    name: 'SP 800-38C C.2',
    key: NIST_KEY,
    nonce: seq(0x10, 0x17),
    aad: seq(0, 15),
    plaintext: seq(0x20, 0x2f),
    out: 'd2a1f0e051ea5f62081a7792073d593d1fc64fbfaccd',
    tagLength: 6,
  },
  {
    name: 'SP 800-38C C.3',
    key: NIST_KEY,
    nonce: seq(0x10, 0x1b),
    aad: seq(0, 0x13),
    plaintext: seq(0x20, 0x37),
    out: 'e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5484392fbc1b09951',
    tagLength: 8,
  },
  {
    name: 'SP 800-38C C.4',
    key: NIST_KEY,
    nonce: seq(0x10, 0x1c),
    aad: nistBigAad,
    plaintext: seq(0x20, 0x3f),
    out: '69915dad1e84c6376a68c2967e4dab615ae0fd1faec44cc484828529463ccf72b4ac6bec93e8598e7f0dadbcea5b',
    tagLength: 14,
  },
];

const MODES: [string, AesModes][] = [
  ['over native CTR + CBC', { ctr: true, cbc: true }],
  ['over AES-ECB only', { ctr: false, cbc: false }],
];

/**
 * Node's own CCM (OpenSSL), the reference for the property tests. An empty payload is passed as a
 * view into a real allocation: a zero-length Buffer may have no backing store, and OpenSSL reads a
 * NULL input as "set the length only", leaving the tag uncomputed ("tag not set").
 */
function opensslCcm(key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer, tagLength: number): Buffer {
  const name = key.length === 16 ? 'aes-128-ccm' : 'aes-256-ccm';
  const c = createCipheriv(name, key, nonce, { authTagLength: tagLength });
  c.setAAD(aad, { plaintextLength: plaintext.length });
  const ct = c.update(plaintext.length > 0 ? plaintext : Buffer.alloc(16).subarray(0, 0));
  c.final();
  return Buffer.concat([ct, c.getAuthTag()]);
}

/** Splits `b` at the given fractions into consecutive parts (empty parts allowed). */
function split(b: Buffer, cuts: number[]): Buffer[] {
  const points = cuts.map((c) => Math.floor(c * b.length)).sort((x, y) => x - y);
  const parts: Buffer[] = [];
  let at = 0;
  for (const p of points) {
    parts.push(b.subarray(at, p));
    at = p;
  }
  parts.push(b.subarray(at));
  return parts;
}

describe.each(MODES)('AES-CCM %s', (_label, modes) => {
  it.each(VECTORS)('$name', (v) => {
    const { ciphertext, tag } = ccmEncrypt(v.key, v.nonce, [v.aad], [v.plaintext], { tagLength: v.tagLength, modes });
    expect(Buffer.concat([ciphertext, tag]).toString('hex')).toBe(v.out.toLowerCase());
    expect(ccmDecrypt(v.key, v.nonce, [v.aad], ciphertext, tag, { modes }).equals(v.plaintext)).toBe(true);
  });

  it('a wrong tag, ciphertext, AAD or nonce fails with SmbError code security', () => {
    const v = VECTORS[0];
    if (!v) throw new Error('no vector');
    const { ciphertext, tag } = ccmEncrypt(v.key, v.nonce, [v.aad], [v.plaintext], { tagLength: 8, modes });
    const flip = (b: Buffer, i: number): Buffer => {
      const c = Buffer.from(b);
      c[i] = (c[i] ?? 0) ^ 1;
      return c;
    };
    const attempts: (() => Buffer)[] = [
      () => ccmDecrypt(v.key, v.nonce, [v.aad], ciphertext, flip(tag, 7), { modes }),
      () => ccmDecrypt(v.key, v.nonce, [v.aad], flip(ciphertext, 3), tag, { modes }),
      () => ccmDecrypt(v.key, v.nonce, [flip(v.aad, 0)], ciphertext, tag, { modes }),
      () => ccmDecrypt(v.key, flip(v.nonce, 12), [v.aad], ciphertext, tag, { modes }),
    ];
    for (const attempt of attempts) {
      const e: unknown = (() => {
        try {
          attempt();
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('security');
    }
  });

  it('matches OpenSSL CCM for random keys, nonces, AAD and split plaintext', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(16, 32),
        fc.integer({ min: 7, max: 13 }),
        fc.constantFrom(4, 8, 10, 16),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 255 }),
        (keyLength, nonceLength, tagLength, aadArr, ptArr, cuts, seed) => {
          const key = Buffer.alloc(keyLength, seed);
          const nonce = Buffer.alloc(nonceLength, seed ^ 0x5a);
          const aad = Buffer.from(aadArr);
          const plaintext = Buffer.from(ptArr);
          const ours = ccmEncrypt(key, nonce, split(aad, cuts), split(plaintext, cuts), { tagLength, modes });
          const ref = opensslCcm(key, nonce, aad, plaintext, tagLength);
          expect(Buffer.concat([ours.ciphertext, ours.tag]).equals(ref)).toBe(true);
          const back = ccmDecrypt(key, nonce, [aad], ours.ciphertext, ours.tag, { modes });
          expect(back.equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('AES-CCM argument checks', () => {
  it('rejects nonce and tag lengths outside RFC 3610', () => {
    expect(() => ccmEncrypt(Buffer.alloc(16), Buffer.alloc(6), [], [])).toThrow(RangeError);
    expect(() => ccmEncrypt(Buffer.alloc(16), Buffer.alloc(14), [], [])).toThrow(RangeError);
    expect(() => ccmEncrypt(Buffer.alloc(16), Buffer.alloc(11), [], [], { tagLength: 5 })).toThrow(RangeError);
    expect(() => ccmEncrypt(Buffer.alloc(15), Buffer.alloc(11), [], [])).toThrow(RangeError);
  });

  it('the two paths agree on a multi-megabyte message crossing many ECB batches', () => {
    const key = Buffer.alloc(16, 9);
    const nonce = Buffer.alloc(11, 3);
    const plaintext = Buffer.alloc(300_000 + 7, 0xab);
    const parts = split(plaintext, [0.1, 0.5, 0.50001]);
    const fast = ccmEncrypt(key, nonce, [Buffer.alloc(32, 1)], parts, { modes: { ctr: true, cbc: true } });
    const slow = ccmEncrypt(key, nonce, [Buffer.alloc(32, 1)], parts, { modes: { ctr: false, cbc: false } });
    expect(fast.tag.equals(slow.tag)).toBe(true);
    expect(fast.ciphertext.equals(slow.ciphertext)).toBe(true);
  });
});
