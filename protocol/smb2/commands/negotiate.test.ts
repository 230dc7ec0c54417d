import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { Smb2Command } from '../constants.js';
import {
  AES_128_CCM,
  AES_128_GCM,
  AES_CMAC,
  HMAC_SHA256,
  SHA_512,
  decodeNegotiateRequest,
  decodeNegotiateResponse,
  encodeNegotiateRequest,
  encodeNegotiateResponse,
} from './negotiate.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const NEG = Smb2Command.NEGOTIATE;
const clientGuid = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const salt = Buffer.from([...Array(32).keys()]);
const saltHex = salt.toString('hex');

// MS-SMB2 2.2.3 with three 2.2.3.1 contexts, assembled from the layout tables.
const REQUEST_311 = hex(`
  2400                 // StructureSize 36
  0500                 // DialectCount 5
  0100                 // SecurityMode: SIGNING_ENABLED
  0000                 // Reserved
  44000000             // Capabilities: LARGE_MTU | ENCRYPTION
  000102030405060708090a0b0c0d0e0f // ClientGuid
  70000000             // NegotiateContextOffset 0x70 = 64 + 48
  0300                 // NegotiateContextCount 3
  0000                 // Reserved2
  0202 1002 0003 0203 1103 // Dialects 2.0.2 2.1 3.0 3.0.2 3.1.1
  0000                 // padding to 8 (body 46 -> 48)
  0100 2600 00000000   // PREAUTH_INTEGRITY_CAPABILITIES, DataLength 38, Reserved
  0100 2000 0100       // HashAlgorithmCount 1, SaltLength 32, SHA-512
  ${saltHex}           // Salt
  0000                 // padding (body 94 -> 96)
  0200 0600 00000000   // ENCRYPTION_CAPABILITIES, DataLength 6
  0200 0200 0100       // CipherCount 2: AES-128-GCM, AES-128-CCM
  0000                 // padding (110 -> 112)
  0800 0600 00000000   // SIGNING_CAPABILITIES, DataLength 6
  0200 0100 0000       // SigningAlgorithmCount 2: AES-CMAC, HMAC-SHA256
`);

const REQUEST_21 = hex(`
  2400 0200 0200 0000  // StructureSize, DialectCount 2, SecurityMode REQUIRED, Reserved
  00000000             // Capabilities
  000102030405060708090a0b0c0d0e0f // ClientGuid
  0000000000000000     // ClientStartTime 0 (no 3.1.1 offered)
  0202 1002            // Dialects
`);

const serverGuidHex = '101112131415161718191a1b1c1d1e1f';
const RESPONSE_311_BODY = hex(`
  4100                 // StructureSize 65
  0100                 // SecurityMode
  1103                 // DialectRevision 3.1.1
  0300                 // NegotiateContextCount 3
  ${serverGuidHex}     // ServerGuid
  2f000000             // Capabilities
  00008000 00008000 00008000 // MaxTransactSize, MaxReadSize, MaxWriteSize = 8 MiB
  00000000 0000da01    // SystemTime
  0000000000000000     // ServerStartTime
  8000 0a00            // SecurityBufferOffset 128, SecurityBufferLength 10
  90000000             // NegotiateContextOffset 144 (138 rounded up to 8)
  6008 0606 2b06 0105 0502 // SecurityBuffer (start of a SPNEGO token)
  000000000000         // padding 138 -> 144
  0100 2600 00000000 0100 2000 0100 ${saltHex} // PREAUTH: SHA-512 and the salt
  0000                 // padding 190 -> 192
  0200 0400 00000000 0100 0200 // ENCRYPTION: 1 cipher, AES-128-GCM
  00000000             // padding 204 -> 208
  0800 0400 00000000 0100 0100 // SIGNING: 1 algorithm, AES-CMAC
`);
const RESPONSE_311 = message(NEG, RESPONSE_311_BODY);

const RESPONSE_21_BODY = hex(`
  4100 0300 1002 0000  // StructureSize, SecurityMode ENABLED|REQUIRED, 2.1, Reserved
  ${serverGuidHex}
  07000000 00000100 00000100 00000100 // Capabilities, 64 KiB limits
  0100000000000000 0200000000000000    // SystemTime 1, ServerStartTime 2
  8000 0200 00000000   // SecurityBufferOffset, Length 2, Reserved2
  a1b2                 // SecurityBuffer
`);

