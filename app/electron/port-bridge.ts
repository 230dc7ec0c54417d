// The contract over a MessagePort between the Electron main process and the utility process
// that runs the services (SMB, supervisor, queue), so the window and the tray never wait on the
// network. The utility side answers with main/api's ApiConnection; the main side is a client
// that sends requests and fans events out. Both work on any port-like object, so Node tests run
// them over a worker_threads MessageChannel.
import { ApiConnection, type ApiService, type Result, type ServerMessage } from '../../main/index.js';

export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  close?(): void;
}

/** Electron's MessagePortMain and Node's MessagePort deliver { data } or the value itself. */
function payload(message: unknown): unknown {
  return typeof message === 'object' && message !== null && 'data' in message && Object.keys(message).length <= 2 ? (message as { data: unknown }).data : message;
}

/** Utility-process side: serves one port with the API. */
export function servePort(port: PortLike, api: ApiService): () => void {
  const conn = new ApiConnection(api.dispatcher, api.hub, { send: (m) => port.postMessage(m) });
  port.on('message', (m) => conn.receive(payload(m)));
  port.on('close', () => conn.close());
  return () => conn.close();
}

export interface PortClient {
  /** Resolves once the service said hello (with the contract's names). */
  ready: Promise<{ requests: readonly string[]; events: readonly string[] }>;
  invoke(name: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  close(): void;
}

/** Main-process side: requests to the utility process; every one answered or failed, never hanging. */
export function portClient(port: PortLike, opts: { deadlineMs?: number } = {}): PortClient {
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: NodeJS.Timeout }>();
  const listeners = new Set<(name: string, payload: unknown) => void>();
  let nextId = 1;
  let closed = false;
  let hello!: (h: { requests: readonly string[]; events: readonly string[] }) => void;
  const ready = new Promise<{ requests: readonly string[]; events: readonly string[] }>((r) => (hello = r));
  const fail = (message: string): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve({ ok: false, error: { code: 'unreachable', message } });
      pending.delete(id);
    }
  };
  port.on('message', (raw) => {
    const m = payload(raw) as ServerMessage;
    if (m.t === 'hello') hello({ requests: m.requests, events: m.events });
    else if (m.t === 'res') {
      const p = pending.get(m.id);
      if (!p) return;
      clearTimeout(p.timer);
      pending.delete(m.id);
      p.resolve(m.result);
    } else if (m.t === 'evt') for (const l of listeners) l(m.name, m.payload);
  });
  port.on('close', () => {
    closed = true;
    fail('The ShareKeeper service stopped');
  });
  return {
    ready,
    invoke(name, args) {
      if (closed) return Promise.resolve({ ok: false, error: { code: 'unreachable', message: 'The ShareKeeper service stopped' } });
      return new Promise((resolve) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'timeout', message: 'The ShareKeeper service did not answer' } });
        }, opts.deadlineMs ?? 330_000);
        timer.unref?.();
        pending.set(id, { resolve, timer });
        port.postMessage({ t: 'req', id, name, args });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      fail('closed');
      port.close?.();
    },
  };
}

/** The IPC channel of a contract name (the preload and main derive it the same way, from the names). */
export const IPC_PREFIX = 'sk:';
export const IPC_HELLO = `${IPC_PREFIX}hello`;
export function ipcChannel(name: string): string {
  return `${IPC_PREFIX}req:${name}`;
}
export function ipcEventChannel(name: string): string {
  return `${IPC_PREFIX}evt:${name}`;
}
