// SMB1 signing (MS-CIFS 3.1.5.1): the signature is MD5(MACKey || message with the sequence number
// in SecuritySignature)[0..7]; a changed byte, key or sequence number fails verification.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { macKeyFor, signSmb1, verifySmb1 } from './signing.js';
import { hex } from './smb1.test-helpers.js';

const KEY = hex('000102030405060708090a0b0c0d0e0f');
const message = (): Buffer[] => [hex('ff534d42 2b 00000000 18 0540 0000 0000000000000000 0000 ffff feff 6400 0700'), hex('01 0100 0400 70696e67')];

describe('SMB1 signing', () => {
  it('writes MD5(key || message with the sequence number) into SecuritySignature', () => {
    const parts = message();
    const expected = createHash('md5').update(KEY).update(Buffer.concat(parts).fill(0, 14, 22).fill(7, 14, 15)).digest().subarray(0, 8);
    signSmb1(KEY, 7, parts);
    expect(parts[0]!.subarray(14, 22)).toEqual(expected);
  });
  it('verifies with the same key and number, and only then', () => {
    const parts = message();
    signSmb1(KEY, 3, parts);
    const msg = Buffer.concat(parts);
    expect(verifySmb1(KEY, 3, msg)).toBe(true);
    expect(verifySmb1(KEY, 4, msg)).toBe(false);
    expect(verifySmb1(hex('ff'.repeat(16)), 3, msg)).toBe(false);
    const changed = Buffer.from(msg);
    changed.writeUInt8(changed.at(-1)! ^ 1, changed.length - 1);
    expect(verifySmb1(KEY, 3, changed)).toBe(false);
    expect(msg.subarray(14, 22)).toEqual(parts[0]!.subarray(14, 22)); // verify leaves the message alone
  });
  it('MAC key: the session key, followed by the response for challenge/response logons', () => {
    expect(macKeyFor(KEY)).toEqual(KEY);
    expect(macKeyFor(KEY, hex('aabb'))).toEqual(Buffer.concat([KEY, hex('aabb')]));
  });
});
