// AES-GCM through WebCrypto, whose work runs on the libuv thread pool instead of the main thread:
// decrypting a 2 MiB READ answer then costs the event loop a copy, not the whole cipher pass.
// Node's and Electron's WebCrypto both have AES-GCM (CCM, which WebCrypto lacks, stays on the
// synchronous provider). Tag length 128 bits, as MS-SMB2 2.2.41 Signature is 16 bytes.
import { webcrypto } from 'node:crypto';
import { SmbError } from '../errors.js';

const TAG_LENGTH = 16;

export type GcmKey = Promise<webcrypto.CryptoKey>;

export function importGcmKey(key: Buffer): GcmKey {
  return webcrypto.subtle.importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
}

/** Opens ciphertext ‖ tag; a wrong tag is the same 'security' error the synchronous path gives. */
export async function gcmDecrypt(key: GcmKey, nonce: Buffer, aad: Buffer, ciphertext: Buffer, tag: Buffer): Promise<Buffer> {
  if (tag.length !== TAG_LENGTH) throw new SmbError('security', 'decryption failed: bad tag', { operation: 'decrypt' });
  // WebCrypto takes the tag after the ciphertext; the transform header carries it in front.
  const sealed = Buffer.allocUnsafe(ciphertext.length + TAG_LENGTH);
  ciphertext.copy(sealed, 0);
  tag.copy(sealed, ciphertext.length);
  try {
    const plain = await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: TAG_LENGTH * 8 }, await key, sealed);
    return Buffer.from(plain);
  } catch (e) {
    throw new SmbError('security', 'decryption failed: bad tag', { operation: 'decrypt', cause: e });
  }
}
