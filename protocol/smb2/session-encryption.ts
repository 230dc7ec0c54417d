// A session's sealing (MS-SMB2 3.1.4.3 encrypting, 3.2.5.1.1 decrypting): the transform codec with
// the session's keys. The client encrypts with EncryptionKey (ServerIn) and decrypts with
// DecryptionKey (ServerOut). GCM frames are opened off the main thread (decryptAsync).
import type { SmbCipher } from '../crypto/smb-keys.js';
import type { SessionEncryption } from './connection.js';
import { importGcmKey } from '../crypto/webcrypto-gcm.js';
import { decryptGcmMessage, decryptMessage, encryptMessage } from './transform.js';

export function sessionEncryption(
  cipher: SmbCipher,
  keys: { encryptionKey: Buffer; decryptionKey: Buffer },
  sessionId: bigint,
  encryptAll: boolean,
): SessionEncryption {
  const gcm = cipher === 'AES-128-GCM' || cipher === 'AES-256-GCM';
  const gcmKey = gcm ? importGcmKey(keys.decryptionKey) : undefined;
  gcmKey?.catch(() => undefined); // a failure shows when it is used
  return {
    encryptAll,
    encrypt: (parts) => encryptMessage(cipher, keys.encryptionKey, sessionId, parts),
    decrypt: (frame) => decryptMessage(cipher, keys.decryptionKey, frame),
    ...(gcmKey ? { decryptAsync: (frame: Buffer) => decryptGcmMessage(cipher, gcmKey, frame) } : {}),
  };
}
