// MS-SMB2 2.2.7 SMB2 LOGOFF Request and 2.2.8 SMB2 LOGOFF Response: a 4-byte body, StructureSize 4 then 2 reserved bytes.
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader } from './body.js';

export const SMB2_LOGOFF_REQUEST_STRUCTURE_SIZE = 4;
export const SMB2_LOGOFF_RESPONSE_STRUCTURE_SIZE = 4;

function encode(): Buffer {
  return new ByteWriter(4).u16(4).u16(0).finish();
}

export function encodeLogoffRequest(): Buffer {
  return encode();
}

export function encodeLogoffResponse(): Buffer {
  return encode();
}

/** Checks StructureSize; the body carries nothing else. */
export function decodeLogoffResponse(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'LOGOFF response', SMB2_LOGOFF_RESPONSE_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}

export function decodeLogoffRequest(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'LOGOFF request', SMB2_LOGOFF_REQUEST_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}
