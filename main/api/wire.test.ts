// The contract on a message channel: hello first, answers by id, events forwarded, junk answered
// with a typed error (never a crash), no more than MAX_IN_FLIGHT at once.
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, REQUEST_NAMES } from './contract.js';
import { ApiDispatcher, type Handlers } from './dispatcher.js';
import { ApiConnection, EventHub, MAX_IN_FLIGHT, parseClientMessage, type ServerMessage } from './wire.js';

const never = () => new Promise<never>(() => undefined);

function handlers(over: Partial<Record<string, (...a: never[]) => Promise<unknown>>>): Handlers {
  return Object.fromEntries(REQUEST_NAMES.map((n) => [n, over[n] ?? (async () => null)])) as unknown as Handlers;
}

describe('wire', () => {
  it('parses only {t:"req", id, name}', () => {
    expect(parseClientMessage('{"t":"req","id":1,"name":"drives.list"}')).toEqual({ t: 'req', id: 1, name: 'drives.list', args: undefined });
    expect(parseClientMessage('not json')).toHaveProperty('bad.code', 'bad-request');
    expect(parseClientMessage('[1]')).toHaveProperty('bad');
    expect(parseClientMessage({ t: 'req', id: 2 })).toMatchObject({ id: 2, bad: { code: 'bad-request' } });
    expect(parseClientMessage({ t: 'req', id: 1.5, name: 'x' })).toHaveProperty('bad');
  });

  it('says hello with the names, answers requests, forwards events, survives junk', async () => {
    const sent: ServerMessage[] = [];
    const hub = new EventHub();
    const d = new ApiDispatcher(handlers({ 'drives.list': async () => [{ id: 'x' }] }));
    const c = new ApiConnection(d, hub, { send: (m) => sent.push(m) });
    expect(sent[0]).toEqual({ t: 'hello', requests: REQUEST_NAMES, events: EVENT_NAMES });
    c.receive(JSON.stringify({ t: 'req', id: 7, name: 'drives.list', args: {} }));
    c.receive('garbage');
    c.receive(JSON.stringify({ t: 'req', id: 8, name: 'drives.remove', args: { id: 3 } }));
    hub.publish('drives.removed', { id: 'x' });
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toContainEqual({ t: 'res', id: 7, result: { ok: true, value: [{ id: 'x' }] } });
    expect(sent).toContainEqual(expect.objectContaining({ t: 'res', id: 8, result: expect.objectContaining({ ok: false }) }));
    expect(sent).toContainEqual({ t: 'evt', name: 'drives.removed', payload: { id: 'x' } });
    c.close();
    hub.publish('drives.removed', { id: 'y' });
    expect(sent.filter((m) => m.t === 'evt')).toHaveLength(1);
  });

  it('refuses requests past MAX_IN_FLIGHT instead of queueing without end', async () => {
    const sent: ServerMessage[] = [];
    const d = new ApiDispatcher(handlers({ 'drives.reconnect': never }));
    const c = new ApiConnection(d, new EventHub(), { send: (m) => sent.push(m) });
    for (let i = 0; i <= MAX_IN_FLIGHT; i++) c.receive({ t: 'req', id: i, name: 'drives.reconnect', args: { id: 'x' } });
    await new Promise((r) => setTimeout(r, 10));
    expect(sent).toContainEqual({ t: 'res', id: MAX_IN_FLIGHT, result: { ok: false, error: { code: 'bad-request', message: 'Too many requests at once' } } });
    c.close();
  });
});
