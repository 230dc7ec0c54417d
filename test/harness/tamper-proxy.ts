// A man in the middle for the security suites: a TCP proxy on 127.0.0.1 in front of a harness
// smbd that splits both directions into NetBIOS session messages (RFC 1002 4.3.1 as used by
// MS-SMB2 2.1: 0x00 + 24-bit big-endian length) and lets a test rewrite chosen messages:
// flip a byte in a signed or encrypted response, strip or drop negotiate contexts, rewrite the
// offered dialects. Everything else passes through byte for byte. Test code only.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

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
  IOCTL: 0x0b,
  QUERY_DIRECTORY: 0x0e,
  QUERY_INFO: 0x10,
  SET_INFO: 0x11,
} as const;

/** Negotiate context types (MS-SMB2 2.2.3.1). */
export const NegotiateContextType = {
  PREAUTH_INTEGRITY_CAPABILITIES: 0x0001,
  ENCRYPTION_CAPABILITIES: 0x0002,
  COMPRESSION_CAPABILITIES: 0x0003,
  NETNAME_NEGOTIATE_CONTEXT_ID: 0x0005,
  SIGNING_CAPABILITIES: 0x0008,
} as const;

export type Direction = 'request' | 'response';

export interface FlipRule {
  /** SMB2 command whose response to corrupt (see Smb2Command). */
  command: number;
  /** Which response of that command, 1-based, not counting interim STATUS_PENDING ones. Default 1. */
  nth?: number;
  /** Byte offset from the start of that PDU's SMB2 header (0-63 header, 64+ body). */
  offset: number;
}

export interface EncryptedFlipRule {
  /** Which server→client transform message (MS-SMB2 2.2.41), 1-based, among those of at least minLength bytes. Default 1. */
  nth?: number;
  minLength?: number;
  /** Byte offset from the start of the transform header; default 52 + 80, inside the ciphertext. */
  offset?: number;
}

export interface ProxyCounters {
  connections: number;
  openConnections: number;
  /** Messages passed client→server / server→client (after rewriting). */
  requests: number;
  responses: number;
  /** Of those, wrapped in an SMB2 TRANSFORM_HEADER (0xFD 'SMB'). */
  encryptedRequests: number;
  encryptedResponses: number;
  /** Plain SMB2 PDUs seen per command name, per direction (responses without STATUS_PENDING). */
  requestsByCommand: Record<string, number>;
  responsesByCommand: Record<string, number>;
  /** Rules that fired. */
  tampered: number;
}

export interface TamperProxy {
  host: '127.0.0.1';
  port: number;
  flipByteInResponse(rule: FlipRule): void;
  flipByteInEncryptedResponse(rule?: EncryptedFlipRule): void;
  /** Removes every negotiate context from the client's NEGOTIATE request (default) or the server's response. */
  stripNegotiateContexts(direction?: Direction): void;
  /** Removes the ENCRYPTION_CAPABILITIES context from the NEGOTIATE request (default) or response. */
  dropEncryptContext(direction?: Direction): void;
  /** Replaces the dialect array of the client's NEGOTIATE request; contexts go too unless 0x0311 stays. */
  rewriteDialects(dialects: readonly number[]): void;
  /** Forgets every rule that has not fired yet. */
  clearRules(): void;
  counters(): ProxyCounters;
  /** Stops listening and destroys every proxied connection. Idempotent. */
  close(): Promise<void>;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

const HEADER_SIZE = 64;
const TRANSFORM_HEADER_SIZE = 52;
const SMB2_FLAGS_SERVER_TO_REDIR = 0x1;
const STATUS_PENDING = 0x00000103;
const MAX_PDUS_PER_MESSAGE = 64;
const MAX_CONTEXTS = 64;

const commandName = (c: number): string =>
  Object.entries(Smb2Command).find(([, v]) => v === c)?.[0] ?? `0x${c.toString(16).padStart(2, '0')}`;

function magic(msg: Buffer): 'smb2' | 'transform' | 'other' {
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
    const next = msg.readUInt32LE(start + 20);
    const end = next === 0 || start + next > msg.length ? msg.length : start + next;
    out.push({
      start,
      end,
      command: msg.readUInt16LE(start + 12),
      isResponse: (msg.readUInt32LE(start + 16) & SMB2_FLAGS_SERVER_TO_REDIR) !== 0,
      status: msg.readUInt32LE(start + 8),
    });
    if (next === 0 || next < HEADER_SIZE) break;
    start += next;
  }
  return out;
}

