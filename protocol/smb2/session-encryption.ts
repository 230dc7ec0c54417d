// A session's sealing (MS-SMB2 3.1.4.3 encrypting, 3.2.5.1.1 decrypting): the transform codec with
// the session's keys. The client encrypts with EncryptionKey (ServerIn) and decrypts with
// DecryptionKey (ServerOut).
import type { SmbCipher } from '../crypto/smb-keys.js';
import type { SessionEncryption } from './connection.js';
import { decryptMessage, decryptMessageInPlace, encryptMessage } from './transform.js';

export function sessionEncryption(
  cipher: SmbCipher,
  keys: { encryptionKey: Buffer; decryptionKey: Buffer },
  sessionId: bigint,
  encryptAll: boolean,
): SessionEncryption {
  // The opt-in decryption worker (crypto/aead-offload.ts) starts with the first large sealed
  // answer (transform.ts), not here: a thread is ~12 MiB of RSS, which an encrypted put (small
  // answers only) or an `ls` never needs (measured, encrypted 1 GiB put: 102-106 MiB with it, 92 without).
  return {
    encryptAll,
    encrypt: (parts) => encryptMessage(cipher, keys.encryptionKey, sessionId, parts),
    decrypt: (frame) => decryptMessage(cipher, keys.decryptionKey, frame),
    decryptInPlace: (frame) => decryptMessageInPlace(cipher, keys.decryptionKey, frame),
  };
}
