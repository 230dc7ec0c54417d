// MS-SMB2 2.2.39 SMB2 SET_INFO Request and 2.2.40 SMB2 SET_INFO Response.
// The buffer is an MS-FSCC information structure built by protocol/fscc/ (basic, rename, disposition, EOF, ...).
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU32, readFileId } from './body.js';

const REQUEST = 'SET_INFO request';
const RESPONSE = 'SET_INFO response';

export const SMB2_SET_INFO_REQUEST_STRUCTURE_SIZE = 33;
export const SMB2_SET_INFO_RESPONSE_STRUCTURE_SIZE = 2;
const REQUEST_FIXED = 32;

export interface SetInfoRequest {
  /** SMB2_0_INFO_FILE, _FILESYSTEM, _SECURITY, _QUOTA (see query-info.ts). */
  infoType: number;
  fileInfoClass: number;
  additionalInformation?: number;
  fileId: Buffer;
  buffer: Buffer;
}

export function encodeSetInfoRequest(req: SetInfoRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.buffer.length, REQUEST, 'BufferLength');
  const w = new ByteWriter(REQUEST_FIXED + Math.max(req.buffer.length, 1));
  w.u16(SMB2_SET_INFO_REQUEST_STRUCTURE_SIZE).u8(req.infoType).u8(req.fileInfoClass).u32(req.buffer.length);
  w.u16(SMB2_HEADER_SIZE + REQUEST_FIXED).u16(0).u32(req.additionalInformation ?? 0).bytes(req.fileId);
  if (req.buffer.length > 0) w.bytes(req.buffer);
  else w.u8(0);
  return w.finish();
}

/** The body is only StructureSize (2.2.40). */
export function decodeSetInfoResponse(msg: Buffer): Record<string, never> {
  bodyReader(msg, RESPONSE, SMB2_SET_INFO_RESPONSE_STRUCTURE_SIZE);
  return {};
}

export function decodeSetInfoRequest(msg: Buffer): Required<SetInfoRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_SET_INFO_REQUEST_STRUCTURE_SIZE);
  const infoType = r.u8('InfoType');
  const fileInfoClass = r.u8('FileInfoClass');
  const length = r.u32('BufferLength');
  const offset = r.u16('BufferOffset');
  r.skip(2, 'Reserved');
  const additionalInformation = r.u32('AdditionalInformation');
  const fileId = readFileId(r);
  const buffer = bufferView(r, offset, length, SMB2_HEADER_SIZE + REQUEST_FIXED, 'Buffer');
  return { infoType, fileInfoClass, additionalInformation, fileId, buffer };
}

export function encodeSetInfoResponse(): Buffer {
  return new ByteWriter(2).u16(SMB2_SET_INFO_RESPONSE_STRUCTURE_SIZE).finish();
}
