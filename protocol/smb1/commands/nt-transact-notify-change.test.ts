// NT_TRANSACT_NOTIFY_CHANGE (MS-CIFS 2.2.7.4): golden request and response bytes, and every way a
// server's answer can lie (counts beyond the buffer asked for, data, setup words, a broken
// FILE_NOTIFY_INFORMATION chain) ending in a MalformedMessageError, never a RangeError or a hang.
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../../errors.js';
import { FILE_ACTION_ADDED, FILE_ACTION_RENAMED_NEW_NAME, encodeFileNotifyInformation } from '../../fscc/file-notify-information.js';
import { Smb1Command } from '../constants.js';
import { fuzzSmb1Decoder, hex, reply } from '../smb1.test-helpers.js';
import { decodeNotifyChangeRequest, decodeNotifyChangeResponse, encodeNotifyChangeRequest, encodeNotifyChangeResponse, notifyChangeAnswer } from './nt-transact-notify-change.js';
import { encodeNtTransResponse } from './nt-transact.js';

const NT = Smb1Command.NT_TRANSACT;

describe('NT_TRANSACT_NOTIFY_CHANGE request (2.2.7.4.1)', () => {
  const golden = hex(`
    17                 // WordCount 0x17 (19 + SetupCount 4)
    00 0000            // MaxSetupCount 0, Reserved1
    00000000 00000000  // TotalParameterCount 0, TotalDataCount 0
    00ff0000 00000000  // MaxParameterCount 0xFF00 (the change buffer), MaxDataCount 0
    00000000 54000000  // ParameterCount 0, ParameterOffset 84
    00000000 00000000  // DataCount 0, DataOffset 0
    04 0400            // SetupCount 4, Function NT_TRANSACT_NOTIFY_CHANGE
    1f000000           // Setup: CompletionFilter FILE_NAME|DIR_NAME|ATTRIBUTES|SIZE|LAST_WRITE
    0140               // FID 0x4001
    01 00              // WatchTree TRUE, Reserved
    0300               // ByteCount 3
    000000             // Pad1: Bytes start at 32 + 1 + 46 + 2 = 81, parameters (none) at 84
  `);
  const req = { fid: 0x4001, completionFilter: 0x1f, watchTree: true, maxParameterCount: 0xff00 };

  it('encodes the golden bytes', () => {
    expect(encodeNotifyChangeRequest(req)).toEqual(golden);
  });

  it('the test-proxy side decodes them back', () => {
    expect(decodeNotifyChangeRequest(Buffer.concat([Buffer.alloc(32), golden]))).toEqual(req);
    expect(decodeNotifyChangeRequest(Buffer.concat([Buffer.alloc(32), encodeNotifyChangeRequest({ ...req, watchTree: false })]))).toEqual({ ...req, watchTree: false });
  });
});

