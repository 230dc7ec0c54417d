// The decryption worker's job, run here on the main thread: a sealed frame opened in place gives
// the same message as decryptMessage, in every cipher and provider mode; a bad tag or a short
// plaintext is an error the connection fails with, and nothing is written over the ciphertext.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encryptMessage, decryptMessage, SMB2_TRANSFORM_HEADER_SIZE } from '../smb2/transform.js';
import { openInPlace, type OpenJob } from './aead-worker.js';
import type { SmbCipher } from './smb-keys.js';

const CIPHERS: SmbCipher[] = ['AES-128-GCM', 'AES-128-CCM', 'AES-256-GCM', 'AES-256-CCM'];

function sealedFrame(cipher: SmbCipher, key: Buffer, message: Buffer): Buffer {
  const parts = encryptMessage(cipher, key, 0x1234n, [message]);
  const whole = Buffer.concat(parts);
  // A buffer of its own, as the transport's pooled frames are.
  const own = Buffer.from(new ArrayBuffer(whole.length));
  whole.copy(own);
  return own;
}

function jobFor(cipher: SmbCipher, key: Buffer, frame: Buffer, mode: 'native' | 'fallback'): OpenJob {
  const nonceLength = cipher.endsWith('GCM') ? 12 : 11;
  return {
    id: 1,
    mode,
    alg: cipher,
    key: new Uint8Array(key),
    frame: frame.buffer as ArrayBuffer,
    nonce: [20, nonceLength],
    aad: [20, 32],
    ciphertext: [SMB2_TRANSFORM_HEADER_SIZE, frame.length - SMB2_TRANSFORM_HEADER_SIZE],
    tag: [4, 16],
  };
}

describe('openInPlace', () => {
  for (const cipher of CIPHERS) {
    for (const mode of ['native', 'fallback'] as const) {
      it(`${cipher} (${mode}): the plaintext lands where the ciphertext was, equal to decryptMessage's`, () => {
        const key = randomBytes(cipher.startsWith('AES-256') ? 32 : 16);
        const message = randomBytes(300_000);
        const frame = sealedFrame(cipher, key, message);
        expect(decryptMessage(cipher, key, frame).equals(message)).toBe(true);
        expect(openInPlace(jobFor(cipher, key, frame, mode))).toBeUndefined();
        expect(frame.subarray(SMB2_TRANSFORM_HEADER_SIZE).equals(message)).toBe(true);
      });
    }
  }

  it('a flipped ciphertext byte is a security error, and the ciphertext is left as it was', () => {
    const key = randomBytes(16);
    const frame = sealedFrame('AES-128-GCM', key, randomBytes(4096));
    frame[SMB2_TRANSFORM_HEADER_SIZE + 100]! ^= 1;
    const before = Buffer.from(frame);
    expect(openInPlace(jobFor('AES-128-GCM', key, frame, 'native'))).toMatchObject({ code: 'security' });
    expect(frame.equals(before)).toBe(true);
  });

  it('the wrong key is a security error', () => {
    const frame = sealedFrame('AES-256-CCM', randomBytes(32), randomBytes(1000));
    expect(openInPlace(jobFor('AES-256-CCM', randomBytes(32), frame, 'fallback'))).toMatchObject({ code: 'security' });
  });
});
