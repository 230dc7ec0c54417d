// MS-SMB2 2.2.33 SMB2 QUERY_DIRECTORY Request and 2.2.34 SMB2 QUERY_DIRECTORY Response.
// The response buffer holds MS-FSCC directory information entries (see protocol/fscc/directory-information.ts).
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter, utf16Length } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU16, checkU32, readFileId } from './body.js';

const REQUEST = 'QUERY_DIRECTORY request';
const RESPONSE = 'QUERY_DIRECTORY response';

export const SMB2_QUERY_DIRECTORY_REQUEST_STRUCTURE_SIZE = 33;
export const SMB2_QUERY_DIRECTORY_RESPONSE_STRUCTURE_SIZE = 9;
const REQUEST_FIXED = 32;
const RESPONSE_FIXED = 8;

/** 2.2.33: Flags. */
export const SMB2_RESTART_SCANS = 0x01;
export const SMB2_RETURN_SINGLE_ENTRY = 0x02;
export const SMB2_INDEX_SPECIFIED = 0x04;
export const SMB2_REOPEN = 0x10;

export interface QueryDirectoryRequest {
  /** An MS-FSCC information class, e.g. FileIdBothDirectoryInformation (37). */
  fileInformationClass: number;
  flags: number;
  fileIndex?: number;
  fileId: Buffer;
  /** Search pattern, e.g. '*'. */
  pattern: string;
  outputBufferLength: number;
}

export interface QueryDirectoryResponse {
  /** A view into the message. */
  buffer: Buffer;
}

export function encodeQueryDirectoryRequest(req: QueryDirectoryRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.outputBufferLength, REQUEST, 'OutputBufferLength');
  const nameLength = utf16Length(req.pattern);
  checkU16(nameLength, REQUEST, 'FileNameLength');
  const w = new ByteWriter(REQUEST_FIXED + Math.max(nameLength, 1));
  w.u16(SMB2_QUERY_DIRECTORY_REQUEST_STRUCTURE_SIZE).u8(req.fileInformationClass).u8(req.flags);
  w.u32(req.fileIndex ?? 0).bytes(req.fileId);
  w.u16(nameLength > 0 ? SMB2_HEADER_SIZE + REQUEST_FIXED : 0).u16(nameLength).u32(req.outputBufferLength);
  if (nameLength > 0) w.utf16(req.pattern);
  else w.u8(0);
  return w.finish();
}

export function decodeQueryDirectoryResponse(msg: Buffer): QueryDirectoryResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_QUERY_DIRECTORY_RESPONSE_STRUCTURE_SIZE);
  const offset = r.u16('OutputBufferOffset');
  const length = r.u32('OutputBufferLength');
  return { buffer: bufferView(r, offset, length, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'Buffer') };
}

export function decodeQueryDirectoryRequest(msg: Buffer): Required<QueryDirectoryRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_QUERY_DIRECTORY_REQUEST_STRUCTURE_SIZE);
  const fileInformationClass = r.u8('FileInformationClass');
  const flags = r.u8('Flags');
  const fileIndex = r.u32('FileIndex');
  const fileId = readFileId(r);
  const nameOffset = r.u16('FileNameOffset');
  const nameLength = r.u16('FileNameLength');
  const outputBufferLength = r.u32('OutputBufferLength');
  if (nameLength % 2 !== 0) throw new MalformedMessageError(REQUEST, 'FileNameLength', `odd UTF-16 length ${nameLength}`);
  const name = bufferView(r, nameOffset, nameLength, SMB2_HEADER_SIZE + REQUEST_FIXED, 'Buffer');
  return { fileInformationClass, flags, fileIndex, fileId, pattern: name.toString('utf16le'), outputBufferLength };
}

export function encodeQueryDirectoryResponse(res: QueryDirectoryResponse): Buffer {
  checkU32(res.buffer.length, RESPONSE, 'OutputBufferLength');
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(res.buffer.length, 1));
  w.u16(SMB2_QUERY_DIRECTORY_RESPONSE_STRUCTURE_SIZE).u16(res.buffer.length > 0 ? SMB2_HEADER_SIZE + RESPONSE_FIXED : 0);
  w.u32(res.buffer.length);
  if (res.buffer.length > 0) w.bytes(res.buffer);
  else w.u8(0);
  return w.finish();
}
