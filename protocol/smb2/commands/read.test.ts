import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { decodeReadRequest, decodeReadResponse, encodeReadRequest, encodeReadResponse } from './read.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.19
const READ_REQUEST = hex(`
  3100                 // StructureSize 49
  50                   // Padding 0x50: data right after the response's fixed part
  00                   // Flags
  00000100             // Length 65536
  0000010000000000     // Offset 65536
  0102030405060708090a0b0c0d0e0f10 // FileId
  00000000             // MinimumCount
  00000000             // Channel: NONE
  00000000             // RemainingBytes
  0000 0000            // ReadChannelInfoOffset, ReadChannelInfoLength
  00                   // Buffer: the one byte StructureSize 49 counts
`);
// MS-SMB2 2.2.20
const READ_RESPONSE = hex(`
  1100                 // StructureSize 17
  50                   // DataOffset 0x50
  00                   // Reserved
  05000000             // DataLength 5
  00000000             // DataRemaining
  00000000             // Reserved2
  68656c6c6f           // "hello"
`);
describe('READ (MS-SMB2 2.2.19, 2.2.20)', () => {
  it('encodes the request with its one Buffer byte', () => {
    const body = encodeReadRequest({ fileId, offset: 65536, length: 65536 });
    expect(body.toString('hex')).toBe(READ_REQUEST.toString('hex'));
    expect(decodeReadRequest(message(Smb2Command.READ, body))).toEqual({ fileId, offset: 65536, length: 65536, minimumCount: 0, padding: 0x50, flags: 0 });
  });

  it('decodes the response, data as a view', () => {
    const msg = message(Smb2Command.READ, READ_RESPONSE);
    const res = decodeReadResponse(msg);
    expect(res.dataOffset).toBe(0x50);
    expect(res.dataRemaining).toBe(0);
    expect(res.data.toString()).toBe('hello');
    expect(res.data.buffer).toBe(msg.buffer);
    expect(res.data.byteOffset).toBe(msg.byteOffset + 0x50);
    expect(encodeReadResponse({ data: res.data }).toString('hex')).toBe(READ_RESPONSE.toString('hex'));
  });

  it('rejects data outside the message or over the fixed part', () => {
    const over = message(Smb2Command.READ, READ_RESPONSE);
    over.writeUInt32LE(6, 64 + 4);
    expect(() => decodeReadResponse(over)).toThrow(/READ response: Data/);
    const into = message(Smb2Command.READ, READ_RESPONSE);
    into[64 + 2] = 0x40;
    expect(() => decodeReadResponse(into)).toThrow(/fixed part/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeReadResponse, Smb2Command.READ, [message(Smb2Command.READ, READ_RESPONSE)]);
  });
});
