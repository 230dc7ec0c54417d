// MS-SMB2 2.2.11 SMB2 TREE_DISCONNECT Request and 2.2.12 SMB2 TREE_DISCONNECT Response: a 4-byte body, StructureSize 4 then 2 reserved bytes.
import { ByteWriter } from '../../wire/byte-writer.js';
import { bodyReader } from './body.js';

export const SMB2_TREE_DISCONNECT_REQUEST_STRUCTURE_SIZE = 4;
export const SMB2_TREE_DISCONNECT_RESPONSE_STRUCTURE_SIZE = 4;

function encode(): Buffer {
  return new ByteWriter(4).u16(4).u16(0).finish();
}

export function encodeTreeDisconnectRequest(): Buffer {
  return encode();
}

export function encodeTreeDisconnectResponse(): Buffer {
  return encode();
}

/** Checks StructureSize; the body carries nothing else. */
export function decodeTreeDisconnectResponse(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'TREE_DISCONNECT response', SMB2_TREE_DISCONNECT_RESPONSE_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}

export function decodeTreeDisconnectRequest(msg: Buffer): Record<string, never> {
  bodyReader(msg, 'TREE_DISCONNECT request', SMB2_TREE_DISCONNECT_REQUEST_STRUCTURE_SIZE).skip(2, 'Reserved');
  return {};
}
