// MS-SMB2 2.2.17 SMB2 FLUSH Request and 2.2.18 SMB2 FLUSH Response.
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader, checkFileId, readFileId } from './body.js';

export const SMB2_FLUSH_REQUEST_STRUCTURE_SIZE = 24;
export const SMB2_FLUSH_RESPONSE_STRUCTURE_SIZE = 4;

export interface FlushRequest {
  fileId: Buffer;
}

export function encodeFlushRequest(req: FlushRequest): Buffer {
  checkFileId(req.fileId, 'FLUSH request');
  const w = new ByteWriter(SMB2_FLUSH_REQUEST_STRUCTURE_SIZE);
  w.u16(SMB2_FLUSH_REQUEST_STRUCTURE_SIZE).u16(0).u32(0); // Reserved1, Reserved2
  return w.bytes(req.fileId).finish();
}

export function decodeFlushResponse(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'FLUSH response', SMB2_FLUSH_RESPONSE_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}

export function decodeFlushRequest(msg: Buffer): FlushRequest {
  const r = bodyReader(msg, 'FLUSH request', SMB2_FLUSH_REQUEST_STRUCTURE_SIZE);
  r.skip(6, 'Reserved');
  return { fileId: readFileId(r) };
}

export function encodeFlushResponse(): Buffer {
  return new ByteWriter(4).u16(SMB2_FLUSH_RESPONSE_STRUCTURE_SIZE).u16(0).finish();
}
