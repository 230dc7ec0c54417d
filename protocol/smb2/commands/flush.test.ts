import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { decodeFlushRequest, decodeFlushResponse, encodeFlushRequest } from './flush.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');

describe('FLUSH (MS-SMB2 2.2.17, 2.2.18)', () => {
  it('FLUSH request (2.2.17)', () => {
    const golden = hex(`
      1800                 // StructureSize 24
      0000                 // Reserved1
      00000000             // Reserved2
      0102030405060708090a0b0c0d0e0f10 // FileId
    `);
    expect(encodeFlushRequest({ fileId }).toString('hex')).toBe(golden.toString('hex'));
    expect(decodeFlushRequest(message(Smb2Command.FLUSH, golden))).toEqual({ fileId });
    expect(() => encodeFlushRequest({ fileId: Buffer.alloc(8) })).toThrow(RangeError);
  });

  it('decodes the response and only ever throws MalformedMessageError on bad input', () => {
    expect(decodeFlushResponse(message(Smb2Command.FLUSH, hex('0400 0000')))).toEqual({});
    fuzzDecoder(decodeFlushResponse, Smb2Command.FLUSH, [message(Smb2Command.FLUSH, hex('0400 0000'))], 100);
  });
});
