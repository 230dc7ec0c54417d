// MS-SMB2 2.2.28 SMB2 ECHO Request and 2.2.29 SMB2 ECHO Response: a 4-byte body, StructureSize 4 then 2 reserved bytes.
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader } from './body.js';

export const SMB2_ECHO_REQUEST_STRUCTURE_SIZE = 4;
export const SMB2_ECHO_RESPONSE_STRUCTURE_SIZE = 4;

function encode(): Buffer {
  return new ByteWriter(4).u16(4).u16(0).finish();
}

export function encodeEchoRequest(): Buffer {
  return encode();
}

export function encodeEchoResponse(): Buffer {
  return encode();
}

/** Checks StructureSize; the body carries nothing else. */
export function decodeEchoResponse(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'ECHO response', SMB2_ECHO_RESPONSE_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}

export function decodeEchoRequest(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'ECHO request', SMB2_ECHO_REQUEST_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}
