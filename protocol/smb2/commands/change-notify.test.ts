import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import {
  FILE_NOTIFY_CHANGE_DIR_NAME,
  FILE_NOTIFY_CHANGE_FILE_NAME,
  FILE_NOTIFY_CHANGE_LAST_WRITE,
  SMB2_WATCH_TREE,
  decodeChangeNotifyRequest,
  decodeChangeNotifyResponse,
  encodeChangeNotifyRequest,
  encodeChangeNotifyResponse,
} from './change-notify.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const CMD = Smb2Command.CHANGE_NOTIFY;
const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

// MS-SMB2 2.2.35, assembled from the layout table.
const REQUEST = hex(`
  2000                 // StructureSize 32
  0100                 // Flags: SMB2_WATCH_TREE
  00000100             // OutputBufferLength 65536
  0102030405060708090a0b0c0d0e0f10 // FileId
  13000000             // CompletionFilter: FILE_NAME | DIR_NAME | LAST_WRITE
  00000000             // Reserved
`);
// MS-SMB2 2.2.36 with a 12-byte buffer.
const RESPONSE = hex(`
  0900                 // StructureSize 9
  4800                 // OutputBufferOffset 0x48 = 64 + 8
  0c000000             // OutputBufferLength 12
  000000000100000000000000 // Buffer
`);
// 2.2.36 with nothing listed (Samba's answer to a watch that overflowed, or a handle closed).
const EMPTY = hex(`
  0900                 // StructureSize 9
  0000                 // OutputBufferOffset: 0, no buffer
  00000000             // OutputBufferLength 0
  00                   // the one byte StructureSize 9 counts
`);

describe('CHANGE_NOTIFY (MS-SMB2 2.2.35, 2.2.36)', () => {
  it('encodes the request', () => {
    const req = {
      flags: SMB2_WATCH_TREE,
      outputBufferLength: 65536,
      fileId,
      completionFilter: FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME | FILE_NOTIFY_CHANGE_LAST_WRITE,
    };
    const body = encodeChangeNotifyRequest(req);
    expect(body.toString('hex')).toBe(REQUEST.toString('hex'));
    expect(decodeChangeNotifyRequest(message(CMD, body, { response: false }))).toEqual(req);
  });

  it('refuses caller mistakes before anything is sent', () => {
    expect(() => encodeChangeNotifyRequest({ flags: 0, outputBufferLength: 2 ** 32, fileId, completionFilter: 1 })).toThrow(RangeError);
    expect(() => encodeChangeNotifyRequest({ flags: 0, outputBufferLength: 1, fileId: Buffer.alloc(8), completionFilter: 1 })).toThrow(RangeError);
  });

  it('decodes the response buffer as a view, and an empty one', () => {
    const msg = message(CMD, RESPONSE);
    const res = decodeChangeNotifyResponse(msg);
    expect(res.buffer.toString('hex')).toBe('000000000100000000000000');
    expect(res.buffer.buffer).toBe(msg.buffer);
    expect(encodeChangeNotifyResponse(res).toString('hex')).toBe(RESPONSE.toString('hex'));
    const empty = decodeChangeNotifyResponse(message(CMD, EMPTY));
    expect(empty.buffer.length).toBe(0);
    expect(encodeChangeNotifyResponse(empty).toString('hex')).toBe(EMPTY.toString('hex'));
  });

  it('rejects a buffer past the message or inside the fixed part, and a wrong StructureSize', () => {
    const past = message(CMD, RESPONSE);
    past.writeUInt32LE(13, 64 + 4);
    expect(() => decodeChangeNotifyResponse(past)).toThrow(/CHANGE_NOTIFY response: Buffer/);
    const inside = message(CMD, RESPONSE);
    inside.writeUInt16LE(64, 64 + 2);
    expect(() => decodeChangeNotifyResponse(inside)).toThrow(/inside the fixed part/);
    const size = message(CMD, RESPONSE);
    size.writeUInt16LE(8, 64);
    expect(() => decodeChangeNotifyResponse(size)).toThrow(/StructureSize/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeChangeNotifyResponse, CMD, [message(CMD, RESPONSE), message(CMD, EMPTY)]);
    fuzzDecoder(decodeChangeNotifyRequest, CMD, [message(CMD, REQUEST, { response: false })]);
  });
});
