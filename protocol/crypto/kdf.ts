// SP800-108 KDF in counter mode with HMAC-SHA256 as the PRF, exactly as MS-SMB2 3.1.4.2 uses it:
// r = 32 (a 4-byte big-endian counter starting at 1), fixed input = Label || 0x00 || Context || L,
// L the output length in bits as a 4-byte big-endian integer. SMB callers pass labels and contexts
// with their own trailing NUL ("SMB2AESCMAC\0"), so the 0x00 separator follows that NUL.
import { createHmac } from 'node:crypto';

const PRF_BITS = 256;

export function smb3Kdf(key: Buffer, label: Buffer, context: Buffer, lengthBits = 128): Buffer {
  if (lengthBits <= 0 || lengthBits % 8 !== 0) throw new RangeError(`KDF length ${lengthBits} bits`);
  const rounds = Math.ceil(lengthBits / PRF_BITS);
  const fixed = Buffer.alloc(label.length + 1 + context.length + 4);
  label.copy(fixed, 0);
  fixed[label.length] = 0x00;
  context.copy(fixed, label.length + 1);
  fixed.writeUInt32BE(lengthBits, fixed.length - 4);

  const out: Buffer[] = [];
  const counter = Buffer.alloc(4);
  for (let i = 1; i <= rounds; i++) {
    counter.writeUInt32BE(i, 0);
    out.push(createHmac('sha256', key).update(counter).update(fixed).digest());
  }
  return Buffer.concat(out).subarray(0, lengthBits / 8);
}
