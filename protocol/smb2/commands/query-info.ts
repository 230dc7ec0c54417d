// MS-SMB2 2.2.37 SMB2 QUERY_INFO Request and 2.2.38 SMB2 QUERY_INFO Response.
// The buffers hold MS-FSCC information structures (protocol/fscc/) or a security descriptor (MS-DTYP 2.4.6).
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU32, readFileId } from './body.js';

const REQUEST = 'QUERY_INFO request';
const RESPONSE = 'QUERY_INFO response';

export const SMB2_QUERY_INFO_REQUEST_STRUCTURE_SIZE = 41;
export const SMB2_QUERY_INFO_RESPONSE_STRUCTURE_SIZE = 9;
const REQUEST_FIXED = 40;
const RESPONSE_FIXED = 8;

/** 2.2.37: InfoType (defined in ../create-constants.ts). */
export { SMB2_0_INFO_FILE, SMB2_0_INFO_FILESYSTEM, SMB2_0_INFO_SECURITY, SMB2_0_INFO_QUOTA } from '../create-constants.js';

/** 2.2.37: AdditionalInformation for SMB2_0_INFO_SECURITY. */
export const OWNER_SECURITY_INFORMATION = 0x00000001;
export const GROUP_SECURITY_INFORMATION = 0x00000002;
export const DACL_SECURITY_INFORMATION = 0x00000004;
export const SACL_SECURITY_INFORMATION = 0x00000008;
export const LABEL_SECURITY_INFORMATION = 0x00000010;
export const ATTRIBUTE_SECURITY_INFORMATION = 0x00000020;
export const SCOPE_SECURITY_INFORMATION = 0x00000040;
export const BACKUP_SECURITY_INFORMATION = 0x00010000;

/** 2.2.37: Flags (FileFullEaInformation queries). */
export const SL_RESTART_SCAN = 0x00000001;
export const SL_RETURN_SINGLE_ENTRY = 0x00000002;
export const SL_INDEX_SPECIFIED = 0x00000004;

export interface QueryInfoRequest {
  infoType: number;
  fileInfoClass: number;
  outputBufferLength: number;
  additionalInformation?: number;
  flags?: number;
  fileId: Buffer;
  /** Quota or EA-list input; usually absent. */
  input?: Buffer;
}

export interface QueryInfoResponse {
  /** A view into the message. */
  buffer: Buffer;
}

export function encodeQueryInfoRequest(req: QueryInfoRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.outputBufferLength, REQUEST, 'OutputBufferLength');
  const input = req.input ?? Buffer.alloc(0);
  const w = new ByteWriter(REQUEST_FIXED + Math.max(input.length, 1));
  w.u16(SMB2_QUERY_INFO_REQUEST_STRUCTURE_SIZE).u8(req.infoType).u8(req.fileInfoClass).u32(req.outputBufferLength);
  // 2.2.37: InputBufferOffset SHOULD be 0 when there is no input.
  w.u16(input.length > 0 ? SMB2_HEADER_SIZE + REQUEST_FIXED : 0).u16(0).u32(input.length);
  w.u32(req.additionalInformation ?? 0).u32(req.flags ?? 0).bytes(req.fileId);
  if (input.length > 0) w.bytes(input);
  else w.u8(0);
  return w.finish();
}

export function decodeQueryInfoResponse(msg: Buffer): QueryInfoResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_QUERY_INFO_RESPONSE_STRUCTURE_SIZE);
  const offset = r.u16('OutputBufferOffset');
  const length = r.u32('OutputBufferLength');
  return { buffer: bufferView(r, offset, length, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'Buffer') };
}

export function decodeQueryInfoRequest(msg: Buffer): Required<QueryInfoRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_QUERY_INFO_REQUEST_STRUCTURE_SIZE);
  const infoType = r.u8('InfoType');
  const fileInfoClass = r.u8('FileInfoClass');
  const outputBufferLength = r.u32('OutputBufferLength');
  const inputOffset = r.u16('InputBufferOffset');
  r.skip(2, 'Reserved');
  const inputLength = r.u32('InputBufferLength');
  const additionalInformation = r.u32('AdditionalInformation');
  const flags = r.u32('Flags');
  const fileId = readFileId(r);
  const input = bufferView(r, inputOffset, inputLength, SMB2_HEADER_SIZE + REQUEST_FIXED, 'Buffer');
  return { infoType, fileInfoClass, outputBufferLength, additionalInformation, flags, fileId, input };
}

export function encodeQueryInfoResponse(res: QueryInfoResponse): Buffer {
  checkU32(res.buffer.length, RESPONSE, 'OutputBufferLength');
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(res.buffer.length, 1));
  w.u16(SMB2_QUERY_INFO_RESPONSE_STRUCTURE_SIZE).u16(SMB2_HEADER_SIZE + RESPONSE_FIXED).u32(res.buffer.length);
  if (res.buffer.length > 0) w.bytes(res.buffer);
  else w.u8(0);
  return w.finish();
}
