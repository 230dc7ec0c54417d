// SMB2 PDUs as the test proxy sees them: the 64-byte header (MS-SMB2 2.2.1.1 async, 2.2.1.2 sync),
// compound chains (NextCommand, 3.2.4.1.4), and responses the proxy writes itself (error bodies
// 2.2.2, interim STATUS_PENDING 3.3.4.2, oplock and lease break notifications 2.2.23.1/2.2.23.2).
// Test code only: it reads what it is given and never throws on short input unless asked to build.

/** SMB2 command codes (MS-SMB2 2.2.1.2), for rules and counters. */
export const Smb2Command = {
  NEGOTIATE: 0x00,
  SESSION_SETUP: 0x01,
  LOGOFF: 0x02,
  TREE_CONNECT: 0x03,
  TREE_DISCONNECT: 0x04,
  CREATE: 0x05,
  CLOSE: 0x06,
  FLUSH: 0x07,
  READ: 0x08,
  WRITE: 0x09,
  LOCK: 0x0a,
  IOCTL: 0x0b,
  CANCEL: 0x0c,
  ECHO: 0x0d,
  QUERY_DIRECTORY: 0x0e,
  CHANGE_NOTIFY: 0x0f,
  QUERY_INFO: 0x10,
  SET_INFO: 0x11,
  OPLOCK_BREAK: 0x12,
} as const;

export const HEADER_SIZE = 64;
export const TRANSFORM_HEADER_SIZE = 52;
export const SMB2_FLAGS_SERVER_TO_REDIR = 0x1;
export const SMB2_FLAGS_ASYNC_COMMAND = 0x2;
export const SMB2_FLAGS_SIGNED = 0x8;
export const STATUS_SUCCESS = 0x00000000;
export const STATUS_PENDING = 0x00000103;
export const STATUS_NO_MORE_FILES = 0x80000006;
/** MS-SMB2 3.2.5.19: the MessageId of an unsolicited (break) message. */
export const UNSOLICITED_MESSAGE_ID = 0xffffffffffffffffn;

/** Header field offsets (MS-SMB2 2.2.1). */
export const Hdr = {
  CreditCharge: 6,
  Status: 8,
  Command: 12,
  Credits: 14,
  Flags: 16,
  NextCommand: 20,
  MessageId: 24,
  AsyncId: 32,
  TreeId: 36,
  SessionId: 40,
  Signature: 48,
} as const;

const MAX_PDUS_PER_MESSAGE = 64;

export const commandName = (c: number): string =>
  Object.entries(Smb2Command).find(([, v]) => v === c)?.[0] ?? `0x${c.toString(16).padStart(2, '0')}`;

export function magic(msg: Buffer): 'smb2' | 'transform' | 'other' {
  if (msg.length >= HEADER_SIZE && msg[0] === 0xfe && msg.toString('latin1', 1, 4) === 'SMB') return 'smb2';
  if (msg.length >= TRANSFORM_HEADER_SIZE && msg[0] === 0xfd && msg.toString('latin1', 1, 4) === 'SMB') return 'transform';
  return 'other';
}

export interface PduInfo {
  start: number;
  end: number;
  command: number;
  isResponse: boolean;
  status: number;
}

/** The PDUs of one SMB2 message, following NextCommand (MS-SMB2 2.2.1.2, 3.2.4.1.4). */
export function splitCompound(msg: Buffer): PduInfo[] {
  const out: PduInfo[] = [];
  let start = 0;
  while (out.length < MAX_PDUS_PER_MESSAGE && start + HEADER_SIZE <= msg.length) {
    if (msg[start] !== 0xfe) break;
    const next = msg.readUInt32LE(start + Hdr.NextCommand);
    const end = next === 0 || start + next > msg.length ? msg.length : start + next;
    out.push({
      start,
      end,
      command: msg.readUInt16LE(start + Hdr.Command),
      isResponse: (msg.readUInt32LE(start + Hdr.Flags) & SMB2_FLAGS_SERVER_TO_REDIR) !== 0,
      status: msg.readUInt32LE(start + Hdr.Status),
    });
    if (next === 0 || next < HEADER_SIZE) break;
    start += next;
  }
  return out;
}

