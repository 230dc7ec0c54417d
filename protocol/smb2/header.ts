// MS-SMB2 2.2.1.1 (async) and 2.2.1.2 (sync) packet header: 64 bytes, little-endian.
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_HEADER_SIZE } from './constants.js';

export const SMB2_PROTOCOL_ID = 0x424d53fe; // 0xFE 'S' 'M' 'B' read little-endian

export interface Smb2Header {
  creditCharge: number;
  /** Status in responses; ChannelSequence/Reserved in requests. */
  status: number;
  command: number;
  /** CreditRequest in requests, CreditResponse (granted) in responses. */
  credits: number;
  flags: number;
  nextCommand: number;
  messageId: bigint;
  /** Sync header only. */
  treeId: number;
  /** Async header only (MS-SMB2 3.3.4.2: interim responses carry it). */
  asyncId: bigint;
  sessionId: bigint;
  signature: Buffer;
}

export const SIGNATURE_OFFSET = 48;
export const SIGNATURE_LENGTH = 16;

export type HeaderFields = Omit<Smb2Header, 'signature' | 'asyncId'> & { signature?: Buffer; asyncId?: bigint };

/**
 * Writes a header into the first 64 bytes of `out` (which the caller allocated with the body). With
 * `asyncId` it is the async form (MS-SMB2 2.2.1.1): AsyncId where Reserved and TreeId would be,
 * and SMB2_FLAGS_ASYNC_COMMAND set; a client sends that only in CANCEL (3.2.4.24).
 */
export function writeHeader(out: Buffer, h: HeaderFields): void {
  out.writeUInt32LE(SMB2_PROTOCOL_ID, 0);
  out.writeUInt16LE(SMB2_HEADER_SIZE, 4);
  out.writeUInt16LE(h.creditCharge, 6);
  out.writeUInt32LE(h.status >>> 0, 8);
  out.writeUInt16LE(h.command, 12);
  out.writeUInt16LE(h.credits, 14);
  out.writeUInt32LE((h.asyncId === undefined ? h.flags : h.flags | SMB2_FLAGS_ASYNC_COMMAND) >>> 0, 16);
  out.writeUInt32LE(h.nextCommand, 20);
  out.writeBigUInt64LE(h.messageId, 24);
  if (h.asyncId !== undefined) {
    out.writeBigUInt64LE(h.asyncId, 32);
  } else {
    out.writeUInt32LE(0, 32); // Reserved (sync)
    out.writeUInt32LE(h.treeId >>> 0, 36);
  }
  out.writeBigUInt64LE(h.sessionId, 40);
  if (h.signature) h.signature.copy(out, SIGNATURE_OFFSET);
  else out.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + SIGNATURE_LENGTH);
}

export function encodeHeader(h: HeaderFields): Buffer {
  const out = Buffer.alloc(SMB2_HEADER_SIZE);
  writeHeader(out, h);
  return out;
}

export function decodeHeader(msg: Buffer): Smb2Header {
  const r = new ByteReader(msg, 'SMB2 header');
  if (r.u32('ProtocolId') !== SMB2_PROTOCOL_ID) {
    throw new MalformedMessageError('SMB2 header', 'ProtocolId', 'not 0xFE SMB');
  }
  r.expectU16('StructureSize', SMB2_HEADER_SIZE);
  const creditCharge = r.u16('CreditCharge');
  const status = r.u32('Status');
  const command = r.u16('Command');
  const credits = r.u16('CreditResponse');
  const flags = r.u32('Flags');
  const nextCommand = r.u32('NextCommand');
  const messageId = r.u64('MessageId');
  let treeId = 0;
  let asyncId = 0n;
  if (flags & SMB2_FLAGS_ASYNC_COMMAND) {
    asyncId = r.u64('AsyncId');
  } else {
    r.skip(4, 'Reserved');
    treeId = r.u32('TreeId');
  }
  const sessionId = r.u64('SessionId');
  const signature = r.bytes(SIGNATURE_LENGTH, 'Signature');
  return { creditCharge, status, command, credits, flags, nextCommand, messageId, treeId, asyncId, sessionId, signature };
}
