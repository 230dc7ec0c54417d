import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import {
  SMB2_RESTART_SCANS,
  decodeQueryDirectoryRequest,
  decodeQueryDirectoryResponse,
  encodeQueryDirectoryRequest,
  encodeQueryDirectoryResponse,
} from './query-directory.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.QUERY_DIRECTORY;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.33
const REQUEST = hex(`
  2100                 // StructureSize 33
  25                   // FileInformationClass 37: FileIdBothDirectoryInformation
  01                   // Flags: SMB2_RESTART_SCANS
  00000000             // FileIndex
  0102030405060708090a0b0c0d0e0f10 // FileId
  6000                 // FileNameOffset 0x60 = 64 + 32
  0200                 // FileNameLength 2
  00000100             // OutputBufferLength 65536
  2a00                 // "*"
`);
// MS-SMB2 2.2.34
const RESPONSE = hex(`
  0900                 // StructureSize 9
  4800                 // OutputBufferOffset 0x48 = 64 + 8
  08000000             // OutputBufferLength 8
  0001020304050607     // Buffer
`);

describe('QUERY_DIRECTORY (MS-SMB2 2.2.33, 2.2.34)', () => {
  it('encodes the request', () => {
    const req = { fileInformationClass: 37, flags: SMB2_RESTART_SCANS, fileId, pattern: '*', outputBufferLength: 65536 };
    const body = encodeQueryDirectoryRequest(req);
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeQueryDirectoryRequest(message(CMD, body))).toEqual({ ...req, fileIndex: 0 });
  });

  it('decodes the response buffer as a view', () => {
    const msg = message(CMD, RESPONSE);
    const res = decodeQueryDirectoryResponse(msg);
    expect(res.buffer.toString('hex')).toBe('0001020304050607');
    expect(res.buffer.buffer).toBe(msg.buffer);
    expect(encodeQueryDirectoryResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('rejects an output buffer past the message', () => {
    const bad = message(CMD, RESPONSE);
    bad.writeUInt32LE(9, 64 + 4);
    expect(() => decodeQueryDirectoryResponse(bad)).toThrow(/QUERY_DIRECTORY response: Buffer/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeQueryDirectoryResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeQueryDirectoryRequest, CMD, [message(CMD, REQUEST)]);
  });
});