/** PDUs back into one compound message: each but the last padded to 8 with NextCommand set (3.2.4.1.4). */
export function chainPdus(pdus: readonly Buffer[]): Buffer {
  if (pdus.length === 1) return pdus[0]!;
  const parts: Buffer[] = [];
  pdus.forEach((p, i) => {
    const last = i === pdus.length - 1;
    // A PDU cut shorter than its NextCommand field (a fuzzer's truncation) is zero-padded to hold it.
    const len = last ? p.length : (Math.max(p.length, Hdr.NextCommand + 4) + 7) & ~7;
    const out = Buffer.alloc(len);
    p.copy(out);
    if (out.length >= Hdr.NextCommand + 4) out.writeUInt32LE(last ? 0 : len, Hdr.NextCommand);
    parts.push(out);
  });
  return Buffer.concat(parts);
}

/** The header fields a hook usually wants, read once. */
export interface HeaderView {
  command: number;
  status: number;
  flags: number;
  credits: number;
  creditCharge: number;
  messageId: bigint;
  sessionId: bigint;
  /** 0 in an async header. */
  treeId: number;
  isResponse: boolean;
  /** STATUS_PENDING with the async flag: an interim response (MS-SMB2 3.3.4.2). */
  interim: boolean;
}

export function readHeader(pdu: Buffer): HeaderView {
  const flags = pdu.readUInt32LE(Hdr.Flags);
  const status = pdu.readUInt32LE(Hdr.Status);
  const isResponse = (flags & SMB2_FLAGS_SERVER_TO_REDIR) !== 0;
  return {
    command: pdu.readUInt16LE(Hdr.Command),
    status,
    flags,
    credits: pdu.readUInt16LE(Hdr.Credits),
    creditCharge: pdu.readUInt16LE(Hdr.CreditCharge),
    messageId: pdu.readBigUInt64LE(Hdr.MessageId),
    sessionId: pdu.readBigUInt64LE(Hdr.SessionId),
    treeId: flags & SMB2_FLAGS_ASYNC_COMMAND ? 0 : pdu.readUInt32LE(Hdr.TreeId),
    isResponse,
    interim: isResponse && status === STATUS_PENDING && (flags & SMB2_FLAGS_ASYNC_COMMAND) !== 0,
  };
}

/**
 * Makes a signed response look like an unsigned one from another session: SessionId replaced,
 * SMB2_FLAGS_SIGNED cleared, Signature zeroed (the forgery of issue 7 item 1). Edits in place.
 */
export function stripSignature(pdu: Buffer, sessionId: bigint): Buffer {
  pdu.writeBigUInt64LE(sessionId, Hdr.SessionId);
  pdu.writeUInt32LE(pdu.readUInt32LE(Hdr.Flags) & ~SMB2_FLAGS_SIGNED, Hdr.Flags);
  pdu.fill(0, Hdr.Signature, Hdr.Signature + 16);
  return pdu;
}

export interface ResponseFields {
  command: number;
  messageId: bigint;
  status?: number;
  sessionId?: bigint;
  treeId?: number;
  /** Set to write an async header (and the ASYNC flag) instead of a sync one. */
  asyncId?: bigint;
  credits?: number;
  creditCharge?: number;
  /** Extra flags beyond SERVER_TO_REDIR (and ASYNC when asyncId is given). */
  flags?: number;
}

