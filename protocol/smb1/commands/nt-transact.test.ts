// SMB_COM_NT_TRANSACT framing (MS-CIFS 2.2.4.62): golden request bytes, response pieces read with
// 32-bit counts, answers in several messages put together by TransAnswer, malformed Words.
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { Smb1Command } from '../constants.js';
import { fuzzSmb1Decoder, hex, reply } from '../smb1.test-helpers.js';
import { decodeNtTransRequest, encodeNtTransRequest, encodeNtTransResponse, readNtTransPiece } from './nt-transact.js';
import { TransAnswer, decodeTransResponse } from './transaction.js';

const NT = Smb1Command.NT_TRANSACT;

describe('SMB_COM_NT_TRANSACT request (2.2.4.62.1)', () => {
  it('parameters and data each 4-byte aligned from the header, setup words after Function', () => {
    const body = encodeNtTransRequest({ function: 0x0001, setup: hex('aabb'), params: hex('010203'), data: hex('ff'), maxParameterCount: 0x100, maxDataCount: 0x2000, maxSetupCount: 2 });
    expect(body).toEqual(
      hex(`
        14                 // WordCount 20 (19 + SetupCount 1)
        02 0000            // MaxSetupCount 2, Reserved1
        03000000 01000000  // TotalParameterCount 3, TotalDataCount 1
        00010000 00200000  // MaxParameterCount 0x100, MaxDataCount 0x2000
        03000000 4c000000  // ParameterCount 3, ParameterOffset 76
        01000000 50000000  // DataCount 1, DataOffset 80
        01 0100            // SetupCount 1, Function 1
        aabb               // Setup[0]
        0600               // ByteCount 6
        00                 // Pad1: Bytes start at 32 + 1 + 40 + 2 = 75
        010203             // NT_Trans_Parameters at 76
        00                 // Pad2
        ff                 // NT_Trans_Data at 80
      `),
    );
  });

  it('the test-proxy side reads back what was sent', () => {
    const body = encodeNtTransRequest({ function: 0x0004, setup: hex('0102030405060708'), params: Buffer.alloc(0), data: Buffer.alloc(0), maxParameterCount: 4096, maxDataCount: 0 });
    const msg = Buffer.concat([Buffer.alloc(32), body]);
    expect(decodeNtTransRequest(msg)).toEqual({ function: 4, setup: hex('0102030405060708'), params: Buffer.alloc(0), data: Buffer.alloc(0), maxParameterCount: 4096, maxDataCount: 0, maxSetupCount: 0 });
  });

  it('refuses a Setup of an odd number of bytes', () => {
    expect(() => encodeNtTransRequest({ function: 1, setup: hex('01'), params: Buffer.alloc(0), data: Buffer.alloc(0), maxParameterCount: 0, maxDataCount: 0 })).toThrow(RangeError);
  });
});

/** A response message (header + words) with every field as given: what a lying server may send. */
function rawResponse(f: { totalP: number; totalD?: number; pCount: number; pOffset: number; pDisp?: number; dCount?: number; dOffset?: number; dDisp?: number; setup?: number[]; wordCount?: number; bytes: Buffer }): Buffer {
  const setup = f.setup ?? [];
  const words = Buffer.alloc(36 + setup.length * 2);
  let at = 3;
  for (const v of [f.totalP, f.totalD ?? 0, f.pCount, f.pOffset, f.pDisp ?? 0, f.dCount ?? 0, f.dOffset ?? 0, f.dDisp ?? 0]) at = words.writeUInt32LE(v, at);
  at = words.writeUInt8(setup.length, at);
  for (const s of setup) at = words.writeUInt16LE(s, at);
  const wc = Buffer.from([f.wordCount ?? words.length / 2]);
  const bc = Buffer.alloc(2);
  bc.writeUInt16LE(f.bytes.length);
  return reply(NT, Buffer.concat([wc, words, bc, f.bytes]));
}

