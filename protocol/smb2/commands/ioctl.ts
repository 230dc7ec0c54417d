// MS-SMB2 2.2.31 SMB2 IOCTL Request and 2.2.32 SMB2 IOCTL Response.
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkFileId, checkU32, readFileId } from './body.js';

const REQUEST = 'IOCTL request';
const RESPONSE = 'IOCTL response';

export const SMB2_IOCTL_REQUEST_STRUCTURE_SIZE = 57;
export const SMB2_IOCTL_RESPONSE_STRUCTURE_SIZE = 49;
const REQUEST_FIXED = 56;
const RESPONSE_FIXED = 48;

/** 2.2.31: Flags. */
export const SMB2_0_IOCTL_IS_FSCTL = 0x00000001;

/** 2.2.31: CtlCode values used by this client (MS-FSCC 2.3). */
export const FSCTL_DFS_GET_REFERRALS = 0x00060194;
export const FSCTL_PIPE_PEEK = 0x0011400c;
export const FSCTL_PIPE_WAIT = 0x00110018;
export const FSCTL_PIPE_TRANSCEIVE = 0x0011c017;
export const FSCTL_SRV_REQUEST_RESUME_KEY = 0x00140078;
export const FSCTL_VALIDATE_NEGOTIATE_INFO = 0x00140204;
export const FSCTL_QUERY_NETWORK_INTERFACE_INFO = 0x001401fc;

export interface IoctlRequest {
  ctlCode: number;
  /** SMB2_FILEID_NONE (all 0xFF) for requests not bound to an open, e.g. VALIDATE_NEGOTIATE_INFO. */
  fileId: Buffer;
  input: Buffer;
  maxInputResponse?: number;
  maxOutputResponse: number;
  flags: number;
}

export interface IoctlResponse {
  ctlCode: number;
  fileId: Buffer;
  /** Views into the message. */
  input: Buffer;
  output: Buffer;
}

export function encodeIoctlRequest(req: IoctlRequest): Buffer {
  checkFileId(req.fileId, REQUEST);
  checkU32(req.input.length, REQUEST, 'InputCount');
  const w = new ByteWriter(REQUEST_FIXED + Math.max(req.input.length, 1));
  w.u16(SMB2_IOCTL_REQUEST_STRUCTURE_SIZE).u16(0).u32(req.ctlCode).bytes(req.fileId);
  // 3.2.4.20.x: InputOffset is the offset of Buffer even when InputCount is 0; the client sends no output data.
  w.u32(SMB2_HEADER_SIZE + REQUEST_FIXED).u32(req.input.length).u32(req.maxInputResponse ?? 0);
  w.u32(0).u32(0).u32(req.maxOutputResponse); // OutputOffset, OutputCount, MaxOutputResponse
  w.u32(req.flags).u32(0); // Flags, Reserved2
  if (req.input.length > 0) w.bytes(req.input);
  else w.u8(0);
  return w.finish();
}

export function decodeIoctlResponse(msg: Buffer): IoctlResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_IOCTL_RESPONSE_STRUCTURE_SIZE);
  r.skip(2, 'Reserved');
  const ctlCode = r.u32('CtlCode');
  const fileId = readFileId(r);
  const inputOffset = r.u32('InputOffset');
  const inputCount = r.u32('InputCount');
  const outputOffset = r.u32('OutputOffset');
  const outputCount = r.u32('OutputCount');
  r.skip(8, 'Flags/Reserved2');
  const fixedEnd = SMB2_HEADER_SIZE + RESPONSE_FIXED;
  // 3.2.5.14: OutputOffset is ignored when OutputCount is 0 (bufferView does that for both).
  const input = bufferView(r, inputOffset, inputCount, fixedEnd, 'Input');
  const output = bufferView(r, outputOffset, outputCount, fixedEnd, 'Output');
  return { ctlCode, fileId, input, output };
}

export function decodeIoctlRequest(msg: Buffer): Required<IoctlRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_IOCTL_REQUEST_STRUCTURE_SIZE);
  r.skip(2, 'Reserved');
  const ctlCode = r.u32('CtlCode');
  const fileId = readFileId(r);
  const inputOffset = r.u32('InputOffset');
  const inputCount = r.u32('InputCount');
  const maxInputResponse = r.u32('MaxInputResponse');
  r.skip(8, 'OutputOffset/OutputCount');
  const maxOutputResponse = r.u32('MaxOutputResponse');
  const flags = r.u32('Flags');
  const input = bufferView(r, inputOffset, inputCount, SMB2_HEADER_SIZE + REQUEST_FIXED, 'Input');
  return { ctlCode, fileId, input, maxInputResponse, maxOutputResponse, flags };
}

/** Test-proxy encoder: input (usually empty) then output 8-byte aligned, as 3.3.5.15 describes. */
export function encodeIoctlResponse(res: IoctlResponse): Buffer {
  checkFileId(res.fileId, RESPONSE);
  const inputAt = SMB2_HEADER_SIZE + RESPONSE_FIXED;
  const outputAt = Math.ceil((inputAt + res.input.length) / 8) * 8;
  const end = outputAt + res.output.length;
  const w = new ByteWriter(Math.max(end - SMB2_HEADER_SIZE, RESPONSE_FIXED + 1));
  w.u16(SMB2_IOCTL_RESPONSE_STRUCTURE_SIZE).u16(0).u32(res.ctlCode).bytes(res.fileId);
  w.u32(inputAt).u32(res.input.length).u32(outputAt).u32(res.output.length).u32(0).u32(0);
  w.bytes(res.input).zeros(outputAt - inputAt - res.input.length).bytes(res.output);
  if (w.offset < RESPONSE_FIXED + 1) w.u8(0);
  return w.finish();
}
