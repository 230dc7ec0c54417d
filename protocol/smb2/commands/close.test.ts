import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB, decodeCloseRequest, decodeCloseResponse, encodeCloseRequest, encodeCloseResponse } from './close.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.CLOSE;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.15
const REQUEST = hex(`
  1800                 // StructureSize 24
  0100                 // Flags: SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB
  00000000             // Reserved
  0102030405060708090a0b0c0d0e0f10 // FileId
`);
// MS-SMB2 2.2.16
const RESPONSE = hex(`
  3c00                 // StructureSize 60
  0100                 // Flags
  00000000             // Reserved
  0100000000000000 0200000000000000 0300000000000000 0400000000000000 // the four times
  0020000000000000     // AllocationSize 8192
  3412000000000000     // EndofFile 0x1234
  10000000             // FileAttributes: DIRECTORY
`);

describe('CLOSE (MS-SMB2 2.2.15, 2.2.16)', () => {
  it('encodes the request', () => {
    const body = encodeCloseRequest({ fileId, flags: SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB });
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeCloseRequest(message(CMD, body))).toEqual({ fileId, flags: 1 });
  });

  it('decodes the response', () => {
    const res = decodeCloseResponse(message(CMD, RESPONSE));
    expect(res).toEqual({
      flags: 1,
      creationTime: 1n,
      lastAccessTime: 2n,
      lastWriteTime: 3n,
      changeTime: 4n,
      allocationSize: 8192,
      endOfFile: 0x1234,
      fileAttributes: 0x10,
    });
    expect(encodeCloseResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeCloseResponse, CMD, [message(CMD, RESPONSE)]);
  });
});
