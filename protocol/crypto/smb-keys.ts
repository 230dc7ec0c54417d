// SMB 3.x session keys (MS-SMB2 3.2.5.3.1, using the KDF of 3.1.4.2). Dialects 2.0.2 and 2.1 sign
// with the session key itself and have no encryption.
import { smb3Kdf } from './kdf.js';

export type SmbCipher = 'AES-128-CCM' | 'AES-128-GCM' | 'AES-256-CCM' | 'AES-256-GCM';

export interface SessionKeys {
  signingKey: Buffer;
  /** Client-to-server (what the client encrypts with). Empty before SMB 3.0. */
  encryptionKey: Buffer;
  /** Server-to-client (what the client decrypts with). Empty before SMB 3.0. */
  decryptionKey: Buffer;
  applicationKey: Buffer;
}

const cstr = (s: string): Buffer => Buffer.from(`${s}\0`, 'latin1');

// MS-SMB2 3.2.5.3.1, dialects 3.0 and 3.0.2: fixed labels and contexts.
const SMB30 = {
  signing: [cstr('SMB2AESCMAC'), cstr('SmbSign')],
  encryption: [cstr('SMB2AESCCM'), cstr('ServerIn ')], // the space is in the spec
  decryption: [cstr('SMB2AESCCM'), cstr('ServerOut')],
  application: [cstr('SMB2APP'), cstr('SmbRpc')],
} as const;

// MS-SMB2 3.2.5.3.1, dialect 3.1.1: the context is Session.PreauthIntegrityHashValue.
const SMB311 = {
  signing: cstr('SMBSigningKey'),
  encryption: cstr('SMBC2SCipherKey'),
  decryption: cstr('SMBS2CCipherKey'),
  application: cstr('SMBAppKey'),
} as const;

/** Session.SessionKey: the first 16 bytes of the GSS key, right-padded with zeros (MS-SMB2 3.2.1.3). */
function first16(key: Buffer): Buffer {
  const out = Buffer.alloc(16);
  key.copy(out, 0, 0, Math.min(16, key.length));
  return out;
}

/**
 * Derives the per-session keys. `sessionKey` is the full key the GSS mechanism exported (16 bytes for
 * NTLM). For AES-256 ciphers (3.1.1 only) the cipher keys use L = 256 and the full session key
 * (Session.FullSessionKey); the signing and application keys stay 128-bit keys from the first 16 bytes.
 */
export function deriveSessionKeys(
  dialect: number,
  sessionKey: Buffer,
  preauthHash?: Buffer,
  cipher?: SmbCipher,
): SessionKeys {
  const key16 = first16(sessionKey);
  if (dialect < 0x0300) {
    return { signingKey: key16, encryptionKey: Buffer.alloc(0), decryptionKey: Buffer.alloc(0), applicationKey: key16 };
  }
  if (dialect === 0x0300 || dialect === 0x0302) {
    return {
      signingKey: smb3Kdf(key16, SMB30.signing[0], SMB30.signing[1]),
      encryptionKey: smb3Kdf(key16, SMB30.encryption[0], SMB30.encryption[1]),
      decryptionKey: smb3Kdf(key16, SMB30.decryption[0], SMB30.decryption[1]),
      applicationKey: smb3Kdf(key16, SMB30.application[0], SMB30.application[1]),
    };
  }
  if (dialect !== 0x0311) throw new RangeError(`no key derivation for dialect 0x${dialect.toString(16)}`);
  if (!preauthHash || preauthHash.length !== 64) {
    throw new RangeError('SMB 3.1.1 key derivation needs the 64-byte preauth integrity hash');
  }
  const wide = cipher === 'AES-256-CCM' || cipher === 'AES-256-GCM';
  const cipherKey = wide ? sessionKey : key16;
  const cipherBits = wide ? 256 : 128;
  return {
    signingKey: smb3Kdf(key16, SMB311.signing, preauthHash),
    encryptionKey: smb3Kdf(cipherKey, SMB311.encryption, preauthHash, cipherBits),
    decryptionKey: smb3Kdf(cipherKey, SMB311.decryption, preauthHash, cipherBits),
    applicationKey: smb3Kdf(key16, SMB311.application, preauthHash),
  };
}