/** A response header + body; never signed. */
export function buildResponse(h: ResponseFields, body: Buffer): Buffer {
  const out = Buffer.alloc(HEADER_SIZE + body.length);
  out.write('\xfeSMB', 0, 'latin1');
  out.writeUInt16LE(HEADER_SIZE, 4);
  out.writeUInt16LE(h.creditCharge ?? 0, Hdr.CreditCharge);
  out.writeUInt32LE((h.status ?? STATUS_SUCCESS) >>> 0, Hdr.Status);
  out.writeUInt16LE(h.command, Hdr.Command);
  out.writeUInt16LE(h.credits ?? 1, Hdr.Credits);
  const async = h.asyncId !== undefined;
  out.writeUInt32LE((SMB2_FLAGS_SERVER_TO_REDIR | (async ? SMB2_FLAGS_ASYNC_COMMAND : 0) | (h.flags ?? 0)) >>> 0, Hdr.Flags);
  out.writeBigUInt64LE(h.messageId, Hdr.MessageId);
  if (async) out.writeBigUInt64LE(h.asyncId ?? 0n, Hdr.AsyncId);
  else out.writeUInt32LE((h.treeId ?? 0) >>> 0, Hdr.TreeId);
  out.writeBigUInt64LE(h.sessionId ?? 0n, Hdr.SessionId);
  body.copy(out, HEADER_SIZE);
  return out;
}

/** The answer to `request` with this status and body: same command, MessageId, SessionId, TreeId. */
export function responseTo(request: Buffer, status: number, body: Buffer, extra: Partial<ResponseFields> = {}): Buffer {
  const q = readHeader(request);
  return buildResponse(
    {
      command: q.command,
      messageId: q.messageId,
      status,
      sessionId: q.sessionId,
      treeId: q.treeId,
      // Grant back what the request spent, so the client's window neither starves nor grows.
      credits: Math.max(1, q.creditCharge),
      creditCharge: q.creditCharge,
      ...extra,
    },
    body,
  );
}

/** MS-SMB2 2.2.2 SMB2 ERROR Response: StructureSize 9, no error contexts, one byte of ErrorData. */
export function errorBody(): Buffer {
  const b = Buffer.alloc(9);
  b.writeUInt16LE(9, 0);
  return b;
}

/** An interim response (MS-SMB2 3.3.4.2) for `request`: ASYNC | SERVER_TO_REDIR, STATUS_PENDING. */
export function interimResponse(request: Buffer, asyncId: bigint, credits = 0): Buffer {
  return responseTo(request, STATUS_PENDING, errorBody(), { asyncId, credits });
}

/** MS-SMB2 2.2.23.1 Oplock Break Notification: StructureSize 24, OplockLevel, FileId. */
export function oplockBreakNotification(fileId: Buffer = Buffer.alloc(16, 0x5a), oplockLevel = 0): Buffer {
  const body = Buffer.alloc(24);
  body.writeUInt16LE(24, 0);
  body.writeUInt8(oplockLevel, 2);
  fileId.copy(body, 8, 0, 16);
  return buildResponse({ command: Smb2Command.OPLOCK_BREAK, messageId: UNSOLICITED_MESSAGE_ID, credits: 0 }, body);
}

/** MS-SMB2 2.2.23.2 Lease Break Notification: StructureSize 44, NewEpoch, Flags, LeaseKey, states. */
export function leaseBreakNotification(leaseKey: Buffer = Buffer.alloc(16, 0xa5)): Buffer {
  const body = Buffer.alloc(44);
  body.writeUInt16LE(44, 0);
  body.writeUInt16LE(2, 2); // NewEpoch
  body.writeUInt32LE(0x01, 4); // SMB2_NOTIFY_BREAK_LEASE_FLAG_ACK_REQUIRED
  leaseKey.copy(body, 8, 0, 16);
  body.writeUInt32LE(0x07, 24); // CurrentLeaseState: READ | HANDLE | WRITE caching
  body.writeUInt32LE(0x01, 28); // NewLeaseState: READ caching
  return buildResponse({ command: Smb2Command.OPLOCK_BREAK, messageId: UNSOLICITED_MESSAGE_ID, credits: 0 }, body);
}