describe('NEGOTIATE request (MS-SMB2 2.2.3)', () => {
  it('encodes 3.1.1 with preauth, encryption and signing contexts, 8-byte aligned', () => {
    const body = encodeNegotiateRequest({
      dialects: [0x0202, 0x0210, 0x0300, 0x0302, 0x0311],
      securityMode: 1,
      capabilities: 0x44,
      clientGuid,
      preauthSalt: salt,
      ciphers: [AES_128_GCM, AES_128_CCM],
      signingAlgorithms: [AES_CMAC, HMAC_SHA256],
    });
    expect(body.toString('hex')).toBe(REQUEST_311.toString('hex'));
  });

  it('sends no contexts and a zero ClientStartTime when 3.1.1 is not offered', () => {
    const body = encodeNegotiateRequest({ dialects: [0x0202, 0x0210], securityMode: 2, capabilities: 0, clientGuid, ciphers: [1] });
    expect(body.toString('hex')).toBe(REQUEST_21.toString('hex'));
  });

  it('draws a random 32-byte salt when none is given', () => {
    const a = decodeNegotiateRequest(message(NEG, encodeNegotiateRequest({ dialects: [0x0311], securityMode: 1, capabilities: 0, clientGuid })));
    expect(a.preauthSalt?.length).toBe(32);
  });

  it('decodes its own golden bytes back', () => {
    const req = decodeNegotiateRequest(message(NEG, REQUEST_311, { response: false }));
    expect(req.dialects).toEqual([0x0202, 0x0210, 0x0300, 0x0302, 0x0311]);
    expect(req.preauthSalt).toEqual(salt);
    expect(req.ciphers).toEqual([AES_128_GCM, AES_128_CCM]);
    expect(req.signingAlgorithms).toEqual([AES_CMAC, HMAC_SHA256]);
    expect(req.clientGuid).toEqual(clientGuid);
  });
});

describe('NEGOTIATE response (MS-SMB2 2.2.4)', () => {
  it('decodes a 3.1.1 response with its contexts', () => {
    const res = decodeNegotiateResponse(RESPONSE_311);
    expect(res).toMatchObject({
      securityMode: 1,
      dialect: 0x0311,
      capabilities: 0x2f,
      maxTransactSize: 0x800000,
      maxReadSize: 0x800000,
      maxWriteSize: 0x800000,
      systemTime: 0x01da000000000000n,
      serverStartTime: 0n,
      preauthHashAlgorithm: SHA_512,
      cipher: AES_128_GCM,
      signingAlgorithm: AES_CMAC,
    });
    expect(res.serverGuid.toString('hex')).toBe(serverGuidHex);
    expect(res.securityBuffer.toString('hex')).toBe('600806062b0601050502');
    expect(res.preauthSalt).toEqual(salt);
    expect(res.contexts.map((c) => c.type)).toEqual([1, 2, 8]);
    // the security buffer is a view, not a copy
    expect(res.securityBuffer.buffer).toBe(RESPONSE_311.buffer);
  });

  it('re-encodes the same bytes', () => {
    const res = decodeNegotiateResponse(RESPONSE_311);
    expect(encodeNegotiateResponse(res).toString('hex')).toBe(RESPONSE_311_BODY.toString('hex'));
    const r21 = decodeNegotiateResponse(message(NEG, RESPONSE_21_BODY));
    expect(encodeNegotiateResponse(r21).toString('hex')).toBe(RESPONSE_21_BODY.toString('hex'));
  });

  it('decodes a 2.1 response without contexts', () => {
    const res = decodeNegotiateResponse(message(NEG, RESPONSE_21_BODY));
    expect(res).toMatchObject({ dialect: 0x0210, securityMode: 3, maxReadSize: 65536, systemTime: 1n, serverStartTime: 2n, contexts: [] });
    expect(res.preauthSalt).toBeUndefined();
    expect(res.securityBuffer.toString('hex')).toBe('a1b2');
  });

  it('rejects a 3.1.1 response without exactly one preauth context', () => {
    const none = Buffer.from(RESPONSE_311);
    none.writeUInt16LE(2, 64 + 6); // two contexts, and the first (preauth) becomes an unknown type
    none.writeUInt16LE(0x99, 144);
    expect(() => decodeNegotiateResponse(none)).toThrow(MalformedMessageError);
    const twice = Buffer.from(RESPONSE_311);
    twice.writeUInt16LE(1, 192); // the encryption context becomes a second preauth context
    expect(() => decodeNegotiateResponse(twice)).toThrow(/PREAUTH/);
    const zero = Buffer.from(RESPONSE_311);
    zero.writeUInt16LE(0, 64 + 6);
    expect(() => decodeNegotiateResponse(zero)).toThrow(MalformedMessageError);
  });

  it('rejects a wrong StructureSize, a lying security buffer and a misaligned context', () => {
    const size = Buffer.from(RESPONSE_311);
    size.writeUInt16LE(64, 64);
    expect(() => decodeNegotiateResponse(size)).toThrow(/StructureSize/);
    const sec = Buffer.from(RESPONSE_311);
    sec.writeUInt16LE(0xffff, 64 + 58);
    expect(() => decodeNegotiateResponse(sec)).toThrow(/SecurityBuffer/);
    const misaligned = Buffer.from(RESPONSE_311);
    misaligned.writeUInt32LE(146, 64 + 60);
    expect(() => decodeNegotiateResponse(misaligned)).toThrow(/aligned/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeNegotiateResponse, NEG, [RESPONSE_311, message(NEG, RESPONSE_21_BODY)]);
    fuzzDecoder(decodeNegotiateRequest, NEG, [message(NEG, REQUEST_311), message(NEG, REQUEST_21)]);
  });
});
