import { describe, expect, it } from 'vitest';
import { SMB2_SHARE_TYPE_DISK, Smb2Command } from '../constants.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';
import {
  SMB2_SHAREFLAG_ACCESS_BASED_DIRECTORY_ENUM,
  decodeTreeConnectRequest,
  decodeTreeConnectResponse,
  encodeTreeConnectRequest,
  encodeTreeConnectResponse,
} from './tree-connect.js';

const CMD = Smb2Command.TREE_CONNECT;

// MS-SMB2 2.2.9
const REQUEST = hex(`
  0900                 // StructureSize 9
  0000                 // Flags
  4800                 // PathOffset 0x48 = 64 + 8
  1600                 // PathLength 22
  5c005c00 73007200 76005c00 73006800 61007200 6500 // "\\\\srv\\share" UTF-16LE
`);
// MS-SMB2 2.2.10
const RESPONSE = hex(`
  1000                 // StructureSize 16
  01                   // ShareType: DISK
  00                   // Reserved
  00080000             // ShareFlags: ACCESS_BASED_DIRECTORY_ENUM
  00000000             // Capabilities
  ff011f00             // MaximalAccess 0x001F01FF
`);

describe('TREE_CONNECT (MS-SMB2 2.2.9, 2.2.10)', () => {
  it('encodes the request', () => {
    const body = encodeTreeConnectRequest({ path: '\\\\srv\\share' });
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeTreeConnectRequest(message(CMD, body))).toEqual({ path: '\\\\srv\\share', flags: 0 });
  });

  it('decodes the response', () => {
    const res = decodeTreeConnectResponse(message(CMD, RESPONSE));
    expect(res).toEqual({
      shareType: SMB2_SHARE_TYPE_DISK,
      shareFlags: SMB2_SHAREFLAG_ACCESS_BASED_DIRECTORY_ENUM,
      capabilities: 0,
      maximalAccess: 0x001f01ff,
    });
    expect(encodeTreeConnectResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
  });

  it('encodes a Unicode share name', () => {
    const req = decodeTreeConnectRequest(message(CMD, encodeTreeConnectRequest({ path: '\\\\srv\\Fotos 📷' })));
    expect(req.path).toBe('\\\\srv\\Fotos 📷');
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeTreeConnectResponse, CMD, [message(CMD, RESPONSE)]);
    fuzzDecoder(decodeTreeConnectRequest, CMD, [message(CMD, REQUEST)]);
  });
});
