// The utility-process bridge over a real MessageChannel (worker_threads): the contract's hello,
// requests answered by the real dispatcher (validation included), events forwarded, and a
// closed port failing every pending request instead of hanging.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ApiDispatcher, EventHub, REQUEST_NAMES, EVENT_NAMES, type ApiService, type Handlers } from '../../main/index.js';
import { portClient, servePort, ipcChannel, ipcEventChannel } from './port-bridge.js';

function fakeService(over: Partial<Record<string, () => Promise<unknown>>>): ApiService {
  const handlers = Object.fromEntries(REQUEST_NAMES.map((n) => [n, over[n] ?? (async () => null)])) as unknown as Handlers;
  return { dispatcher: new ApiDispatcher(handlers), hub: new EventHub(), handlers, state: undefined as never, dispose: async () => undefined };
}

describe('port bridge', () => {
  it('carries the contract both ways over a MessageChannel', async () => {
    const { port1, port2 } = new MessageChannel();
    const api = fakeService({ 'drives.list': async () => [{ id: 'd1' }] });
    const stop = servePort(port2, api);
    const client = portClient(port1);
    const names = await client.ready;
    expect(names.requests).toEqual(REQUEST_NAMES);
    expect(names.events).toEqual(EVENT_NAMES);
    expect(await client.invoke('drives.list', {})).toEqual({ ok: true, value: [{ id: 'd1' }] });
    expect(await client.invoke('drives.remove', { id: 7 })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await client.invoke('no.such', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const seen: unknown[] = [];
    client.onEvent((name, payload) => seen.push([name, payload]));
    api.hub.publish('drives.removed', { id: 'd1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([['drives.removed', { id: 'd1' }]]);
    stop();
    port1.close();
    port2.close();
  });

  it('fails pending requests when the service goes away', async () => {
    const { port1, port2 } = new MessageChannel();
    const api = fakeService({ 'drives.reconnect': () => new Promise(() => undefined) });
    servePort(port2, api);
    const client = portClient(port1);
    await client.ready;
    const pending = client.invoke('drives.reconnect', { id: 'x' });
    port2.close();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    expect(await client.invoke('drives.list', {})).toMatchObject({ ok: false, error: { code: 'unreachable' } });
  });

  it('derives IPC channels from the names', () => {
    expect(ipcChannel('drives.list')).toBe('sk:req:drives.list');
    expect(ipcEventChannel('drives.changed')).toBe('sk:evt:drives.changed');
  });
});
