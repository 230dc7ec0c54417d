// MS-SMB2 2.2.21 SMB2 WRITE Request and 2.2.22 SMB2 WRITE Response.
//
// The encoder returns only the 48-byte fixed part: the caller sends the data right after it (DataOffset 0x70), so
// large writes are never copied into one buffer.
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU32, readFileId } from './body.js';

const REQUEST = 'WRITE request';
const RESPONSE = 'WRITE response';

export const SMB2_WRITE_REQUEST_STRUCTURE_SIZE = 49;
export const SMB2_WRITE_RESPONSE_STRUCTURE_SIZE = 17;
export const SMB2_WRITE_REQUEST_FIXED_SIZE = 48;
const RESPONSE_FIXED = 16;
/** Data follows the fixed part: 64 + 48. */
export const SMB2_WRITE_DATA_OFFSET = SMB2_HEADER_SIZE + SMB2_WRITE_REQUEST_FIXED_SIZE;

/** 2.2.21: Flags. */
export const SMB2_WRITEFLAG_WRITE_THROUGH = 0x00000001;
export const SMB2_WRITEFLAG_WRITE_UNBUFFERED = 0x00000002;

export interface WriteRequest {
  fileId: Buffer;
  offset: number;
  /** Bytes the caller sends after the fixed part. */
  length: number;
  flags?: number;
  remainingBytes?: number;
}

export interface WriteResponse {
  count: number;
  remaining: number;
}

export function encodeWriteRequest(req: WriteRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.length, REQUEST, 'Length');
  const w = new ByteWriter(SMB2_WRITE_REQUEST_FIXED_SIZE);
  w.u16(SMB2_WRITE_REQUEST_STRUCTURE_SIZE).u16(SMB2_WRITE_DATA_OFFSET).u32(req.length).u64(req.offset);
  w.bytes(req.fileId).u32(0).u32(req.remainingBytes ?? 0); // Channel: SMB2_CHANNEL_NONE
  w.u16(0).u16(0); // WriteChannelInfoOffset, WriteChannelInfoLength
  return w.u32(req.flags ?? 0).finish();
}

export function decodeWriteResponse(msg: Buffer): WriteResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_WRITE_RESPONSE_STRUCTURE_SIZE);
  r.skip(2, 'Reserved');
  const count = r.u32('Count');
  const remaining = r.u32('Remaining');
  r.skip(4, 'WriteChannelInfoOffset/Length');
  return { count, remaining };
}

export function decodeWriteRequest(msg: Buffer): Required<WriteRequest> & { data: Buffer } {
  const r = bodyReader(msg, REQUEST, SMB2_WRITE_REQUEST_STRUCTURE_SIZE);
  const dataOffset = r.u16('DataOffset');
  const length = r.u32('Length');
  const offset = r.u64Number('Offset');
  const fileId = readFileId(r);
  r.skip(4, 'Channel');
  const remainingBytes = r.u32('RemainingBytes');
  r.skip(4, 'WriteChannelInfoOffset/Length');
  const flags = r.u32('Flags');
  const data = bufferView(r, dataOffset, length, SMB2_WRITE_DATA_OFFSET, 'Buffer');
  return { fileId, offset, length, flags, remainingBytes, data };
}

/** Test-proxy encoder: the 16 bytes 2.2.22 lays out (StructureSize 17 counts a Buffer it never defines). */
export function encodeWriteResponse(res: WriteResponse): Buffer {
  const w = new ByteWriter(RESPONSE_FIXED);
  w.u16(SMB2_WRITE_RESPONSE_STRUCTURE_SIZE).u16(0).u32(res.count).u32(res.remaining);
  return w.u16(0).u16(0).finish();
}