describe('NT_TRANSACT_NOTIFY_CHANGE response (2.2.7.4.2)', () => {
  // Two FILE_NOTIFY_INFORMATION entries (MS-FSCC 2.7.1): "a" added, then "bc" renamed to.
  const entries = hex(`
    10000000 01000000 02000000 6100 0000  // NextEntryOffset 16, FILE_ACTION_ADDED, 2 bytes "a", pad
    00000000 05000000 04000000 62006300   // last, FILE_ACTION_RENAMED_NEW_NAME, 4 bytes "bc"
  `);
  const golden = hex(`
    12                          // WordCount 18 (SetupCount 0)
    000000                      // Reserved1
    20000000 00000000           // TotalParameterCount 32, TotalDataCount 0
    20000000 48000000 00000000  // ParameterCount 32, ParameterOffset 72, ParameterDisplacement 0
    00000000 00000000 00000000  // DataCount 0, DataOffset 0, DataDisplacement 0
    00                          // SetupCount 0
    2100                        // ByteCount 33
    00                          // Pad1 (Bytes at 71)
  `);
  const msg = reply(NT, Buffer.concat([golden, entries]));

  it('decodes the golden answer into its entries', () => {
    expect(decodeNotifyChangeResponse(msg, 0xff00)).toEqual([
      { action: FILE_ACTION_ADDED, fileName: 'a' },
      { action: FILE_ACTION_RENAMED_NEW_NAME, fileName: 'bc' },
    ]);
  });

  it('the test-proxy encoder writes the same bytes', () => {
    const laidOut = encodeFileNotifyInformation([
      { action: FILE_ACTION_ADDED, fileName: 'a' },
      { action: FILE_ACTION_RENAMED_NEW_NAME, fileName: 'bc' },
    ]);
    expect(laidOut).toEqual(entries);
    expect(reply(NT, encodeNotifyChangeResponse(laidOut))).toEqual(msg);
  });

  it('an answer listing nothing decodes to no entries (the caller reads that as "list again")', () => {
    expect(decodeNotifyChangeResponse(reply(NT, encodeNotifyChangeResponse(Buffer.alloc(0))), 0xff00)).toEqual([]);
  });

  it('an answer in two messages is put together (the connection feeds notifyChangeAnswer)', () => {
    const a = notifyChangeAnswer(0xff00);
    const first = Buffer.from(msg.subarray(0, 71 + 1 + 16));
    first.writeUInt32LE(16, 33 + 3 + 8); // ParameterCount 16 of the 32
    first.writeUInt16LE(17, 33 + 36); // ByteCount: pad + 16
    const second = Buffer.concat([reply(NT, golden), entries.subarray(16)]);
    second.writeUInt32LE(16, 33 + 3 + 8);
    second.writeUInt32LE(16, 33 + 3 + 16); // ParameterDisplacement 16
    second.writeUInt16LE(17, 33 + 36);
    expect(a.push(first)).toBe(false);
    expect(a.push(second)).toBe(true);
    expect(a.result().params).toEqual(entries);
  });

  const hostile: [string, Buffer, number, string][] = [
    ['more parameters than MaxParameterCount', msg, 16, 'TotalParameterCount'],
    ['data, though MaxDataCount was 0', reply(NT, encodeNtTransResponse({ params: entries, data: hex('00') })), 0xff00, 'TotalDataCount'],
    ['setup words in the answer', reply(NT, encodeNtTransResponse({ params: entries, setup: [1] })), 0xff00, 'SetupCount'],
    ['a FileNameLength past the buffer', reply(NT, encodeNotifyChangeResponse(hex('00000000 01000000 ff000000 6100'))), 0xff00, 'FileName'],
    ['a NextEntryOffset past the buffer', reply(NT, encodeNotifyChangeResponse(hex('f0ffffff 01000000 02000000 6100 0000'))), 0xff00, 'NextEntryOffset'],
    ['a NextEntryOffset into its own entry', reply(NT, encodeNotifyChangeResponse(hex('04000000 01000000 02000000 6100 0000 00000000 01000000 00000000'))), 0xff00, 'NextEntryOffset'],
    ['an odd FileNameLength', reply(NT, encodeNotifyChangeResponse(hex('00000000 01000000 01000000 61'))), 0xff00, 'FileName'],
    ['an unknown action', reply(NT, encodeNotifyChangeResponse(hex('00000000 63000000 02000000 6100'))), 0xff00, 'Action'],
  ];

  it.each(hostile)('%s is a MalformedMessageError naming the field', (_, m, max, field) => {
    expect(() => decodeNotifyChangeResponse(m, max)).toThrow(MalformedMessageError);
    expect(() => decodeNotifyChangeResponse(m, max)).toThrow(`${field}:`);
  });

  it('the entries of an answer are bounded by the buffer asked for (one per 12 bytes at most)', () => {
    // 0xFF00 bytes of the smallest entries a server could chain: each 12 bytes with an empty name.
    const n = Math.floor(0xff00 / 12);
    const chain = Buffer.alloc(n * 12);
    for (let i = 0; i < n; i++) {
      chain.writeUInt32LE(i === n - 1 ? 0 : 12, i * 12);
      chain.writeUInt32LE(FILE_ACTION_ADDED, i * 12 + 4);
    }
    expect(decodeNotifyChangeResponse(reply(NT, encodeNotifyChangeResponse(chain)), 0xff00)).toHaveLength(n);
    expect(() => decodeNotifyChangeResponse(reply(NT, encodeNotifyChangeResponse(Buffer.concat([chain, chain.subarray(0, 12)]))), 0xff00)).toThrow('TotalParameterCount:');
  });

  it('random and damaged answers raise only MalformedMessageError', () => {
    fuzzSmb1Decoder((m) => decodeNotifyChangeResponse(m, 0xff00), NT, [msg, reply(NT, encodeNotifyChangeResponse(Buffer.alloc(0)))]);
  });
});
