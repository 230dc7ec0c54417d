// The bodies with nothing but StructureSize and reserved bytes: LOGOFF (2.2.7/2.2.8), TREE_DISCONNECT (2.2.11/2.2.12),
// ECHO (2.2.28/2.2.29), CANCEL (2.2.30) and the FLUSH response (2.2.18); these files share one template.
import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { encodeCancelRequest } from './cancel.js';
import { decodeEchoRequest, decodeEchoResponse, encodeEchoRequest, encodeEchoResponse } from './echo.js';
import { decodeFlushResponse, encodeFlushResponse } from './flush.js';
import { decodeLogoffResponse, encodeLogoffRequest, encodeLogoffResponse } from './logoff.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';
import { decodeTreeDisconnectResponse, encodeTreeDisconnectRequest } from './tree-disconnect.js';

const FOUR = hex('0400 0000'); // StructureSize 4, Reserved

describe('four-byte bodies', () => {
  it('encode StructureSize 4 and a reserved word', () => {
    for (const b of [encodeLogoffRequest(), encodeLogoffResponse(), encodeTreeDisconnectRequest(), encodeEchoRequest(), encodeEchoResponse(), encodeCancelRequest(), encodeFlushResponse()]) {
      expect(b.toString('hex')).toBe(FOUR.toString('hex'));
    }
  });

  it('decode and check StructureSize', () => {
    expect(decodeLogoffResponse(message(Smb2Command.LOGOFF, FOUR))).toEqual({});
    expect(decodeTreeDisconnectResponse(message(Smb2Command.TREE_DISCONNECT, FOUR))).toEqual({});
    expect(decodeEchoResponse(message(Smb2Command.ECHO, FOUR))).toEqual({});
    expect(decodeEchoRequest(message(Smb2Command.ECHO, FOUR))).toEqual({});
    expect(decodeFlushResponse(message(Smb2Command.FLUSH, FOUR))).toEqual({});
    expect(() => decodeEchoResponse(message(Smb2Command.ECHO, hex('0500 0000')))).toThrow(/ECHO response: StructureSize/);
    expect(() => decodeLogoffResponse(message(Smb2Command.LOGOFF, hex('04')))).toThrow(/StructureSize/);
    expect(() => decodeLogoffResponse(FOUR)).toThrow(/header/);
  });

  it('only ever throw MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeEchoResponse, Smb2Command.ECHO, [message(Smb2Command.ECHO, FOUR)], 100);
    fuzzDecoder(decodeLogoffResponse, Smb2Command.LOGOFF, [message(Smb2Command.LOGOFF, FOUR)], 100);
    fuzzDecoder(decodeTreeDisconnectResponse, Smb2Command.TREE_DISCONNECT, [message(Smb2Command.TREE_DISCONNECT, FOUR)], 100);
  });
});
