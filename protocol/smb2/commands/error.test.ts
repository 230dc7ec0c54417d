import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { SMB2_ERROR_ID_DEFAULT, SMB2_ERROR_ID_SHARE_REDIRECT, decodeErrorResponse, encodeErrorResponse, errorDataRequiredLength } from './error.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const STATUS_ACCESS_DENIED = 0xc0000022;
const CMD = Smb2Command.CREATE;

// MS-SMB2 2.2.2: no error data, the one padding byte.
const PLAIN = hex(`0900 00 00 00000000 00`);
// STATUS_BUFFER_TOO_SMALL: 4 bytes of ErrorData with the required length (2.2.2.2).
const TOO_SMALL = hex(`0900 00 00 04000000 10000000`);
// 3.1.1 with two 2.2.2.1 contexts, the second 8-byte aligned.
const CONTEXTS = hex(`
  0900 02 00 1a000000       // StructureSize, ErrorContextCount 2, Reserved, ByteCount 26
  04000000 00000000 10000000 // ErrorDataLength 4, SMB2_ERROR_ID_DEFAULT, data
  00000000                  // padding to 8
  02000000 53526472 abcd    // ErrorDataLength 2, SMB2_ERROR_ID_SHARE_REDIRECT, data
`);

describe('ERROR response (MS-SMB2 2.2.2)', () => {
  it('decodes an empty error body', () => {
    const e = decodeErrorResponse(message(CMD, PLAIN, { status: STATUS_ACCESS_DENIED }));
    expect(e).toMatchObject({ errorContextCount: 0, contexts: [] });
    expect(e.errorData.length).toBe(0);
    expect(encodeErrorResponse().toString('hex')).toBe(PLAIN.toString('hex'));
  });

  it('accepts a body without the padding byte', () => {
    expect(decodeErrorResponse(message(CMD, PLAIN.subarray(0, 8))).errorData.length).toBe(0);
  });

  it('decodes raw error data', () => {
    const e = decodeErrorResponse(message(CMD, TOO_SMALL));
    expect(e.errorData.toString('hex')).toBe('10000000');
    expect(errorDataRequiredLength(e)).toBe(16);
    expect(encodeErrorResponse({ errorData: e.errorData }).toString('hex')).toBe(TOO_SMALL.toString('hex'));
  });

  it('decodes 3.1.1 error contexts', () => {
    const e = decodeErrorResponse(message(CMD, CONTEXTS));
    expect(e.contexts).toEqual([
      { errorId: SMB2_ERROR_ID_DEFAULT, data: Buffer.from('10000000', 'hex') },
      { errorId: SMB2_ERROR_ID_SHARE_REDIRECT, data: Buffer.from('abcd', 'hex') },
    ]);
    expect(errorDataRequiredLength(e)).toBe(16);
    expect(encodeErrorResponse({ contexts: e.contexts }).toString('hex')).toBe(CONTEXTS.toString('hex'));
  });

  it('rejects ByteCount past the message and contexts past ByteCount', () => {
    expect(() => decodeErrorResponse(message(CMD, hex('0900 00 00 05000000 10000000')))).toThrow(/ErrorData/);
    expect(() => decodeErrorResponse(message(CMD, hex('0900 01 00 04000000 10000000')))).toThrow(/ErrorId/);
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeErrorResponse, CMD, [PLAIN, TOO_SMALL, CONTEXTS].map((b) => message(CMD, b)));
  });
});
