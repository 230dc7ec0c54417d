// The one client object the UI talks through. In Electron the preload exposes it (frozen, built
// from the contract); under `sharekeeper serve` it is built here from the names the server's
// hello lists, over a WebSocket. Either way the UI never writes a channel name.
import type { ApiClient, Result, ServerMessage, StreamRoutes } from '../../../main/api/types.js';

export type { ApiClient };

/** The few lines of main/api/client.ts buildApiClient, repeated: the renderer may not import main/ at run time. */
export function buildClient(
  requestNames: readonly string[],
  eventNames: readonly string[],
  invoke: (name: string, args: unknown) => Promise<Result<unknown>>,
  subscribe: (name: string, listener: (payload: unknown) => void) => () => void,
): ApiClient {
  const root: Record<string, Record<string, unknown>> = {};
  for (const name of requestNames) {
    const [ns, member] = split(name);
    (root[ns] ??= {})[member] = (args?: unknown) => invoke(name, args ?? {});
  }
  const on: Record<string, Record<string, unknown>> = {};
  for (const name of eventNames) {
    const [ns, member] = split(name);
    (on[ns] ??= {})[member] = (listener: (payload: unknown) => void) => subscribe(name, listener);
  }
  for (const o of [...Object.values(root), ...Object.values(on)]) Object.freeze(o);
  return Object.freeze({ ...root, on: Object.freeze(on) }) as unknown as ApiClient;
}

function split(name: string): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}

export interface Connection {
  api: ApiClient;
  /** serve only: where files stream to and from the browser. */
  streams: StreamRoutes | undefined;
  /** Called when the link to main drops and comes back (state must be fetched again). */
  onReconnect(listener: () => void): void;
  onStatus(listener: (up: boolean) => void): void;
}

/** A safety net only: main enforces each request's own deadline and always answers before this. */
const CLIENT_DEADLINE_MS = 330_000;

/** Connects to serve's WebSocket; resolves once the server said hello. Reconnects by itself. */
export function connectWebSocket(url: string): Promise<Connection> {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const reconnectListeners: (() => void)[] = [];
  const statusListeners: ((up: boolean) => void)[] = [];
  let ws: WebSocket | undefined;
  let nextId = 1;
  let delay = 250;
  let first = true;

  const failAll = (): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'unreachable', message: 'Lost the connection to ShareKeeper' } });
      pending.delete(id);
    }
  };

  return new Promise((resolve) => {
    const open = (): void => {
      const sock = new WebSocket(url);
      ws = sock;
      sock.onmessage = (ev) => {
        const m = JSON.parse(String(ev.data)) as ServerMessage;
        if (m.t === 'hello') {
          delay = 250;
          statusListeners.forEach((l) => l(true));
          if (first) {
            first = false;
            const api = buildClient(m.requests, m.events, invoke, subscribe);
            resolve({ api, streams: m.streams, onReconnect: (l) => reconnectListeners.push(l), onStatus: (l) => statusListeners.push(l) });
          } else reconnectListeners.forEach((l) => l());
        } else if (m.t === 'res') {
          const p = pending.get(m.id);
          if (p) {
            clearTimeout(p.timer);
            pending.delete(m.id);
            p.resolve(m.result);
          }
        } else if (m.t === 'evt') {
          for (const l of listeners.get(m.name) ?? []) l(m.payload);
        }
      };
      sock.onclose = () => {
        failAll();
        statusListeners.forEach((l) => l(false));
        setTimeout(open, delay);
        delay = Math.min(delay * 2, 5000);
      };
    };

    const invoke = (name: string, args: unknown): Promise<Result<unknown>> =>
      new Promise((res) => {
        if (ws === undefined || ws.readyState !== WebSocket.OPEN) {
          res({ ok: false, error: { code: 'unreachable', message: 'Not connected to ShareKeeper' } });
          return;
        }
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          res({ ok: false, error: { code: 'timeout', message: 'ShareKeeper did not answer' } });
        }, CLIENT_DEADLINE_MS);
        pending.set(id, { resolve: res, timer });
        ws.send(JSON.stringify({ t: 'req', id, name, args }));
      });

    const subscribe = (name: string, listener: (p: unknown) => void): (() => void) => {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    };

    open();
  });
}

declare global {
  interface Window {
    /** The Electron preload's object (absent under serve). */
    sharekeeper?: ApiClient;
  }
}

/** The Electron preload's client when there is one, else serve's WebSocket. */
export async function connect(): Promise<Connection> {
  if (window.sharekeeper !== undefined) {
    const api = window.sharekeeper;
    return { api, streams: undefined, onReconnect: () => undefined, onStatus: () => undefined };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return connectWebSocket(`${scheme}://${location.host}/api/ws`);
}
