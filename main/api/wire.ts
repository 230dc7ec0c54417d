// The contract on a message channel (serve's WebSocket, the utility process's MessagePort): the
// message shapes, and the main side of one connection. A connection starts with `hello`, which
// lists the contract's request and event names so a client can build itself from them without
// writing any; then requests and their results, and events, as JSON-able objects.
import { EVENT_NAMES, REQUEST_NAMES, type EventName, type PayloadOf } from './contract.js';
import type { ApiDispatcher } from './dispatcher.js';
import type { ApiError } from './views.js';

import type { ClientMessage, ServerMessage, StreamRoutes } from './wire-types.js';

export type { ClientMessage, ServerMessage, StreamRoutes };

/** Largest request a client may send (a path list of 5000 long names fits). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Requests one client may have running at once; more are refused rather than queued without end. */
export const MAX_IN_FLIGHT = 64;

/** Parses one client message; anything else is an ApiError (the connection stays up). */
export function parseClientMessage(raw: unknown): ClientMessage | { bad: ApiError; id?: number } {
  let v = raw;
  if (typeof raw === 'string') {
    if (raw.length > MAX_MESSAGE_BYTES) return { bad: { code: 'bad-request', message: 'The request is too large' } };
    try {
      v = JSON.parse(raw);
    } catch {
      return { bad: { code: 'bad-request', message: 'The request was not understood', detail: 'not JSON' } };
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { bad: { code: 'bad-request', message: 'The request was not understood', detail: 'not an object' } };
  const m = v as Record<string, unknown>;
  const id = typeof m['id'] === 'number' && Number.isSafeInteger(m['id']) ? (m['id'] as number) : undefined;
  if (m['t'] !== 'req' || id === undefined || typeof m['name'] !== 'string') {
    return { bad: { code: 'bad-request', message: 'The request was not understood', detail: 'expected {t:"req", id, name, args}' }, ...(id === undefined ? {} : { id }) };
  }
  return { t: 'req', id, name: m['name'], args: m['args'] };
}

export function helloMessage(extra: { streams?: StreamRoutes } = {}): ServerMessage {
  return { t: 'hello', requests: REQUEST_NAMES, events: EVENT_NAMES, ...extra };
}

/** Broadcast events: every connection subscribes; the service publishes. */
export class EventHub {
  private readonly listeners = new Set<(name: EventName, payload: unknown) => void>();

  publish<E extends EventName>(name: E, payload: PayloadOf<E>): void {
    for (const l of [...this.listeners]) {
      try {
        l(name, payload);
      } catch {
        // one broken connection must not stop the others
      }
    }
  }

  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface MessageSink {
  send(message: ServerMessage): void;
}

let connections = 0;

/**
 * One client on a message channel: feed it what arrives with `receive`, call `close` when the
 * channel ends. It answers every request (in any order), forwards broadcast events, and refuses
 * more than MAX_IN_FLIGHT requests at once.
 */
export class ApiConnection {
  readonly clientId = `c${++connections}`;
  private readonly controller = new AbortController();
  private readonly unsubscribe: () => void;
  private inFlight = 0;
  private closed = false;

  constructor(
    private readonly dispatcher: ApiDispatcher,
    hub: EventHub,
    private readonly sink: MessageSink,
    hello: { streams?: StreamRoutes } = {},
  ) {
    this.safeSend(helloMessage(hello));
    this.unsubscribe = hub.subscribe((name, payload) => this.safeSend({ t: 'evt', name, payload }));
  }

  receive(raw: unknown): void {
    if (this.closed) return;
    const msg = parseClientMessage(raw);
    if ('bad' in msg) {
      if (msg.id !== undefined) this.safeSend({ t: 'res', id: msg.id, result: { ok: false, error: msg.bad } });
      return;
    }
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.safeSend({ t: 'res', id: msg.id, result: { ok: false, error: { code: 'bad-request', message: 'Too many requests at once' } } });
      return;
    }
    this.inFlight++;
    void this.dispatcher
      .dispatch(msg.name, msg.args, {
        clientId: this.clientId,
        clientSignal: this.controller.signal,
        emit: (name, payload) => this.safeSend({ t: 'evt', name, payload }),
      })
      .then((result) => {
        this.inFlight--;
        this.safeSend({ t: 'res', id: msg.id, result });
      });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.controller.abort(new Error('connection closed'));
  }

  /** The client went away: an abort signal for work started on its behalf (listings). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private safeSend(m: ServerMessage): void {
    if (this.closed) return;
    try {
      this.sink.send(m);
    } catch {
      this.close();
    }
  }
}
