// The test proxy's general hook API: every plain SMB2 PDU (compound chains split, MS-SMB2 3.2.4.1.4)
// goes through the registered hooks, requests with their connection and responses with the request
// they answer (matched by MessageId). A hook may replace a PDU, drop it, send several in its place,
// answer a request itself without forwarding it, or send more messages later on a timer. Encrypted
// messages (TRANSFORM_HEADER) and anything that is not SMB2 pass by untouched. Test code only.
import {
  chainPdus,
  commandName,
  magic,
  readHeader,
  responseTo,
  splitCompound,
  type HeaderView,
  type ResponseFields,
} from './smb2-pdu.js';

export type Direction = 'request' | 'response';

export interface RequestInfo {
  /** 1-based number of the proxied TCP connection. */
  connection: number;
  command: number;
  messageId: bigint;
  sessionId: bigint;
  treeId: number;
  /** The request PDU as the client sent it (before request hooks changed it). */
  bytes: Buffer;
}

/** undefined: pass unchanged; 'drop': send nothing; Buffer(s): send these instead, in order. */
export type HookResult = Buffer | Buffer[] | 'drop' | undefined;

export interface PduContext {
  connection: number;
  header: HeaderView;
  /** 1-based count of PDUs of this command in this direction on the whole proxy (interim responses apart). */
  nth: number;
  /** Sends messages to the client now or after `delayMs`, each in its own frame; they bypass the hooks. */
  toClient(msgs: Buffer | Buffer[], delayMs?: number): void;
  toServer(msgs: Buffer | Buffer[], delayMs?: number): void;
  /** Calls `fn` every `ms` until it returns false, `maxTimes` calls were made, or the connection closed. */
  every(ms: number, fn: () => boolean | void, maxTimes?: number): void;
  readonly closed: boolean;
  /** Ends this proxied connection (both sides). */
  destroy(): void;
}

export interface RequestContext extends PduContext {
  request: RequestInfo;
  /** Answers the request from the proxy (same MessageId, session, tree) and returns 'drop' so it is not forwarded. */
  respond(status: number, body: Buffer, extra?: Partial<ResponseFields>): 'drop';
}

export interface ResponseContext extends PduContext {
  /** The request this answers; undefined for unsolicited messages and unknown MessageIds. */
  request: RequestInfo | undefined;
}

export type RequestHook = (pdu: Buffer, ctx: RequestContext) => HookResult;
export type ResponseHook = (pdu: Buffer, ctx: ResponseContext) => HookResult;

/** What the proxy gives a connection's hooks: the two sockets' writers and its teardown. */
export interface ConnectionLink {
  id: number;
  /** Writes one message (framing added by the link). */
  writeClient(msg: Buffer): void;
  writeServer(msg: Buffer): void;
  destroy(): void;
  readonly closed: boolean;
}

interface Conn {
  link: ConnectionLink;
  requests: Map<bigint, RequestInfo>;
  timers: Set<NodeJS.Timeout>;
}

/** Requests remembered per connection; a client that never gets answers must not grow it forever. */
const MAX_REMEMBERED_REQUESTS = 8192;
const MAX_TIMER_CALLS = 100_000;

export class HookEngine {
  private readonly requestHooks: RequestHook[] = [];
  private readonly responseHooks: ResponseHook[] = [];
  private readonly nth = new Map<string, number>();
  private readonly live = new Map<number, Conn>();

  onRequest(hook: RequestHook): () => void {
    this.requestHooks.push(hook);
    return () => remove(this.requestHooks, hook);
  }

  onResponse(hook: ResponseHook): () => void {
    this.responseHooks.push(hook);
    return () => remove(this.responseHooks, hook);
  }

  clear(): void {
    this.requestHooks.length = 0;
    this.responseHooks.length = 0;
  }

  opened(link: ConnectionLink): void {
    this.live.set(link.id, { link, requests: new Map(), timers: new Set() });
  }

  closed(id: number): void {
    const c = this.live.get(id);
    if (c === undefined) return;
    for (const t of c.timers) clearTimeout(t);
    this.live.delete(id);
  }

