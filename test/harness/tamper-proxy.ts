// A man in the middle for the security and hostile-server suites: a TCP proxy on 127.0.0.1 in front
// of a harness smbd that splits both directions into NetBIOS session messages (RFC 1002 4.3.1 as used
// by MS-SMB2 2.1: 0x00 + 24-bit big-endian length) and lets a test rewrite them: one-shot rules (flip
// a byte in a signed or encrypted response, strip or drop negotiate contexts, rewrite the offered
// dialects) and persistent hooks over every plain SMB2 PDU (onRequest / onResponse, see mitm/hooks.ts).
// Everything else passes through byte for byte. Test code only.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { frame, FrameSplitter } from './mitm/framing.js';
import { HookEngine, type Direction, type RequestHook, type ResponseHook } from './mitm/hooks.js';
import { editNegotiateRequest, editNegotiateResponse, NegotiateContextType } from './mitm/negotiate-edit.js';
import { commandName, magic, Smb2Command, splitCompound, STATUS_PENDING, TRANSFORM_HEADER_SIZE } from './mitm/smb2-pdu.js';

export { frame, FrameSplitter } from './mitm/framing.js';
export { editNegotiateRequest, editNegotiateResponse, NegotiateContextType, type NegotiateRequestEdit } from './mitm/negotiate-edit.js';
export { Smb2Command, splitCompound, type PduInfo } from './mitm/smb2-pdu.js';
export type { Direction, HookResult, RequestContext, RequestHook, RequestInfo, ResponseContext, ResponseHook } from './mitm/hooks.js';


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
  /** Forgets every rule that has not fired yet (hooks stay: see clearHooks). */
  clearRules(): void;
  /**
   * Calls `hook` for every plain SMB2 request PDU, compound chains split, until the returned
   * function is called. The hook may replace, drop or multiply it, or answer it itself (ctx.respond).
   */
  onRequest(hook: RequestHook): () => void;
  /** Likewise for every plain SMB2 response PDU, with the request it answers (ctx.request). */
  onResponse(hook: ResponseHook): () => void;
  clearHooks(): void;
  /** Destroys every proxied connection; the proxy keeps listening. */
  dropConnections(): void;
  /** What rules and hooks threw (each ended its connection). */
  errors(): Error[];
  counters(): ProxyCounters;
  /** Stops listening and destroys every proxied connection. Idempotent. */
  close(): Promise<void>;
}

export interface ProxyTarget {
  host: string;
  port: number;
}

type Rule = (msg: Buffer, dir: Direction) => Buffer | undefined;

/** Keeps the rules and counters; `process` is what the sockets call for every message. */
export class Tamperer {
  private rules: Rule[] = [];
  readonly errors: Error[] = [];
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

  /** Returns the new connection's 1-based number. */
  connectionOpened(): number {
    this.c.openConnections++;
    return ++this.c.connections;
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

  /** The message after the one-shot rules; count() what is finally sent. */
  applyRules(msg: Buffer, dir: Direction): Buffer {
    let out = msg;
    for (const rule of [...this.rules]) {
      const replaced = rule(out, dir);
      if (replaced !== undefined) {
        out = replaced;
        this.c.tampered++;
        this.rules = this.rules.filter((r) => r !== rule);
      }
    }
    return out;
  }

  count(msg: Buffer, dir: Direction): void {
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

function pipe(client: Socket, server: Socket, t: Tamperer, hooks: HookEngine, id: number, dir: Direction): void {
  const [from, to] = dir === 'request' ? [client, server] : [server, client];
  const splitter = new FrameSplitter();
  from.on('data', (chunk: Buffer) => {
    try {
      let flowing = true;
      for (const msg of splitter.push(chunk)) {
        for (const out of hooks.process(id, t.applyRules(msg, dir), dir)) {
          t.count(out, dir);
          flowing = to.write(frame(out));
        }
      }
      // Backpressure: a slow reader on one side pauses the other instead of growing our buffers.
      if (!flowing) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    } catch (e) {
      // A rule or hook that throws (or a message too large to frame) ends the connection, and the
      // test can see why: a hook bug must not pass for the client refusing something.
      t.errors.push(e instanceof Error ? e : new Error(String(e)));
      client.destroy();
      server.destroy();
    }
  });
}

export async function startTamperProxy(target: ProxyTarget): Promise<TamperProxy> {
  const t = new Tamperer();
  const hooks = new HookEngine();
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.host, port: target.port });
    const id = t.connectionOpened();
    const send = (s: Socket, dir: Direction) => (m: Buffer) => {
      if (s.destroyed) return;
      t.count(m, dir);
      s.write(frame(m));
    };
    hooks.opened({
      id,
      writeClient: send(client, 'response'),
      writeServer: send(upstream, 'request'),
      destroy: () => {
        client.destroy();
        upstream.destroy();
      },
      get closed() {
        return client.destroyed || upstream.destroyed;
      },
    });
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
    upstream.once('close', () => {
      t.connectionClosed();
      hooks.closed(id);
    });
    pipe(client, upstream, t, hooks, id, 'request');
    pipe(client, upstream, t, hooks, id, 'response');
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
    onRequest: (hook) => hooks.onRequest(hook),
    onResponse: (hook) => hooks.onResponse(hook),
    clearHooks: () => hooks.clear(),
    errors: () => [...t.errors],
    dropConnections: () => {
      for (const s of sockets) s.destroy();
    },
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
