import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signMessage, verifyMessage, type SigningAlgorithm } from './signing.js';

const KEY = Buffer.from('73FE7A9A77BEF0BDE49C650D8CCB5F76', 'hex');

/** An SMB2 ECHO request (MessageId 5, SessionId 0x100000000025), unsigned, flags 0. */
function echo(command = 0x0d, flags = 0): Buffer {
  const m = Buffer.from(
    'fe534d4240000100000000000d00010000000000000000000500000000000000' +
      '0000000001000000250000000010000000000000000000000000000000000000' +
      '04000000',
    'hex',
  );
  m.writeUInt16LE(command, 12);
  m.writeUInt32LE(flags, 16);
  return m;
}

// Expected signatures computed with an independent implementation (python cryptography: CMAC,
// HMAC-SHA256, AESGCM with empty plaintext) over the same bytes with SMB2_FLAGS_SIGNED set and the
// Signature zeroed, using the MS-SMB2 3.1.4.1 GMAC nonce layout. Live Samba confirms the rest.
describe('signMessage', () => {
  it.each<[SigningAlgorithm, string]>([
    ['AES-CMAC', 'f18d80a5051937e308616e9c94b70042'],
    ['HMAC-SHA256', 'a5ca031dc75f3407372921e0e947829b'],
    ['AES-GMAC', 'b3ea1be4e956d0e5ee605797dfacfc5d'],
  ])('%s signs an ECHO request', (alg, sig) => {
    const m = echo();
    m.fill(0xee, 48, 64); // stale bytes in the signature field must be ignored
    signMessage(alg, KEY, [m]);
    expect(m.readUInt32LE(16) & 0x8).toBe(0x8);
    expect(m.subarray(48, 64).toString('hex')).toBe(sig);
    expect(verifyMessage(alg, KEY, m)).toBe(true);
  });

  it('AES-GMAC sets the role bit for server messages and the cancel bit for CANCEL requests', () => {
    const fromServer = echo(0x0d, 0x1);
    signMessage('AES-GMAC', KEY, [fromServer]);
    expect(fromServer.subarray(48, 64).toString('hex')).toBe('0e2dfcadc758013c646e5cf300e433ec');
    const cancel = echo(0x0c);
    signMessage('AES-GMAC', KEY, [cancel]);
    expect(cancel.subarray(48, 64).toString('hex')).toBe('478013f30baef654d8dd3baa2f5aaf17');
  });

  it('signs across parts exactly as over the concatenation', () => {
    for (const alg of ['AES-CMAC', 'HMAC-SHA256', 'AES-GMAC'] as const) {
      const whole = Buffer.concat([echo(), Buffer.alloc(100, 3)]);
      const split = Buffer.from(whole);
      signMessage(alg, KEY, [whole]);
      const parts = [split.subarray(0, 64), split.subarray(64, 70), Buffer.alloc(0), split.subarray(70)];
      signMessage(alg, KEY, parts);
      expect(split.equals(whole)).toBe(true);
    }
  });
});

describe('verifyMessage', () => {
  it('rejects a flipped bit anywhere and leaves the message unchanged', () => {
    for (const alg of ['AES-CMAC', 'HMAC-SHA256', 'AES-GMAC'] as const) {
      const m = echo();
      signMessage(alg, KEY, [m]);
      fc.assert(
        fc.property(fc.nat(m.length * 8 - 1), (bit) => {
          const copy = Buffer.from(m);
          copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
          const before = Buffer.from(copy);
          expect(verifyMessage(alg, KEY, copy)).toBe(false);
          expect(copy.equals(before)).toBe(true);
        }),
        { numRuns: 100 },
      );
      const before = Buffer.from(m);
      expect(verifyMessage(alg, KEY, m)).toBe(true);
      expect(m.equals(before)).toBe(true);
    }
  });

  it('rejects the wrong key and short messages', () => {
    const m = echo();
    signMessage('AES-CMAC', KEY, [m]);
    expect(verifyMessage('AES-CMAC', Buffer.alloc(16), m)).toBe(false);
    expect(verifyMessage('AES-CMAC', KEY, m.subarray(0, 40))).toBe(false);
  });
});
