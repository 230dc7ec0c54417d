// MS-SMB2 2.2.30 SMB2 CANCEL Request: StructureSize 4 and 2 reserved bytes. There is no response (3.3.5.16).
// The caller sends it with the MessageId (sync) or AsyncId (async header) of the request to cancel.
import { ByteWriter } from '../../wire/byte-writer.js';

export const SMB2_CANCEL_REQUEST_STRUCTURE_SIZE = 4;

export function encodeCancelRequest(): Buffer {
  return new ByteWriter(4).u16(SMB2_CANCEL_REQUEST_STRUCTURE_SIZE).u16(0).finish();
}
