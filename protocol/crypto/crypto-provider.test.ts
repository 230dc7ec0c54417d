import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { createCryptoProvider, getCryptoProvider, setCryptoProviderForTests, type AeadAlgorithm } from './crypto-provider.js';

const ALGS: AeadAlgorithm[] = ['AES-128-CCM', 'AES-256-CCM', 'AES-128-GCM', 'AES-256-GCM'];
const keyLength = (alg: AeadAlgorithm): number => (alg.startsWith('AES-256') ? 32 : 16);
const nonceLength = (alg: AeadAlgorithm): number => (alg.endsWith('CCM') ? 11 : 12);

const native = createCryptoProvider('native');
const fallback = createCryptoProvider('fallback');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Cuts `b` into consecutive parts at the given fractions (empty parts allowed). */
function split(b: Buffer, cuts: readonly number[]): Buffer[] {
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

describe('crypto provider selection', () => {
  afterEach(() => setCryptoProviderForTests(null));

  it('Node has native CCM and GCM, so the default provider is native unless the env forces the fallback', () => {
    expect(native.native).toEqual({ ccm: true, gcm: true });
    const expected = process.env['SHAREKEEPER_CRYPTO'] === 'fallback' ? 'fallback' : 'native';
    expect(getCryptoProvider().name).toBe(expected);
  });

  it('setCryptoProviderForTests switches between the native and our CCM', () => {
    setCryptoProviderForTests('fallback');
    expect(getCryptoProvider().name).toBe('fallback');
    expect(getCryptoProvider().native).toEqual({ ccm: false, gcm: true });
    setCryptoProviderForTests('native');
    expect(getCryptoProvider().name).toBe('native');
    expect(getCryptoProvider()).toBe(getCryptoProvider());
  });
});

describe.each(ALGS)('%s', (alg) => {
  it('native and fallback give the same ciphertext and tag, and open each other', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: keyLength(alg), maxLength: keyLength(alg) }),
        fc.uint8Array({ minLength: nonceLength(alg), maxLength: nonceLength(alg) }),
        fc.uint8Array({ maxLength: 64 }),
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (k, n, a, p, cuts) => {
          const [key, nonce, aad, plaintext] = [k, n, a, p].map((x) => Buffer.from(x)) as [Buffer, Buffer, Buffer, Buffer];
          const parts = split(plaintext, cuts);
          const ours = fallback.aeadEncrypt(alg, key, nonce, split(aad, cuts), parts);
          const theirs = native.aeadEncrypt(alg, key, nonce, aad, parts);
          const [oursCt, theirsCt] = [Buffer.concat(ours.ciphertext), Buffer.concat(theirs.ciphertext)];
          expect(oursCt.equals(theirsCt)).toBe(true);
          expect(oursCt.length).toBe(plaintext.length);
          expect(ours.tag.equals(theirs.tag)).toBe(true);
          expect(ours.tag.length).toBe(16);
          expect(fallback.aeadDecrypt(alg, key, nonce, aad, theirsCt, theirs.tag).equals(plaintext)).toBe(true);
          expect(native.aeadDecrypt(alg, key, nonce, aad, oursCt, ours.tag).equals(plaintext)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it.each([
    ['native', native],
    ['fallback', fallback],
  ] as const)('a bad tag or altered data fails with SmbError security (%s)', (_name, provider) => {
    const key = Buffer.alloc(keyLength(alg), 7);
    const nonce = Buffer.alloc(nonceLength(alg), 1);
    const aad = Buffer.from('associated data');
    const sealed = provider.aeadEncrypt(alg, key, nonce, aad, [Buffer.from('hello, '), Buffer.from('world')]);
    const [ciphertext, tag] = [Buffer.concat(sealed.ciphertext), sealed.tag];
    const badTag = Buffer.from(tag);
    badTag[15] = (badTag[15] ?? 0) ^ 0x80;
    const badCt = Buffer.from(ciphertext);
    badCt[0] = (badCt[0] ?? 0) ^ 1;
    for (const e of [
      thrown(() => provider.aeadDecrypt(alg, key, nonce, aad, ciphertext, badTag)),
      thrown(() => provider.aeadDecrypt(alg, key, nonce, aad, badCt, tag)),
      thrown(() => provider.aeadDecrypt(alg, key, nonce, Buffer.from('associated dat!'), ciphertext, tag)),
      thrown(() => provider.aeadDecrypt(alg, key, nonce, aad, ciphertext, tag.subarray(0, 12))),
    ]) {
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('security');
      expect((e as SmbError).message).toBe('decryption failed: bad tag');
    }
  });

  it('an empty message still gets a tag that verifies', () => {
    const key = Buffer.alloc(keyLength(alg), 3);
    const nonce = Buffer.alloc(nonceLength(alg), 4);
    for (const provider of [native, fallback]) {
      const sealed = provider.aeadEncrypt(alg, key, nonce, [], []);
      const [ciphertext, tag] = [Buffer.concat(sealed.ciphertext), sealed.tag];
      expect(ciphertext.length).toBe(0);
      expect(provider.aeadDecrypt(alg, key, nonce, [], ciphertext, tag).length).toBe(0);
    }
  });

  it('rejects a key or nonce of the wrong size as a programming error', () => {
    const nonce = Buffer.alloc(nonceLength(alg));
    expect(() => native.aeadEncrypt(alg, Buffer.alloc(24), nonce, [], [])).toThrow(RangeError);
    expect(() => fallback.aeadEncrypt(alg, Buffer.alloc(keyLength(alg)), Buffer.alloc(16), [], [])).toThrow(RangeError);
  });
});