describe('SMB_COM_NT_TRANSACT response (2.2.4.62.2)', () => {
  const golden = hex(`
    12                          // WordCount 18 (SetupCount 0)
    000000                      // Reserved1
    04000000 02000000           // TotalParameterCount 4, TotalDataCount 2
    04000000 48000000 00000000  // ParameterCount 4, ParameterOffset 72, ParameterDisplacement 0
    02000000 4c000000 00000000  // DataCount 2, DataOffset 76, DataDisplacement 0
    00                          // SetupCount 0
    0700                        // ByteCount 7
    00                          // Pad1 (Bytes at 71)
    01020304                    // NT_Trans_Parameters at 72
    0506                        // NT_Trans_Data at 76
  `);

  it('decodes the golden answer, and the test-proxy encoder writes the same bytes', () => {
    const msg = reply(NT, golden);
    expect(decodeTransResponse(msg, 'NT', 4, 2, readNtTransPiece)).toEqual({ setup: [], params: hex('01020304'), data: hex('0506') });
    expect(encodeNtTransResponse({ params: hex('01020304'), data: hex('0506') })).toEqual(golden);
  });

  it('puts an answer in two messages together by displacement (32-bit counts)', () => {
    const a = new TransAnswer('NT', 6, 0, readNtTransPiece);
    // Bytes start at 32 + 1 + 36 + 2 = 71.
    expect(a.push(rawResponse({ totalP: 6, pCount: 4, pOffset: 72, bytes: hex('00 aabbccdd') }))).toBe(false);
    expect(a.push(rawResponse({ totalP: 6, pCount: 2, pOffset: 72, pDisp: 4, bytes: hex('00 eeff') }))).toBe(true);
    expect(a.result().params).toEqual(hex('aabbccddeeff'));
  });

  const malformed: [string, Buffer, number, string][] = [
    ['WordCount below 18', rawResponse({ totalP: 0, pCount: 0, pOffset: 0, wordCount: 10, bytes: Buffer.alloc(0) }), 0, 'WordCount'],
    ['SetupCount that disagrees with WordCount', rawResponse({ totalP: 0, pCount: 0, pOffset: 0, setup: [1], wordCount: 18, bytes: Buffer.alloc(2) }), 0, 'SetupCount'],
    ['TotalParameterCount above what was asked', rawResponse({ totalP: 5, pCount: 5, pOffset: 72, bytes: hex('00 0102030405') }), 4, 'TotalParameterCount'],
    ['a 4 GiB TotalParameterCount', rawResponse({ totalP: 0xffffffff, pCount: 1, pOffset: 72, bytes: hex('00 01') }), 0xffff, 'TotalParameterCount'],
    ['ParameterOffset past the message', rawResponse({ totalP: 4, pCount: 4, pOffset: 0xfffffff0, bytes: hex('00 01020304') }), 4, 'ParameterOffset'],
    ['ParameterOffset inside the Words', rawResponse({ totalP: 4, pCount: 4, pOffset: 40, bytes: hex('00 01020304') }), 4, 'ParameterOffset'],
    ['ParameterCount past the total', rawResponse({ totalP: 2, pCount: 4, pOffset: 72, bytes: hex('00 01020304') }), 4, 'ParameterCount'],
    ['a displacement that skips bytes', rawResponse({ totalP: 4, pCount: 2, pOffset: 72, pDisp: 2, bytes: hex('00 0102') }), 4, 'ParameterDisplacement'],
    ['data where none was asked', rawResponse({ totalP: 0, totalD: 2, pCount: 0, pOffset: 0, dCount: 2, dOffset: 72, bytes: hex('00 0102') }), 4, 'TotalDataCount'],
  ];
  it.each(malformed)('%s is a MalformedMessageError naming the field', (_, msg, maxParams, field) => {
    expect(() => decodeTransResponse(msg, 'NT', maxParams, 0, readNtTransPiece)).toThrow(MalformedMessageError);
    expect(() => decodeTransResponse(msg, 'NT', maxParams, 0, readNtTransPiece)).toThrow(`NT: ${field}:`);
  });

  it('an answer whose message carries nothing while bytes are missing cannot loop', () => {
    const a = new TransAnswer('NT', 8, 0, readNtTransPiece);
    expect(() => a.push(rawResponse({ totalP: 8, pCount: 0, pOffset: 0, bytes: Buffer.alloc(0) }))).toThrow(MalformedMessageError);
  });

  it('random and damaged answers raise only MalformedMessageError', () => {
    fuzzSmb1Decoder((m) => decodeTransResponse(m, 'NT', 0xffff, 0xffff, readNtTransPiece), NT, [reply(NT, golden), reply(NT, encodeNtTransResponse({ params: Buffer.alloc(0) }))]);
  });
});
