// Pre-authentication integrity (MS-SMB2 3.2.5.2, 3.2.5.3.1, 3.1.4.2): for SMB 3.1.1 a SHA-512 chain
// over every NEGOTIATE and SESSION_SETUP message, fed into key derivation so that tampering with
// any of them yields keys the server does not share, and the signed final response fails.
import { createHash } from 'node:crypto';

export const SHA512_HASH_ID = 0x0001;

export class PreauthHash {
  private value: Buffer;

  constructor(initial: Buffer = Buffer.alloc(64)) {
    this.value = Buffer.from(initial);
  }

  /** H(i) = SHA-512(H(i-1) || message i). `parts` are the message's bytes in order. */
  update(parts: readonly Buffer[]): void {
    const h = createHash('sha512').update(this.value);
    for (const p of parts) h.update(p);
    this.value = h.digest();
  }

  get current(): Buffer {
    return Buffer.from(this.value);
  }

  fork(): PreauthHash {
    return new PreauthHash(this.value);
  }
}