  /** The messages to send on for one message that arrived; the same Buffer when nothing changed. */
  process(id: number, msg: Buffer, dir: Direction): Buffer[] {
    const conn = this.live.get(id);
    if (conn === undefined || magic(msg) !== 'smb2') return [msg];
    const spans = splitCompound(msg);
    let changed = false;
    const out: Buffer[] = [];
    for (const span of spans) {
      const pdu = msg.subarray(span.start, span.end);
      const results = dir === 'request' ? this.request(conn, pdu) : this.response(conn, pdu);
      if (results.length !== 1 || results[0] !== pdu) changed = true;
      out.push(...results);
    }
    if (!changed) return [msg];
    // A compound stays one message; a single PDU replaced by several goes out as several frames.
    return spans.length > 1 && out.length > 0 ? [chainPdus(out)] : out;
  }

  private request(conn: Conn, pdu: Buffer): Buffer[] {
    const header = readHeader(pdu);
    const request: RequestInfo = { connection: conn.link.id, command: header.command, messageId: header.messageId, sessionId: header.sessionId, treeId: header.treeId, bytes: pdu };
    conn.requests.set(header.messageId, request);
    if (conn.requests.size > MAX_REMEMBERED_REQUESTS) conn.requests.delete(conn.requests.keys().next().value as bigint);
    const base = this.context(conn, header, this.count('request', header.command));
    const ctx: RequestContext = {
      ...base,
      request,
      respond: (status, body, extra) => {
        base.toClient(responseTo(pdu, status, body, extra));
        return 'drop';
      },
    };
    return this.run(this.requestHooks, pdu, ctx);
  }

  private response(conn: Conn, pdu: Buffer): Buffer[] {
    const header = readHeader(pdu);
    const request = conn.requests.get(header.messageId);
    if (request !== undefined && !header.interim) conn.requests.delete(header.messageId);
    const nth = header.interim ? this.count('interim', header.command) : this.count('response', header.command);
    return this.run(this.responseHooks, pdu, { ...this.context(conn, header, nth), request });
  }

  private run<C>(hooks: readonly ((pdu: Buffer, ctx: C) => HookResult)[], pdu: Buffer, ctx: C): Buffer[] {
    let current = [pdu];
    for (const hook of [...hooks]) {
      const next: Buffer[] = [];
      for (const p of current) {
        // Hooks get their own copy: they may edit it in place and return it.
        const r = hook(p === pdu ? Buffer.from(p) : p, ctx);
        if (r === undefined) next.push(p);
        else if (r !== 'drop') next.push(...(Array.isArray(r) ? r : [r]));
      }
      current = next;
    }
    return current;
  }

  private count(kind: string, command: number): number {
    const key = `${kind}:${commandName(command)}`;
    const n = (this.nth.get(key) ?? 0) + 1;
    this.nth.set(key, n);
    return n;
  }

  private context(conn: Conn, header: HeaderView, nth: number): PduContext {
    const { link, timers } = conn;
    const later = (fn: () => void, ms: number): void => {
      if (ms <= 0) return fn();
      const t = setTimeout(() => {
        timers.delete(t);
        if (!link.closed) fn();
      }, ms);
      timers.add(t);
    };
    const sender = (write: (m: Buffer) => void) => (msgs: Buffer | Buffer[], delayMs = 0) =>
      later(() => {
        for (const m of Array.isArray(msgs) ? msgs : [msgs]) if (!link.closed) write(m);
      }, delayMs);
    return {
      connection: link.id,
      header,
      nth,
      toClient: sender((m) => link.writeClient(m)),
      toServer: sender((m) => link.writeServer(m)),
      every: (ms, fn, maxTimes = MAX_TIMER_CALLS) => {
        let calls = 0;
        const tick = (): void => {
          if (link.closed || calls++ >= maxTimes || fn() === false) return;
          later(tick, ms);
        };
        later(tick, ms);
      },
      get closed() {
        return link.closed;
      },
      destroy: () => link.destroy(),
    };
  }
}

function remove<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
