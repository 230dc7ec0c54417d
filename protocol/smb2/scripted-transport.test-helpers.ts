// Test-only: a transport that records what the client sends and lets a test answer as a server
// would, or as a hostile one would (imported by *.test.ts files only).
import type { Transport } from '../transport/tcp-transport.js';
import { Smb2Connection, type SessionSecurity } from './connection.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, SMB2_FLAGS_SIGNED, SMB2_HEADER_SIZE, Smb2Command } from './constants.js';
import { decodeHeader } from './header.js';

export const SESSION = 0x1122334455667788n;
export const TREE = 7;
const MARK = Buffer.from('valid-signature!'); // 16 bytes: what our fake signer writes and accepts

/** A transport that records what the client sends and lets the test answer. */
export class ScriptedTransport implements Transport {
  sent: Buffer[] = [];
  closed = false;
  closeError: unknown;
  readonly remoteAddress = '127.0.0.1';
  onSend: (msg: Buffer) => void = () => undefined;
  send(parts: readonly Buffer[]): void {
    const msg = Buffer.concat(parts);
    this.sent.push(msg);
    this.onSend(msg);
  }
  recycle(): void {}
  close(error?: unknown): void {
    this.closed = true;
    this.closeError = error;
  }
}

export function signer(signRequests: boolean): SessionSecurity {
  return {
    signRequests,
    hasKey: true,
    mustSign: () => false,
    sign: (parts) => MARK.copy(parts[0]!, 48),
    verify: (msg) => msg.subarray(48, 64).equals(MARK),
  };
}

export interface Answer {
  command?: number;
  status?: number;
  flags?: number;
  sessionId?: bigint;
  treeId?: number;
  messageId?: bigint;
  credits?: number;
  asyncId?: bigint;
  body?: Buffer;
}

/** A response to `req` (a request the client sent), altered by `a`. Signed with MARK if SIGNED is set. */
export function answer(req: Buffer, a: Answer = {}): Buffer {
  const h = decodeHeader(req);
  const body = a.body ?? Buffer.from([9, 0, 0, 0, 0, 0, 0, 0, 0]);
  const msg = Buffer.alloc(SMB2_HEADER_SIZE + body.length);
  msg.writeUInt32LE(0x424d53fe, 0);
  msg.writeUInt16LE(64, 4);
  msg.writeUInt32LE(a.status ?? 0, 8);
  msg.writeUInt16LE(a.command ?? h.command, 12);
  msg.writeUInt16LE(a.credits ?? 1, 14);
  const flags = a.flags ?? SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_SIGNED;
  msg.writeUInt32LE(flags, 16);
  msg.writeBigUInt64LE(a.messageId ?? h.messageId, 24);
  if (flags & SMB2_FLAGS_ASYNC_COMMAND) msg.writeBigUInt64LE(a.asyncId ?? 5n, 32);
  else msg.writeUInt32LE(a.treeId ?? h.treeId, 36);
  msg.writeBigUInt64LE(a.sessionId ?? h.sessionId, 40);
  if (flags & SMB2_FLAGS_SIGNED) MARK.copy(msg, 48);
  body.copy(msg, SMB2_HEADER_SIZE);
  return msg;
}

export function setup(opts: { signRequests?: boolean; timeoutMs?: number } = {}) {
  const transport = new ScriptedTransport();
  const conn = new Smb2Connection(transport, { timeoutMs: opts.timeoutMs ?? 2000 });
  conn.registerSession(SESSION, signer(opts.signRequests ?? true));
  return { transport, conn };
}

/** One exchange whose answer grants `credits`, as a server does after NEGOTIATE. */
export async function grant(transport: ScriptedTransport, conn: Smb2Connection, credits: number): Promise<void> {
  transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg, { credits })));
  await conn.send({ command: Smb2Command.ECHO, body: [Buffer.from([4, 0, 0, 0])] });
}
