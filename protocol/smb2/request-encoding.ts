// The bytes of an outgoing request: header (MS-SMB2 2.2.1.2), body, and the padding a compound
// chain needs (3.2.4.1.4); and the CANCEL for a request already sent (3.2.4.24). Pure functions:
// the connection signs and seals what these return.
import { encodeCancelRequest } from './commands/cancel.js';
import { SMB2_FLAGS_RELATED_OPERATIONS, SMB2_FLAGS_SIGNED, SMB2_HEADER_SIZE, Smb2Command } from './constants.js';
import type { Smb2Request } from './connection-types.js';
import { writeHeader } from './header.js';

export interface RequestFraming {
  messageId: bigint;
  charge: number;
  /** CreditCharge as written: 0 on SMB 2.0.2, which has no multi-credit requests. */
  creditCharge: number;
  creditRequest: number;
  sign: boolean;
  /** SMB2_FLAGS_RELATED_OPERATIONS: works on the ids of the request before it in the chain. */
  relatedToPrevious: boolean;
  /** Another request follows in the chain: pad to 8 bytes and point NextCommand at it. */
  followed: boolean;
}

export function encodeRequest(req: Smb2Request, f: RequestFraming): Buffer[] {
  let length = SMB2_HEADER_SIZE;
  for (const b of req.body) length += b.length;
  const pad = f.followed ? (8 - (length % 8)) % 8 : 0;
  const header = Buffer.allocUnsafe(SMB2_HEADER_SIZE);
  writeHeader(header, {
    creditCharge: f.creditCharge,
    status: 0,
    command: req.command,
    credits: f.creditRequest,
    flags: (f.sign ? SMB2_FLAGS_SIGNED : 0) | (f.relatedToPrevious ? SMB2_FLAGS_RELATED_OPERATIONS : 0),
    nextCommand: f.followed ? length + pad : 0,
    messageId: f.messageId,
    treeId: req.treeId ?? 0,
    sessionId: req.sessionId ?? 0n,
  });
  return pad > 0 ? [header, ...req.body, Buffer.alloc(pad)] : [header, ...req.body];
}

/** CANCEL carries the request's MessageId (or, once it went async, its AsyncId), costs no credit, gets no answer. */
export function encodeCancel(req: Smb2Request, messageId: bigint, asyncId: bigint | undefined, sign: boolean): Buffer[] {
  const header = Buffer.allocUnsafe(SMB2_HEADER_SIZE);
  writeHeader(header, {
    creditCharge: 0,
    status: 0,
    command: Smb2Command.CANCEL,
    credits: 0,
    flags: sign ? SMB2_FLAGS_SIGNED : 0,
    nextCommand: 0,
    messageId,
    treeId: req.treeId ?? 0,
    sessionId: req.sessionId ?? 0n,
    ...(asyncId !== undefined ? { asyncId } : {}),
  });
  return [header, encodeCancelRequest()];
}
