// The SMB1 header (MS-CIFS 2.2.3.1), 32 bytes little-endian:
//   Protocol (4) Command (1) Status (4) Flags (1) Flags2 (2) PIDHigh (2) SecurityFeatures (8)
//   Reserved (2) TID (2) PIDLow (2) UID (2) MID (2)
// Status is an NTSTATUS when Flags2 has SMB_FLAGS2_NT_STATUS, else an SMBSTATUS
// (ErrorClass (1), Reserved (1), ErrorCode (2); MS-CIFS 2.2.1.5).
import { MalformedMessageError } from '../errors.js';
import { SMB1_HEADER_SIZE, SMB1_PROTOCOL_ID, SMB_FLAGS2_NT_STATUS } from './constants.js';

export interface Smb1Header {
  command: number;
  /** The raw 32-bit Status field. */
  status: number;
  flags: number;
  flags2: number;
  pid: number;
  signature: Buffer;
  tid: number;
  uid: number;
  mid: number;
}

export type Smb1HeaderFields = Omit<Smb1Header, 'signature'> & { signature?: Buffer };

export function writeHeader(buf: Buffer, h: Smb1HeaderFields): void {
  buf.writeUInt32LE(SMB1_PROTOCOL_ID, 0);
  buf.writeUInt8(h.command, 4);
  buf.writeUInt32LE(h.status >>> 0, 5);
  buf.writeUInt8(h.flags, 9);
  buf.writeUInt16LE(h.flags2, 10);
  buf.writeUInt16LE((h.pid >>> 16) & 0xffff, 12);
  if (h.signature) h.signature.copy(buf, 14, 0, 8);
  else buf.fill(0, 14, 22);
  buf.writeUInt16LE(0, 22);
  buf.writeUInt16LE(h.tid, 24);
  buf.writeUInt16LE(h.pid & 0xffff, 26);
  buf.writeUInt16LE(h.uid, 28);
  buf.writeUInt16LE(h.mid, 30);
}

export function encodeHeader(h: Smb1HeaderFields): Buffer {
  const buf = Buffer.alloc(SMB1_HEADER_SIZE);
  writeHeader(buf, h);
  return buf;
}

export function decodeHeader(msg: Buffer): Smb1Header {
  if (msg.length < SMB1_HEADER_SIZE) throw new MalformedMessageError('SMB1 header', 'size', `${msg.length} bytes, need ${SMB1_HEADER_SIZE}`);
  const protocol = msg.readUInt32LE(0);
  if (protocol !== SMB1_PROTOCOL_ID) throw new MalformedMessageError('SMB1 header', 'Protocol', `0x${protocol.toString(16)}`);
  return {
    command: msg.readUInt8(4),
    status: msg.readUInt32LE(5),
    flags: msg.readUInt8(9),
    flags2: msg.readUInt16LE(10),
    pid: ((msg.readUInt16LE(12) << 16) | msg.readUInt16LE(26)) >>> 0,
    signature: msg.subarray(14, 22),
    tid: msg.readUInt16LE(24),
    uid: msg.readUInt16LE(28),
    mid: msg.readUInt16LE(30),
  };
}

/** The Status field as the DOS pair, for headers without SMB_FLAGS2_NT_STATUS (MS-CIFS 2.2.1.5). */
export function dosStatusOf(h: Pick<Smb1Header, 'status'>): { errorClass: number; errorCode: number } {
  return { errorClass: h.status & 0xff, errorCode: (h.status >>> 16) & 0xffff };
}

export function hasNtStatus(h: Pick<Smb1Header, 'flags2'>): boolean {
  return (h.flags2 & SMB_FLAGS2_NT_STATUS) !== 0;
}
