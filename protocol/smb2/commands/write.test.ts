import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';
import { SMB2_WRITE_DATA_OFFSET, decodeWriteRequest, decodeWriteResponse, encodeWriteRequest, encodeWriteResponse } from './write.js';

const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.21, the fixed part only
const WRITE_REQUEST = hex(`
  3100                 // StructureSize 49
  7000                 // DataOffset 0x70 = 64 + 48
  05000000             // Length 5
  0002000000000000     // Offset 512
  0102030405060708090a0b0c0d0e0f10 // FileId
  00000000             // Channel
  00000000             // RemainingBytes
  0000 0000            // WriteChannelInfoOffset, WriteChannelInfoLength
  00000000             // Flags
`);
// MS-SMB2 2.2.22
const WRITE_RESPONSE = hex(`
  1100                 // StructureSize 17
  0000                 // Reserved
  05000000             // Count 5
  00000000             // Remaining
  0000 0000            // WriteChannelInfoOffset, WriteChannelInfoLength
`);

describe('WRITE (MS-SMB2 2.2.21, 2.2.22)', () => {
  it('encodes the 48-byte fixed part; the data follows at 0x70', () => {
    const body = encodeWriteRequest({ fileId, offset: 512, length: 5 });
    expect(body.toString('hex')).toBe(WRITE_REQUEST.toString('hex'));
    expect(SMB2_WRITE_DATA_OFFSET).toBe(0x70);
    const req = decodeWriteRequest(message(Smb2Command.WRITE, Buffer.concat([body, Buffer.from('hello')])));
    expect(req).toMatchObject({ fileId, offset: 512, length: 5, flags: 0, remainingBytes: 0 });
    expect(req.data.toString()).toBe('hello');
  });

  it('decodes the response, with or without the 17th byte', () => {
    expect(decodeWriteResponse(message(Smb2Command.WRITE, WRITE_RESPONSE))).toEqual({ count: 5, remaining: 0 });
    expect(decodeWriteResponse(message(Smb2Command.WRITE, Buffer.concat([WRITE_RESPONSE, Buffer.alloc(1)])))).toEqual({ count: 5, remaining: 0 });
    expect(encodeWriteResponse({ count: 5, remaining: 0 }).toString('hex')).toBe(WRITE_RESPONSE.toString('hex'));
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeWriteResponse, Smb2Command.WRITE, [message(Smb2Command.WRITE, WRITE_RESPONSE)]);
    fuzzDecoder(decodeWriteRequest, Smb2Command.WRITE, [message(Smb2Command.WRITE, Buffer.concat([WRITE_REQUEST, Buffer.from('hello')]))]);
  });
});
