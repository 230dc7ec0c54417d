// MS-SMB2 2.2.35 SMB2 CHANGE_NOTIFY Request and 2.2.36 SMB2 CHANGE_NOTIFY Response.
// The response's buffer is a chain of MS-FSCC 2.7.1 FILE_NOTIFY_INFORMATION entries (fscc/file-notify-information.ts).
// The server answers STATUS_PENDING at once and the real answer only when something changes (3.3.5.19),
// so the client sends it as a long poll (Smb2Request.untilAborted), see client/smb2-directory-watch.ts.
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU16, checkU32, readFileId } from './body.js';

const REQUEST = 'CHANGE_NOTIFY request';
const RESPONSE = 'CHANGE_NOTIFY response';

export const SMB2_CHANGE_NOTIFY_REQUEST_STRUCTURE_SIZE = 32;
export const SMB2_CHANGE_NOTIFY_RESPONSE_STRUCTURE_SIZE = 9;
const RESPONSE_FIXED = 8;

/** 2.2.35 Flags: watch everything beneath the directory too. */
export const SMB2_WATCH_TREE = 0x0001;

/** 2.2.35 CompletionFilter: which changes complete the request. */
export const FILE_NOTIFY_CHANGE_FILE_NAME = 0x00000001;
export const FILE_NOTIFY_CHANGE_DIR_NAME = 0x00000002;
export const FILE_NOTIFY_CHANGE_ATTRIBUTES = 0x00000004;
export const FILE_NOTIFY_CHANGE_SIZE = 0x00000008;
export const FILE_NOTIFY_CHANGE_LAST_WRITE = 0x00000010;
export const FILE_NOTIFY_CHANGE_LAST_ACCESS = 0x00000020;
export const FILE_NOTIFY_CHANGE_CREATION = 0x00000040;
export const FILE_NOTIFY_CHANGE_EA = 0x00000080;
export const FILE_NOTIFY_CHANGE_SECURITY = 0x00000100;
export const FILE_NOTIFY_CHANGE_STREAM_NAME = 0x00000200;
export const FILE_NOTIFY_CHANGE_STREAM_SIZE = 0x00000400;
export const FILE_NOTIFY_CHANGE_STREAM_WRITE = 0x00000800;

export interface ChangeNotifyRequest {
  /** 0 or SMB2_WATCH_TREE. */
  flags: number;
  /** Most bytes the server may return (it SHOULD refuse more than MaxTransactSize, 3.3.5.19). */
  outputBufferLength: number;
  fileId: Buffer;
  completionFilter: number;
}

export interface ChangeNotifyResponse {
  /** FILE_NOTIFY_INFORMATION entries, a view into the message; empty when the server lists nothing. */
  buffer: Buffer;
}

export function encodeChangeNotifyRequest(req: ChangeNotifyRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU16(req.flags, REQUEST, 'Flags');
  checkU32(req.outputBufferLength, REQUEST, 'OutputBufferLength');
  checkU32(req.completionFilter, REQUEST, 'CompletionFilter');
  const w = new ByteWriter(SMB2_CHANGE_NOTIFY_REQUEST_STRUCTURE_SIZE);
  w.u16(SMB2_CHANGE_NOTIFY_REQUEST_STRUCTURE_SIZE).u16(req.flags).u32(req.outputBufferLength);
  w.bytes(req.fileId).u32(req.completionFilter).u32(0); // Reserved
  return w.finish();
}

export function decodeChangeNotifyResponse(msg: Buffer): ChangeNotifyResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_CHANGE_NOTIFY_RESPONSE_STRUCTURE_SIZE);
  const offset = r.u16('OutputBufferOffset');
  const length = r.u32('OutputBufferLength');
  return { buffer: bufferView(r, offset, length, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'Buffer') };
}

/** Test-proxy side: what a server receives. */
export function decodeChangeNotifyRequest(msg: Buffer): ChangeNotifyRequest {
  const r = bodyReader(msg, REQUEST, SMB2_CHANGE_NOTIFY_REQUEST_STRUCTURE_SIZE);
  const flags = r.u16('Flags');
  const outputBufferLength = r.u32('OutputBufferLength');
  const fileId = readFileId(r);
  const completionFilter = r.u32('CompletionFilter');
  r.skip(4, 'Reserved');
  return { flags, outputBufferLength, fileId, completionFilter };
}

/** Test-proxy side: what a server sends (the buffer right after the fixed part). */
export function encodeChangeNotifyResponse(res: ChangeNotifyResponse): Buffer {
  checkU32(res.buffer.length, RESPONSE, 'OutputBufferLength');
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(res.buffer.length, 1));
  w.u16(SMB2_CHANGE_NOTIFY_RESPONSE_STRUCTURE_SIZE).u16(res.buffer.length > 0 ? SMB2_HEADER_SIZE + RESPONSE_FIXED : 0);
  w.u32(res.buffer.length);
  if (res.buffer.length > 0) w.bytes(res.buffer);
  else w.u8(0); // 2.2.36: StructureSize 9 counts one byte of Buffer even when it is empty
  return w.finish();
}
