// MS-SMB2 2.2.15 SMB2 CLOSE Request and 2.2.16 SMB2 CLOSE Response.
import { readTimesSizesAttributes, type FileNetworkOpenInfo } from '../../fscc/file-info.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader, checkFileId, readFileId } from './body.js';

const REQUEST = 'CLOSE request';
const RESPONSE = 'CLOSE response';

export const SMB2_CLOSE_REQUEST_STRUCTURE_SIZE = 24;
export const SMB2_CLOSE_RESPONSE_STRUCTURE_SIZE = 60;

/** 2.2.15: ask the server to return the file's attributes in the response. */
export const SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB = 0x0001;

export interface CloseRequest {
  fileId: Buffer;
  flags?: number;
}

/** Without SMB2_CLOSE_FLAG_POSTQUERY_ATTRIB in `flags` the other fields are 0 (2.2.16). */
/** The same times, sizes and attributes as FileNetworkOpenInformation (MS-FSCC 2.4.29). */
export interface CloseResponse extends FileNetworkOpenInfo {
  flags: number;
}

export function encodeCloseRequest(req: CloseRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  const w = new ByteWriter(SMB2_CLOSE_REQUEST_STRUCTURE_SIZE);
  w.u16(SMB2_CLOSE_REQUEST_STRUCTURE_SIZE).u16(req.flags ?? 0).u32(0); // Reserved
  return w.bytes(req.fileId).finish();
}

export function decodeCloseResponse(msg: Buffer): CloseResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_CLOSE_RESPONSE_STRUCTURE_SIZE);
  const flags = r.u16('Flags');
  r.skip(4, 'Reserved');
  return { flags, ...readTimesSizesAttributes(r) };
}

export function decodeCloseRequest(msg: Buffer): Required<CloseRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_CLOSE_REQUEST_STRUCTURE_SIZE);
  const flags = r.u16('Flags');
  r.skip(4, 'Reserved');
  return { flags, fileId: readFileId(r) };
}

export function encodeCloseResponse(res: CloseResponse): Buffer {
  const w = new ByteWriter(SMB2_CLOSE_RESPONSE_STRUCTURE_SIZE);
  w.u16(SMB2_CLOSE_RESPONSE_STRUCTURE_SIZE).u16(res.flags).u32(0);
  w.u64(res.creationTime).u64(res.lastAccessTime).u64(res.lastWriteTime).u64(res.changeTime);
  return w.u64(res.allocationSize).u64(res.endOfFile).u32(res.fileAttributes).finish();
}
