import { describe, expect, it } from 'vitest';
import { Smb2Command } from '../constants.js';
import { decodeBreakNotification, decodeOplockBreakResponse, encodeOplockBreakAck } from './oplock-break.js';
import { fuzzDecoder, hex, message } from './test-helpers.js';

const fileId = Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex');
const golden = hex(`
  1800                 // StructureSize 24
  01                   // OplockLevel: SMB2_OPLOCK_LEVEL_II
  00                   // Reserved
  00000000             // Reserved2
  0102030405060708090a0b0c0d0e0f10 // FileId
`);

describe('OPLOCK_BREAK (MS-SMB2 2.2.23.1, 2.2.24.1, 2.2.25.1)', () => {
  it('the acknowledgment and the notification share one layout', () => {
    expect(encodeOplockBreakAck({ oplockLevel: 1, fileId }).toString('hex')).toBe(golden.toString('hex'));
    expect(decodeBreakNotification(message(Smb2Command.OPLOCK_BREAK, golden))).toEqual({ kind: 'oplock', oplockLevel: 1, fileId });
    expect(decodeOplockBreakResponse(message(Smb2Command.OPLOCK_BREAK, golden))).toEqual({ oplockLevel: 1, fileId });
  });

  it('tells a lease break (StructureSize 44, 2.2.23.2) from an oplock break', () => {
    const lease = Buffer.concat([hex('2c00'), Buffer.alloc(42)]);
    expect(decodeBreakNotification(message(Smb2Command.OPLOCK_BREAK, lease))).toEqual({ kind: 'lease' });
  });

  it('only ever throws MalformedMessageError on bad input', () => {
    fuzzDecoder(decodeBreakNotification, Smb2Command.OPLOCK_BREAK, [message(Smb2Command.OPLOCK_BREAK, golden)]);
  });
});
