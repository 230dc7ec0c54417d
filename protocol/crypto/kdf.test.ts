import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { smb3Kdf } from './kdf.js';

const key16 = Buffer.from([...Array(16).keys()]);
const key32 = Buffer.from([...Array(32).keys()]);
const label = Buffer.from('Label\0', 'latin1');
const context = Buffer.from('Ctx\0', 'latin1');

describe('smb3Kdf (SP800-108 counter mode, HMAC-SHA256)', () => {
  it('matches the hand-built single-round input i || Label || 0x00 || Context || L', () => {
    const input = Buffer.concat([
      Buffer.from('00000001', 'hex'),
      label,
      Buffer.from([0]),
      context,
      Buffer.from('00000080', 'hex'),
    ]);
    const want = createHmac('sha256', key16).update(input).digest().subarray(0, 16);
    expect(smb3Kdf(key16, label, context).equals(want)).toBe(true);
  });

  // Expected values computed with an independent SP800-108 implementation
  // (python cryptography KBKDFHMAC, counter before fixed data, r = 32, L = 32-bit).
  it('agrees with an independent implementation for L = 128, 256, 384', () => {
    expect(smb3Kdf(key16, label, context, 128).toString('hex')).toBe('1fa0f72e1ee7fda0ef762de9aa91ca76');
    expect(smb3Kdf(key32, label, context, 256).toString('hex')).toBe(
      'f379eb307c3e23b26c34efd0efab9dcf55fabb43651ace926d0a0fb4f571dcea',
    );
    expect(smb3Kdf(key16, label, context, 384).toString('hex')).toBe(
      'd9d4875f7526b4957de1ede2b6038c172981cd4ffe16f9c258220460c8538919dee7446b217c268002e5290f4fbeed8d',
    );
  });
});
