// A session's sealing (MS-SMB2 3.1.4.3 encrypting, 3.2.5.1.1 decrypting): the transform codec with
// the session's keys. The client encrypts with EncryptionKey (ServerIn) and decrypts with
// DecryptionKey (ServerOut).
import { offloadAvailable } from '../crypto/aead-offload.js';
import type { SmbCipher } from '../crypto/smb-keys.js';
import type { SessionEncryption } from './connection.js';
import { decryptMessage, decryptMessageInPlace, encryptMessage } from './transform.js';

export function sessionEncryption(
  cipher: SmbCipher,
  keys: { encryptionKey: Buffer; decryptionKey: Buffer },
  sessionId: bigint,
  encryptAll: boolean,
): SessionEncryption {
  // A session that seals everything starts the worker now, so it is ready for the first large
  // answer (crypto/aead-offload.ts); otherwise an encrypted share's tree connect starts it. A plain
  // session (a one-shot `ls`) never pays for the thread.
  if (encryptAll) offloadAvailable();
  return {
    encryptAll,
    encrypt: (parts) => encryptMessage(cipher, keys.encryptionKey, sessionId, parts),
    decrypt: (frame) => decryptMessage(cipher, keys.decryptionKey, frame),
    decryptInPlace: (frame) => decryptMessageInPlace(cipher, keys.decryptionKey, frame),
  };
}
