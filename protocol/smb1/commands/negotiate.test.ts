// SMB_COM_NEGOTIATE golden bytes (MS-CIFS 2.2.4.52, MS-SMB 2.2.4.5): the multi-protocol request,
// the extended-security and the challenge/response answers, "no dialect".
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { DIALECT_NT_LM_012, DIALECT_SMB_2_002, DIALECT_SMB_2_WILDCARD, SMB_FLAGS2_NT_STATUS, Smb1Command } from '../constants.js';
import { fuzzSmb1Decoder, hex, reply } from '../smb1.test-helpers.js';
import { CHALLENGE, EXTENDED } from './negotiate.test-data.js';
import { decodeNegotiateResponse, encodeNegotiateMessage, encodeNegotiateRequest, NO_DIALECT } from './negotiate.js';
import { ioLimits, smb1Negotiated } from '../negotiate-exchange.js';

describe('NEGOTIATE request', () => {
  it('golden bytes of the multi-protocol request (MS-SMB2 3.2.4.2.1)', () => {
    expect(encodeNegotiateRequest([DIALECT_NT_LM_012, DIALECT_SMB_2_002, DIALECT_SMB_2_WILDCARD])).toEqual(
      hex(`
        00                           // WordCount 0
        2200                         // ByteCount 34
        02 4e54204c4d20302e313200    // 0x02 "NT LM 0.12\\0"
        02 534d4220322e30303200      // 0x02 "SMB 2.002\\0"
        02 534d4220322e3f3f3f00      // 0x02 "SMB 2.???\\0"
      `),
    );
  });
  it('the whole message carries MID 0 and our flags', () => {
    const m = encodeNegotiateMessage([DIALECT_NT_LM_012], SMB_FLAGS2_NT_STATUS, 0xfeff);
    expect(m.subarray(0, 5)).toEqual(hex('ff534d4272'));
    expect(m.readUInt16LE(30)).toBe(0);
    expect(m.readUInt16LE(10)).toBe(SMB_FLAGS2_NT_STATUS);
  });
});

describe('NEGOTIATE response', () => {
  it('extended security: GUID and SPNEGO blob', () => {
    const n = decodeNegotiateResponse(EXTENDED);
    expect(n).toMatchObject({ dialectIndex: 0, securityMode: 0x0f, maxMpxCount: 50, maxBufferSize: 16644, capabilities: 0x8080f3fd, serverTimeZone: -120 });
    expect(n.serverGuid).toEqual(hex('00112233445566778899aabbccddeeff'));
    expect(n.securityBlob).toEqual(hex('60084806062b0601050502'));
  });
  it('challenge/response: the 8-byte challenge and the domain', () => {
    const n = decodeNegotiateResponse(CHALLENGE);
    expect(n.challenge).toEqual(hex('0123456789abcdef'));
    expect(n.sessionKey).toBe(0x12345678);
    expect(n.domainName).toBe('D0');
    expect(n.serverGuid).toBeUndefined();
  });
  it('DialectIndex 0xFFFF: none of ours', () => {
    expect(decodeNegotiateResponse(reply(Smb1Command.NEGOTIATE, hex('01 ffff 0000'))).dialectIndex).toBe(NO_DIALECT);
  });
  it('refuses a pre-NT answer and a bad challenge length', () => {
    expect(() => decodeNegotiateResponse(reply(Smb1Command.NEGOTIATE, hex('0d 0000' + '00'.repeat(24) + '0000')))).toThrow(/WordCount/);
    const bad = Buffer.from(CHALLENGE);
    bad[32 + 34] = 7;
    expect(() => decodeNegotiateResponse(bad)).toThrow(MalformedMessageError);
  });
  it('random and mutated bytes raise only MalformedMessageError', () => {
    fuzzSmb1Decoder(decodeNegotiateResponse, Smb1Command.NEGOTIATE, [EXTENDED, CHALLENGE]);
  });
});

describe('I/O sizes from NEGOTIATE', () => {
  it('CAP_LARGE_READX/WRITEX (Samba): 4 MiB reads, 124 KiB writes; signed: 124 KiB both ways', () => {
    const neg = smb1Negotiated(decodeNegotiateResponse(EXTENDED));
    expect(ioLimits(neg, false)).toEqual({ maxRead: 4 * 1024 * 1024, maxWrite: 0x1f000 });
    expect(ioLimits(neg, true)).toEqual({ maxRead: 0x1f000, maxWrite: 0x1f000 });
  });
  it('without them: the server buffer (MaxBufferSize 65535 here) less 64 bytes of headers', () => {
    const neg = smb1Negotiated(decodeNegotiateResponse(CHALLENGE));
    expect(ioLimits(neg, false)).toEqual({ maxRead: 0xffff - 64, maxWrite: 0xffff - 64 });
  });
});
