// SMB_COM_NT_CANCEL (MS-CIFS 2.2.4.65): asks the server to stop working on the request with the
// same MID, PID, UID and TID (the header says which; 3.2.4.20). WordCount 0, ByteCount 0, and no
// response of its own: the cancelled request gets its answer (STATUS_CANCELLED, or its ordinary
// answer if the server had finished).
import { encodeBlock } from '../message.js';

export function encodeNtCancelRequest(): Buffer {
  return encodeBlock(Buffer.alloc(0));
}
