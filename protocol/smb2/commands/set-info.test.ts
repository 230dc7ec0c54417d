import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { SMB2_0_INFO_FILE } from '../create-constants.js';
import { decodeSetInfoRequest, decodeSetInfoResponse, encodeSetInfoRequest, encodeSetInfoResponse } from './set-info.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.SET_INFO;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.39
const REQUEST = hex(`
  2100                 // StructureSize 33
  01                   // InfoType: SMB2_0_INFO_FILE
  0d                   // FileInfoClass 13: FileDispositionInformation
  01000000             // BufferLength 1
  6000                 // BufferOffset 0x60 = 64 + 32
  0000                 // Reserved
  00000000             // AdditionalInformation
  0102030405060708090a0b0c0d0e0f10 // FileId
  01                   // DeletePending = TRUE
`);

describe('SET_INFO (MS-SMB2 2.2.39, 2.2.40)', () => {
  it('encodes the request', () => {
    const req = { infoType: SMB2_0_INFO_FILE, fileInfoClass: 13, fileId, buffer: Buffer.from([1]) };
    const body = encodeSetInfoRequest(req);
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeSetInfoRequest(message(CMD, body))).toEqual({ ...req, additionalInformation: 0 });
  });

  it('decodes the two-byte response', () => {
    expect(encodeSetInfoResponse().toString('hex')).toBe('0200');
    expect(decodeSetInfoResponse(message(CMD, hex('0200')))).toEqual({});
    expect(() => decodeSetInfoResponse(message(CMD, hex('0900')))).toThrow(/StructureSize/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeSetInfoResponse, CMD, [message(CMD, hex('0200'))], 100);
    fuzzDecoder(decodeSetInfoRequest, CMD, [message(CMD, REQUEST)]);
  });
});
