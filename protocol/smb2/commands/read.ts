// MS-SMB2 2.2.19 SMB2 READ Request and 2.2.20 SMB2 READ Response.
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU32, readFileId } from './body.js';

const REQUEST = 'READ request';
const RESPONSE = 'READ response';

export const SMB2_READ_REQUEST_STRUCTURE_SIZE = 49;
export const SMB2_READ_RESPONSE_STRUCTURE_SIZE = 17;
const REQUEST_FIXED = 48;
const RESPONSE_FIXED = 16;

/** 2.2.19: Flags. */
export const SMB2_READFLAG_READ_UNBUFFERED = 0x01;
export const SMB2_READFLAG_REQUEST_COMPRESSED = 0x02;
/** 2.2.19: Channel. */
export const SMB2_CHANNEL_NONE = 0x00000000;

/** Where the data lands in the response when the server honours Padding: right after its fixed part. */
export const SMB2_READ_DEFAULT_PADDING = SMB2_HEADER_SIZE + RESPONSE_FIXED;

export interface ReadRequest {
  fileId: Buffer;
  offset: number;
  length: number;
  minimumCount?: number;
  /** Requested data offset in the response (2.2.19 Padding); defaults to 0x50. */
  padding?: number;
  flags?: number;
}

export interface ReadResponse {
  dataOffset: number;
  /** A view into the message. */
  data: Buffer;
  dataRemaining: number;
}

export function encodeReadRequest(req: ReadRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.length, REQUEST, 'Length');
  // 2.2.19: the Buffer is one byte (set to 0) when there are no channel infos; StructureSize 49 counts it.
  const w = new ByteWriter(REQUEST_FIXED + 1);
  w.u16(SMB2_READ_REQUEST_STRUCTURE_SIZE).u8(req.padding ?? SMB2_READ_DEFAULT_PADDING).u8(req.flags ?? 0);
  w.u32(req.length).u64(req.offset).bytes(req.fileId);
  w.u32(req.minimumCount ?? 0).u32(SMB2_CHANNEL_NONE).u32(0); // MinimumCount, Channel, RemainingBytes
  w.u16(0).u16(0); // ReadChannelInfoOffset, ReadChannelInfoLength
  return w.u8(0).finish();
}

export function decodeReadResponse(msg: Buffer): ReadResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_READ_RESPONSE_STRUCTURE_SIZE);
  const dataOffset = r.u8('DataOffset');
  r.skip(1, 'Reserved');
  const dataLength = r.u32('DataLength');
  const dataRemaining = r.u32('DataRemaining');
  r.skip(4, 'Reserved2');
  const data = bufferView(r, dataOffset, dataLength, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'Data');
  return { dataOffset, data, dataRemaining };
}

export function decodeReadRequest(msg: Buffer): Required<ReadRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_READ_REQUEST_STRUCTURE_SIZE);
  const padding = r.u8('Padding');
  const flags = r.u8('Flags');
  const length = r.u32('Length');
  const offset = r.u64Number('Offset');
  const fileId = readFileId(r);
  const minimumCount = r.u32('MinimumCount');
  return { fileId, offset, length, minimumCount, padding, flags };
}

/** Test-proxy encoder: data placed at 0x50, right after the fixed part. */
export function encodeReadResponse(res: { data: Buffer; dataRemaining?: number }): Buffer {
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(res.data.length, 1));
  w.u16(SMB2_READ_RESPONSE_STRUCTURE_SIZE).u8(SMB2_HEADER_SIZE + RESPONSE_FIXED).u8(0);
  w.u32(res.data.length).u32(res.dataRemaining ?? 0).u32(0);
  if (res.data.length > 0) w.bytes(res.data);
  else w.u8(0);
  return w.finish();
}
