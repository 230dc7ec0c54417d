// MS-CIFS 2.2.3.1 header, golden bytes both ways, and the DOS form of Status (2.2.1.5).
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { decodeHeader, dosStatusOf, encodeHeader, hasNtStatus } from './header.js';
import { hex } from './smb1.test-helpers.js';

const GOLDEN = hex(`
  ff534d42            // Protocol 0xFF 'SMB'
  a2                  // Command NT_CREATE_ANDX
  22 00 00 c0         // Status STATUS_ACCESS_DENIED
  98                  // Flags: REPLY | CANONICALIZED_PATHS | CASE_INSENSITIVE
  03 c8               // Flags2: UNICODE | NT_STATUS | EXTENDED_SECURITY | EAS | LONG_NAMES
  01 00               // PIDHigh
  0102030405060708    // SecurityFeatures
  0000                // Reserved
  07 00               // TID
  ff fe               // PIDLow
  64 00               // UID
  2a 00               // MID
`);

describe('SMB1 header', () => {
  const fields = { command: 0xa2, status: 0xc0000022, flags: 0x98, flags2: 0xc803, pid: 0x0001feff, tid: 7, uid: 100, mid: 42, signature: hex('0102030405060708') };
  it('encodes the golden bytes', () => expect(encodeHeader(fields)).toEqual(GOLDEN));
  it('decodes the golden bytes', () => {
    const h = decodeHeader(GOLDEN);
    expect({ ...h, signature: Buffer.from(h.signature) }).toEqual(fields);
    expect(hasNtStatus(h)).toBe(true);
  });
  it('reads a DOS status as class and code', () => {
    // ERRDOS (0x01), reserved, ERRbadfile (0x0002)
    expect(dosStatusOf({ status: hex('01 00 0200').readUInt32LE(0) })).toEqual({ errorClass: 1, errorCode: 2 });
  });
  it('refuses a short message and a wrong protocol id', () => {
    expect(() => decodeHeader(GOLDEN.subarray(0, 31))).toThrow(MalformedMessageError);
    const smb2 = Buffer.from(GOLDEN);
    smb2[0] = 0xfe;
    expect(() => decodeHeader(smb2)).toThrow(/Protocol/);
  });
});