const align8 = (n: number): number => (n + 7) & ~7;

interface Context {
  type: number;
  bytes: Buffer;
}

/** Reads a negotiate context list (MS-SMB2 2.2.3.1: 8-byte header, contexts 8-byte aligned). */
function readContexts(msg: Buffer, offset: number, count: number): Context[] {
  const out: Context[] = [];
  let at = offset;
  for (let i = 0; i < Math.min(count, MAX_CONTEXTS); i++) {
    at = align8(at);
    if (at + 8 > msg.length) break;
    const len = msg.readUInt16LE(at + 2);
    if (at + 8 + len > msg.length) break;
    out.push({ type: msg.readUInt16LE(at), bytes: msg.subarray(at, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}

/** `prefix`, padded to 8, then the contexts each padded to 8 (the last one unpadded). */
function withContexts(prefix: Buffer, contexts: readonly Context[]): { msg: Buffer; offset: number } {
  if (contexts.length === 0) return { msg: prefix, offset: 0 };
  const parts: Buffer[] = [prefix];
  let len = prefix.length;
  const offset = align8(len);
  for (const c of contexts) {
    const pad = align8(len) - len;
    parts.push(Buffer.alloc(pad), c.bytes);
    len += pad + c.bytes.length;
  }
  return { msg: Buffer.concat(parts), offset };
}

export interface NegotiateRequestEdit {
  dialects?: readonly number[];
  keepContext?: (type: number) => boolean;
}

/**
 * Rebuilds an SMB2 NEGOTIATE request (MS-SMB2 2.2.3): StructureSize 36, DialectCount at body+2,
 * NegotiateContextOffset (from the header start) at body+28, NegotiateContextCount at body+32,
 * Dialects at body+36. Returns undefined when the message is not one.
 */
export function editNegotiateRequest(msg: Buffer, edit: NegotiateRequestEdit): Buffer | undefined {
  const b = HEADER_SIZE;
  if (msg.length < b + 36 || msg.readUInt16LE(b) !== 36) return undefined;
  const count = msg.readUInt16LE(b + 2);
  if (b + 36 + 2 * count > msg.length) return undefined;
  const oldDialects = Array.from({ length: count }, (_, i) => msg.readUInt16LE(b + 36 + 2 * i));
  const dialects = edit.dialects ?? oldDialects;
  // Without 0x0311 the context fields are ClientStartTime (MS-SMB2 2.2.3) and no list follows.
  let contexts = oldDialects.includes(0x0311) ? readContexts(msg, msg.readUInt32LE(b + 28), msg.readUInt16LE(b + 32)) : [];
  if (!dialects.includes(0x0311)) contexts = [];
  contexts = contexts.filter((c) => edit.keepContext?.(c.type) ?? true);
  const prefix = Buffer.alloc(b + 36 + 2 * dialects.length);
  msg.copy(prefix, 0, 0, b + 36);
  dialects.forEach((d, i) => prefix.writeUInt16LE(d, b + 36 + 2 * i));
  prefix.writeUInt16LE(dialects.length, b + 2);
  const out = withContexts(prefix, contexts);
  out.msg.writeUInt32LE(out.offset, b + 28);
  out.msg.writeUInt16LE(contexts.length, b + 32);
  out.msg.writeUInt16LE(0, b + 34);
  return out.msg;
}

/**
 * Drops negotiate contexts from an SMB2 NEGOTIATE response (MS-SMB2 2.2.4): StructureSize 65,
 * NegotiateContextCount at body+6, SecurityBufferOffset/Length at body+56/58,
 * NegotiateContextOffset at body+60. Returns undefined when it is not a 3.1.1 response.
 */
export function editNegotiateResponse(msg: Buffer, keepContext: (type: number) => boolean): Buffer | undefined {
  const b = HEADER_SIZE;
  if (msg.length < b + 64 || msg.readUInt16LE(b) !== 65 || msg.readUInt16LE(b + 4) !== 0x0311) return undefined;
  const secEnd = Math.max(b + 64, msg.readUInt16LE(b + 56) + msg.readUInt16LE(b + 58));
  if (secEnd > msg.length) return undefined;
  const contexts = readContexts(msg, msg.readUInt32LE(b + 60), msg.readUInt16LE(b + 6)).filter((c) => keepContext(c.type));
  const out = withContexts(Buffer.from(msg.subarray(0, secEnd)), contexts);
  out.msg.writeUInt16LE(contexts.length, b + 6);
  out.msg.writeUInt32LE(out.offset, b + 60);
  return out.msg;
}

/** Splits a byte stream into NetBIOS session messages; throws on a non-zero type byte. */
export class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      if (this.buf[0] !== 0) throw new Error(`not a NetBIOS session message (type 0x${(this.buf[0] ?? 0).toString(16)})`);
      const len = this.buf.readUIntBE(1, 3);
      if (this.buf.length < 4 + len) break;
      out.push(Buffer.from(this.buf.subarray(4, 4 + len)));
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }
}

export function frame(msg: Buffer): Buffer {
  if (msg.length > 0xffffff) throw new Error(`message of ${msg.length} bytes does not fit the 24-bit length`);
  const head = Buffer.alloc(4);
  head.writeUIntBE(msg.length, 1, 3);
  return Buffer.concat([head, msg]);
}

type Rule = (msg: Buffer, dir: Direction) => Buffer | undefined;

/** Keeps the rules and counters; `process` is what the sockets call for every message. */
export class Tamperer {
  private rules: Rule[] = [];
  private readonly c: ProxyCounters = {
    connections: 0,
    openConnections: 0,
    requests: 0,
    responses: 0,
    encryptedRequests: 0,
    encryptedResponses: 0,
    requestsByCommand: {},
    responsesByCommand: {},
    tampered: 0,
  };

  get counters(): ProxyCounters {
    return { ...this.c, requestsByCommand: { ...this.c.requestsByCommand }, responsesByCommand: { ...this.c.responsesByCommand } };
  }

  connectionOpened(): void {
    this.c.connections++;
    this.c.openConnections++;
  }

  connectionClosed(): void {
    this.c.openConnections--;
  }

  /** Adds a one-shot rule: it fires on the first message for which it returns a replacement. */
  add(rule: Rule): void {
    this.rules.push(rule);
  }

  clear(): void {
    this.rules = [];
  }

  process(msg: Buffer, dir: Direction): Buffer {
    let out = msg;
    for (const rule of [...this.rules]) {
      const replaced = rule(out, dir);
      if (replaced !== undefined) {
        out = replaced;
        this.c.tampered++;
        this.rules = this.rules.filter((r) => r !== rule);
      }
    }
    this.count(out, dir);
    return out;
  }

  private count(msg: Buffer, dir: Direction): void {
    const kind = magic(msg);
    if (dir === 'request') this.c.requests++;
    else this.c.responses++;
    if (kind === 'transform') {
      if (dir === 'request') this.c.encryptedRequests++;
      else this.c.encryptedResponses++;
    }
    if (kind !== 'smb2') return;
    const table = dir === 'request' ? this.c.requestsByCommand : this.c.responsesByCommand;
    for (const p of splitCompound(msg)) {
      if (p.isResponse && p.status === STATUS_PENDING) continue;
      const name = commandName(p.command);
      table[name] = (table[name] ?? 0) + 1;
    }
  }
}

function flipRule(r: FlipRule): Rule {
  const nth = r.nth ?? 1;
  let seen = 0;
  return (msg, dir) => {
    if (dir !== 'response' || magic(msg) !== 'smb2') return undefined;
    for (const p of splitCompound(msg)) {
      if (!p.isResponse || p.command !== r.command || p.status === STATUS_PENDING) continue;
      if (++seen !== nth) continue;
      const at = p.start + r.offset;
      if (at >= p.end) throw new Error(`flip offset ${r.offset} is outside the ${commandName(r.command)} response (${p.end - p.start} bytes)`);
      const out = Buffer.from(msg);
      out[at] = (out[at] ?? 0) ^ 0xff;
      return out;
    }
    return undefined;
  };
}

function encryptedFlipRule(r: EncryptedFlipRule): Rule {
  const nth = r.nth ?? 1;
  let seen = 0;
  const offset = r.offset ?? TRANSFORM_HEADER_SIZE + 80;
  return (msg, dir) => {
    if (dir !== 'response' || magic(msg) !== 'transform' || msg.length < (r.minLength ?? 0)) return undefined;
    if (++seen !== nth || offset >= msg.length) return undefined;
    const out = Buffer.from(msg);
    out[offset] = (out[offset] ?? 0) ^ 0xff;
    return out;
  };
}

function negotiateRule(direction: Direction, edit: (msg: Buffer) => Buffer | undefined): Rule {
  return (msg, dir) => {
    if (dir !== direction || magic(msg) !== 'smb2') return undefined;
    const [p] = splitCompound(msg);
    if (p === undefined || p.command !== Smb2Command.NEGOTIATE || p.isResponse !== (direction === 'response')) return undefined;
    return edit(msg);
  };
}

const none = (): boolean => false;
const notEncryption = (type: number): boolean => type !== NegotiateContextType.ENCRYPTION_CAPABILITIES;

function pipe(client: Socket, server: Socket, t: Tamperer, dir: Direction): void {
  const [from, to] = dir === 'request' ? [client, server] : [server, client];
  const splitter = new FrameSplitter();
  from.on('data', (chunk: Buffer) => {
    try {
      let flowing = true;
      for (const msg of splitter.push(chunk)) flowing = to.write(frame(t.process(msg, dir)));
      // Backpressure: a slow reader on one side pauses the other instead of growing our buffers.
      if (!flowing) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    } catch {
      client.destroy();
      server.destroy();
    }
  });
}

export async function startTamperProxy(target: ProxyTarget): Promise<TamperProxy> {
  const t = new Tamperer();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    t.connectionOpened();
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      // Either side closing (or failing) closes the other: a proxy must not keep half a session.
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
      s.on('error', () => undefined);
    }
    upstream.once('close', () => t.connectionClosed());
    pipe(client, upstream, t, 'request');
    pipe(client, upstream, t, 'response');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');
  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port: address.port,
    flipByteInResponse: (rule) => t.add(flipRule(rule)),
    flipByteInEncryptedResponse: (rule = {}) => t.add(encryptedFlipRule(rule)),
    stripNegotiateContexts: (direction = 'request') =>
      t.add(
        negotiateRule(direction, (m) =>
          direction === 'request' ? editNegotiateRequest(m, { keepContext: none }) : editNegotiateResponse(m, none),
        ),
      ),
    dropEncryptContext: (direction = 'request') =>
      t.add(
        negotiateRule(direction, (m) =>
          direction === 'request' ? editNegotiateRequest(m, { keepContext: notEncryption }) : editNegotiateResponse(m, notEncryption),
        ),
      ),
    rewriteDialects: (dialects) => t.add(negotiateRule('request', (m) => editNegotiateRequest(m, { dialects }))),
    clearRules: () => t.clear(),
    counters: () => t.counters,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
