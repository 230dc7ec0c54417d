// MS-SMB2 2.2.23.1 Oplock Break Notification (server → client, MessageId 0xFFFFFFFFFFFFFFFF),
// 2.2.24.1 Oplock Break Acknowledgment and 2.2.25.1 its response: one 24-byte layout,
// StructureSize(2) OplockLevel(1) Reserved(1) Reserved2(4) FileId(16).
// 2.2.23.2 Lease Break Notification (StructureSize 44) shares the command code.
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader, checkFileId, readFileId } from './body.js';
import { SMB2_HEADER_SIZE } from '../constants.js';

export const SMB2_OPLOCK_BREAK_STRUCTURE_SIZE = 24;
export const SMB2_LEASE_BREAK_STRUCTURE_SIZE = 44;

export interface OplockBreak {
  oplockLevel: number;
  fileId: Buffer;
}

export type BreakNotification = ({ kind: 'oplock' } & OplockBreak) | { kind: 'lease' };

/** Which break this is: the StructureSize tells an oplock break from a lease break (3.2.5.19). */
export function decodeBreakNotification(msg: Buffer): BreakNotification {
  if (msg.length < SMB2_HEADER_SIZE + 2) throw new MalformedMessageError('OPLOCK_BREAK notification', 'StructureSize', 'missing');
  const size = msg.readUInt16LE(SMB2_HEADER_SIZE);
  if (size === SMB2_LEASE_BREAK_STRUCTURE_SIZE) return { kind: 'lease' };
  return { kind: 'oplock', ...decode(msg, 'OPLOCK_BREAK notification') };
}

function decode(msg: Buffer, structure: string): OplockBreak {
  const r = bodyReader(msg, structure, SMB2_OPLOCK_BREAK_STRUCTURE_SIZE);
  const oplockLevel = r.u8('OplockLevel');
  r.skip(5, 'Reserved');
  return { oplockLevel, fileId: readFileId(r) };
}

export function encodeOplockBreakAck(ack: OplockBreak): Buffer {
  checkFileId(ack.fileId, 'OPLOCK_BREAK acknowledgment');
  return new ByteWriter(SMB2_OPLOCK_BREAK_STRUCTURE_SIZE).u16(SMB2_OPLOCK_BREAK_STRUCTURE_SIZE).u8(ack.oplockLevel).u8(0).u32(0).bytes(ack.fileId).finish();
}

export function decodeOplockBreakResponse(msg: Buffer): OplockBreak {
  return decode(msg, 'OPLOCK_BREAK response');
}

/** Test-server side: the notification a server sends (the same layout as the acknowledgment). */
export const encodeOplockBreakNotification = encodeOplockBreakAck;
