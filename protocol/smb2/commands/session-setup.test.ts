import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import {
  decodeSessionSetupRequest,
  decodeSessionSetupResponse,
  encodeSessionSetupRequest,
  encodeSessionSetupResponse,
} from './session-setup.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.SESSION_SETUP;

// MS-SMB2 2.2.5
const REQUEST = hex(`
  1900                 // StructureSize 25
  00                   // Flags
  01                   // SecurityMode: SIGNING_ENABLED
  01000000             // Capabilities: DFS
  00000000             // Channel
  5800                 // SecurityBufferOffset 0x58 = 64 + 24
  0400                 // SecurityBufferLength 4
  0000000000000000     // PreviousSessionId
  60480606             // SecurityBuffer
`);
// MS-SMB2 2.2.5, a logon after a drop (3.2.4.2.3): PreviousSessionId names the old session.
const REQUEST_AFTER_DROP = hex(`
  1900                 // StructureSize 25
  00                   // Flags
  02                   // SecurityMode: SIGNING_REQUIRED
  00000000             // Capabilities
  00000000             // Channel
  5800                 // SecurityBufferOffset 0x58 = 64 + 24
  0200                 // SecurityBufferLength 2
  1100003c0c7a0000     // PreviousSessionId 0x00007a0c3c000011
  a181                 // SecurityBuffer
`);
// MS-SMB2 2.2.6
const RESPONSE = hex(`
  0900                 // StructureSize 9
  0100                 // SessionFlags: IS_GUEST
  4800                 // SecurityBufferOffset 0x48 = 64 + 8
  0300                 // SecurityBufferLength 3
  a10102               // SecurityBuffer
`);

describe('SESSION_SETUP (MS-SMB2 2.2.5, 2.2.6)', () => {
  it('encodes the request', () => {
    const body = encodeSessionSetupRequest({ securityMode: 1, capabilities: 1, securityBuffer: Buffer.from('60480606', 'hex') });
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeSessionSetupRequest(message(CMD, body))).toEqual({
      flags: 0,
      securityMode: 1,
      capabilities: 1,
      previousSessionId: 0n,
      securityBuffer: Buffer.from('60480606', 'hex'),
    });
  });

  it('encodes PreviousSessionId little-endian at offset 16 of the body', () => {
    const body = encodeSessionSetupRequest({ securityMode: 2, capabilities: 0, previousSessionId: 0x00007a0c3c000011n, securityBuffer: Buffer.from('a181', 'hex') });
    expect(body.toString('hex')).toBe(REQUEST_AFTER_DROP.toString('hex'));
    expect(decodeSessionSetupRequest(message(CMD, body)).previousSessionId).toBe(0x00007a0c3c000011n);
  });

  it('decodes the response, the token as a view', () => {
    const msg = message(CMD, RESPONSE, { status: 0xc0000016 });
    const res = decodeSessionSetupResponse(msg);
    expect(res.sessionFlags).toBe(1);
    expect(res.securityBuffer.toString('hex')).toBe('a10102');
    expect(res.securityBuffer.buffer).toBe(msg.buffer);
    expect(encodeSessionSetupResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('accepts an empty token with offset 0 and rejects one pointing into the header', () => {
    expect(decodeSessionSetupResponse(message(CMD, hex('0900 0000 0000 0000 00'))).securityBuffer.length).toBe(0);
    expect(() => decodeSessionSetupResponse(message(CMD, hex('0900 0000 1000 0300 000000')))).toThrow(/SecurityBuffer/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeSessionSetupResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeSessionSetupRequest, CMD, [message(CMD, REQUEST)]);
  });
});
