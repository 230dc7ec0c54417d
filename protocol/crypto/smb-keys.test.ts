import { describe, expect, it } from 'vitest';
import { deriveSessionKeys } from './smb-keys.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Test vectors from Microsoft's Open Specifications blog posts:
//  - "Encryption in SMB 3.0: A protocol perspective" (2012)
//  - "SMB 3.1.1 Pre-authentication integrity in Windows 10" (2015)
//  - "SMB 3.1.1 Encryption in Windows 10" (2015)
describe('deriveSessionKeys', () => {
  it('SMB 3.0: encryption and decryption keys (Microsoft SMB 3.0 encryption example)', () => {
    const keys = deriveSessionKeys(0x0300, hex('B4546771B515F766A86735532DD6C4F0'));
    expect(keys.encryptionKey.toString('hex')).toBe('261b72350558f2e9dcf613070383edbf');
    expect(keys.decryptionKey.toString('hex')).toBe('8fe2b57ec34d2db5b1a9727f526bbdb5');
  });

  it('SMB 3.1.1: signing key from the preauth integrity hash (Microsoft pre-auth integrity example)', () => {
    const preauth = hex(`0DD13628CC3ED218EF9DF9772D436D0887AB9814BFAE63A80AA845F36909DB79
                         28622DDDAD522D9751640A459762C5A9D6BB084CBB3CE6BDADEF5D5BCE3C6C01`);
    const keys = deriveSessionKeys(0x0311, hex('270E1BA896585EEB7AF3472D3B4C75A7'), preauth, 'AES-128-GCM');
    expect(keys.signingKey.toString('hex')).toBe('73fe7a9a77bef0bde49c650d8ccb5f76');
  });

  it('SMB 3.1.1: AES-128-GCM cipher keys (Microsoft SMB 3.1.1 encryption example)', () => {
    const preauth = hex(`B23F3CBFD69487D9832B79B1594A367CDD950909B774C3A4C412B4FCEA9EDDDB
                         A7DB256BA2EA30E977F11F9B113247578E0E915C6D2A513B8F2FCA5707DC8770`);
    const keys = deriveSessionKeys(0x0311, hex('419FDDF34C1E001909D362AE7FB6AF79'), preauth, 'AES-128-GCM');
    expect(keys.encryptionKey.toString('hex')).toBe('a2f5e80e5d59103034f32e52f698e5ec');
    expect(keys.decryptionKey.toString('hex')).toBe('748c50868c90f302962a5c35f5f9a8bf');
  });

  it('SMB 3.1.1 with AES-256: 32-byte cipher keys, 16-byte signing key', () => {
    const keys = deriveSessionKeys(0x0311, Buffer.alloc(16, 1), Buffer.alloc(64, 2), 'AES-256-GCM');
    expect(keys.encryptionKey.length).toBe(32);
    expect(keys.decryptionKey.length).toBe(32);
    expect(keys.signingKey.length).toBe(16);
    const k128 = deriveSessionKeys(0x0311, Buffer.alloc(16, 1), Buffer.alloc(64, 2), 'AES-128-GCM');
    expect(keys.signingKey.equals(k128.signingKey)).toBe(true);
    // L is part of the KDF input, so the 256-bit key is not an extension of the 128-bit one.
    expect(keys.encryptionKey.subarray(0, 16).equals(k128.encryptionKey)).toBe(false);
  });

  it('SMB 2.x signs with the session key itself', () => {
    const sk = Buffer.alloc(16, 7);
    const keys = deriveSessionKeys(0x0210, sk);
    expect(keys.signingKey.equals(sk)).toBe(true);
    expect(keys.encryptionKey.length).toBe(0);
  });

  it('3.1.1 without a preauth hash is a programming error', () => {
    expect(() => deriveSessionKeys(0x0311, Buffer.alloc(16))).toThrow();
  });
});
