// MS-SMB2 2.2.5 SMB2 SESSION_SETUP Request and 2.2.6 SMB2 SESSION_SETUP Response.
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkU16 } from './body.js';

const REQUEST = 'SESSION_SETUP request';
const RESPONSE = 'SESSION_SETUP response';

export const SMB2_SESSION_SETUP_REQUEST_STRUCTURE_SIZE = 25;
export const SMB2_SESSION_SETUP_RESPONSE_STRUCTURE_SIZE = 9;
const REQUEST_FIXED = 24;
const RESPONSE_FIXED = 8;

/** 2.2.5: Flags. */
export const SMB2_SESSION_FLAG_BINDING = 0x01;

export interface SessionSetupRequest {
  flags?: number;
  /** 2.2.5: one byte here (SMB2_NEGOTIATE_SIGNING_ENABLED / _REQUIRED). */
  securityMode: number;
  capabilities: number;
  previousSessionId?: bigint;
  securityBuffer: Buffer;
}

export interface SessionSetupResponse {
  sessionFlags: number;
  /** A view into the message. */
  securityBuffer: Buffer;
}

export function encodeSessionSetupRequest(req: SessionSetupRequest): Buffer {
  checkU16(req.securityBuffer.length, REQUEST, 'SecurityBufferLength');
  const w = new ByteWriter(REQUEST_FIXED + Math.max(req.securityBuffer.length, 1));
  w.u16(SMB2_SESSION_SETUP_REQUEST_STRUCTURE_SIZE).u8(req.flags ?? 0).u8(req.securityMode);
  w.u32(req.capabilities).u32(0); // Channel: MUST be 0 (2.2.5)
  w.u16(SMB2_HEADER_SIZE + REQUEST_FIXED).u16(req.securityBuffer.length);
  w.u64(req.previousSessionId ?? 0n);
  if (req.securityBuffer.length > 0) w.bytes(req.securityBuffer);
  else w.u8(0);
  return w.finish();
}

export function decodeSessionSetupResponse(msg: Buffer): SessionSetupResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_SESSION_SETUP_RESPONSE_STRUCTURE_SIZE);
  const sessionFlags = r.u16('SessionFlags');
  const offset = r.u16('SecurityBufferOffset');
  const length = r.u16('SecurityBufferLength');
  return { sessionFlags, securityBuffer: bufferView(r, offset, length, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'SecurityBuffer') };
}

export function decodeSessionSetupRequest(msg: Buffer): Required<SessionSetupRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_SESSION_SETUP_REQUEST_STRUCTURE_SIZE);
  const flags = r.u8('Flags');
  const securityMode = r.u8('SecurityMode');
  const capabilities = r.u32('Capabilities');
  r.skip(4, 'Channel');
  const offset = r.u16('SecurityBufferOffset');
  const length = r.u16('SecurityBufferLength');
  const previousSessionId = r.u64('PreviousSessionId');
  const securityBuffer = bufferView(r, offset, length, SMB2_HEADER_SIZE + REQUEST_FIXED, 'SecurityBuffer');
  return { flags, securityMode, capabilities, previousSessionId, securityBuffer };
}

export function encodeSessionSetupResponse(res: SessionSetupResponse): Buffer {
  checkU16(res.securityBuffer.length, RESPONSE, 'SecurityBufferLength');
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(res.securityBuffer.length, 1));
  w.u16(SMB2_SESSION_SETUP_RESPONSE_STRUCTURE_SIZE).u16(res.sessionFlags);
  w.u16(res.securityBuffer.length > 0 ? SMB2_HEADER_SIZE + RESPONSE_FIXED : 0).u16(res.securityBuffer.length);
  if (res.securityBuffer.length > 0) w.bytes(res.securityBuffer);
  else w.u8(0);
  return w.finish();
}
