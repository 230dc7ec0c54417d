import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import {
  DACL_SECURITY_INFORMATION,
  GROUP_SECURITY_INFORMATION,
  OWNER_SECURITY_INFORMATION,
  SMB2_0_INFO_FILE,
  SMB2_0_INFO_SECURITY,
  decodeQueryInfoRequest,
  decodeQueryInfoResponse,
  encodeQueryInfoRequest,
  encodeQueryInfoResponse,
} from './query-info.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.QUERY_INFO;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.37
const REQUEST = hex(`
  2900                 // StructureSize 41
  01                   // InfoType: SMB2_0_INFO_FILE
  22                   // FileInfoClass 34: FileNetworkOpenInformation
  38000000             // OutputBufferLength 56
  0000                 // InputBufferOffset: 0, no input
  0000                 // Reserved
  00000000             // InputBufferLength
  00000000             // AdditionalInformation
  00000000             // Flags
  0102030405060708090a0b0c0d0e0f10 // FileId
  00                   // Buffer: one byte
`);
const SECURITY_REQUEST = hex(`
  2900 03 00           // StructureSize, SMB2_0_INFO_SECURITY, class 0
  00100000             // OutputBufferLength 4096
  0000 0000 00000000   // no input
  07000000             // AdditionalInformation: OWNER | GROUP | DACL
  00000000
  0102030405060708090a0b0c0d0e0f10
  00
`);
// MS-SMB2 2.2.38
const RESPONSE = hex(`
  0900                 // StructureSize 9
  4800                 // OutputBufferOffset 0x48
  04000000             // OutputBufferLength 4
  deadbeef             // Buffer
`);

describe('QUERY_INFO (MS-SMB2 2.2.37, 2.2.38)', () => {
  it('encodes file and security queries', () => {
    const body = encodeQueryInfoRequest({ infoType: SMB2_0_INFO_FILE, fileInfoClass: 34, outputBufferLength: 56, fileId });
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    const sec = encodeQueryInfoRequest({
      infoType: SMB2_0_INFO_SECURITY,
      fileInfoClass: 0,
      outputBufferLength: 4096,
      additionalInformation: OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
      fileId,
    });
    expect(sec.toString('hex')).toBe(SECURITY_REQUEST.toString('hex'));
  });

  it('places input right after the fixed part', () => {
    const body = encodeQueryInfoRequest({ infoType: 4, fileInfoClass: 32, outputBufferLength: 100, fileId, input: Buffer.from('0102', 'hex') });
    expect(body.readUInt16LE(8)).toBe(0x68);
    expect(decodeQueryInfoRequest(message(CMD, body)).input.toString('hex')).toBe('0102');
  });

  it('decodes the response buffer as a view', () => {
    const msg = message(CMD, RESPONSE);
    const res = decodeQueryInfoResponse(msg);
    expect(res.buffer.toString('hex')).toBe('deadbeef');
    expect(res.buffer.buffer).toBe(msg.buffer);
    expect(encodeQueryInfoResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeQueryInfoResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeQueryInfoRequest, CMD, [message(CMD, REQUEST)]);
  });
});
