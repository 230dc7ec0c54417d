// The contract's runtime checks: every request's arguments are validated on the main side, a
// malformed request gets a typed error (never a crash, never a handler call), results and errors
// travel as data, every request has a deadline, and nothing returns a password.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { buildApiClient } from './client.js';
import { EVENT_NAMES, REQUEST_NAMES, requests, type RequestName } from './contract.js';
import { ApiDispatcher, type CallContext, type Handlers } from './dispatcher.js';
import { ApiFailure } from './errors.js';

function ctx(): Omit<CallContext, 'signal'> {
  return { clientId: 't', clientSignal: new AbortController().signal, emit: () => undefined };
}

/** Handlers that record calls and answer null (a spy per request name). */
function spyHandlers(): { handlers: Handlers; calls: string[] } {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    REQUEST_NAMES.map((n) => [
      n,
      async () => {
        calls.push(n);
        return null;
      },
    ]),
  ) as unknown as Handlers;
  return { handlers, calls };
}

describe('contract validation', () => {
  it('every request has a deadline and a namespaced name', () => {
    for (const n of REQUEST_NAMES) {
      expect(requests[n].deadlineMs).toBeGreaterThan(0);
      expect(n).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    }
    for (const n of EVENT_NAMES) expect(n).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });

  it('refuses unknown names, unknown fields, wrong types and traversal without calling the handler', async () => {
    const { handlers, calls } = spyHandlers();
    const d = new ApiDispatcher(handlers);
    const bad: [unknown, unknown][] = [
      ['nope.nothing', {}],
      ['__proto__', {}],
      ['constructor', {}],
      [42, {}],
      ['drives.remove', {}],
      ['drives.remove', { id: 5 }],
      ['drives.remove', { id: 'x', extra: 1 }],
      ['drives.remove', 'x'],
      ['drives.remove', ['x']],
      ['fs.stat', { driveId: 'd', share: 's', path: '../etc' }],
      ['fs.stat', { driveId: 'd', share: 's', path: 'a/../../b' }],
      ['fs.stat', { driveId: 'd', share: 's', path: 'a\\b' }],
      ['fs.stat', { driveId: 'd', share: 'a/b', path: '' }],
      ['fs.stat', { driveId: 'd', share: 's', path: 'a\u0000b' }],
      ['fs.delete', { driveId: 'd', share: 's', paths: [] }],
      ['drives.add', { drive: { name: 'x', target: 'smb://h/s', password: 'p' } }],
      ['drives.add', { drive: { name: 'a:b', target: 'smb://h/s' } }],
      ['drives.submitPassword', { id: 'x', password: '', save: false }],
      ['drives.submitPassword', { id: 'x', password: 'x'.repeat(2000), save: false }],
      ['transfers.decide', { id: 'j', decision: 'ask' }],
      ['folder.open', { driveId: 'd', share: 's', path: '', batchSize: 0 }],
      ['drives.list', { x: 1 }],
    ];
    for (const [name, args] of bad) {
      const r = await d.dispatch(name, args, ctx());
      expect(r.ok, `${String(name)} ${JSON.stringify(args)}`).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
    expect(calls).toEqual([]);
  });

  it('names the field at fault', async () => {
    const d = new ApiDispatcher(spyHandlers().handlers);
    const r = await d.dispatch('drives.add', { drive: { name: 'x', target: 7 } }, ctx());
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-request', path: 'drive.target' } });
  });

  it('passes good arguments through, dropping nothing and adding nothing', async () => {
    let seen: unknown;
    const handlers = { ...spyHandlers().handlers, 'fs.rename': async (a: unknown) => ((seen = a), null) } as Handlers;
    const d = new ApiDispatcher(handlers);
    const r = await d.dispatch('fs.rename', { driveId: 'd', share: 'public', from: 'a/b.txt', to: 'a/c.txt' }, ctx());
    expect(r).toEqual({ ok: true, value: null });
    expect(seen).toEqual({ driveId: 'd', share: 'public', from: 'a/b.txt', to: 'a/c.txt' });
    expect((await d.dispatch('drives.list', undefined, ctx())).ok).toBe(true);
  });

  it('random arguments to every request only ever give a result, never a throw', async () => {
    const d = new ApiDispatcher(spyHandlers().handlers);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...REQUEST_NAMES), fc.anything({ withNullPrototype: true, withObjectString: true }), async (name, args) => {
        const r = await d.dispatch(name, args, ctx());
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 400 },
    );
  });
});

describe('dispatcher results', () => {
  it('turns a thrown error into data and scrubs secrets out of it', async () => {
    const handlers = {
      ...spyHandlers().handlers,
      'drives.remove': async () => {
        throw new Error('boom with hunter2 inside');
      },
      'drives.disconnect': async () => {
        throw new ApiFailure('access-denied', 'Access denied');
      },
    } as Handlers;
    const d = new ApiDispatcher(handlers, { scrub: (t) => t.split('hunter2').join('[secret]') });
    const r = await d.dispatch('drives.remove', { id: 'x' }, ctx());
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong inside ShareKeeper', detail: 'boom with [secret] inside' } });
    expect(await d.dispatch('drives.disconnect', { id: 'x' }, ctx())).toEqual({ ok: false, error: { code: 'access-denied', message: 'Access denied' } });
  });

  it('answers timeout at the deadline and aborts the handler', async () => {
    let aborted = false;
    const handlers = {
      ...spyHandlers().handlers,
      'drives.reconnect': (_a: unknown, c: CallContext) =>
        new Promise(() => {
          c.signal.addEventListener('abort', () => (aborted = true));
        }),
    } as Handlers;
    const d = new ApiDispatcher(handlers, { deadlineMs: () => 30 });
    const r = await d.dispatch('drives.reconnect', { id: 'x' }, ctx());
    expect(r).toMatchObject({ ok: false, error: { code: 'timeout' } });
    expect(aborted).toBe(true);
  });
});

describe('client object', () => {
  it('is built from the name lists, frozen, and sends the full name', async () => {
    const invoke = vi.fn(async () => ({ ok: true as const, value: 1 }));
    const subscribe = vi.fn(() => () => undefined);
    const api = buildApiClient(REQUEST_NAMES, EVENT_NAMES, invoke, subscribe);
    await api.drives.remove({ id: 'x' });
    await api.drives.list();
    expect(invoke).toHaveBeenCalledWith('drives.remove', { id: 'x' });
    expect(invoke).toHaveBeenCalledWith('drives.list', {});
    api.on.drives.changed(() => undefined);
    expect(subscribe).toHaveBeenCalledWith('drives.changed', expect.any(Function));
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.drives)).toBe(true);
    expect(Object.isFrozen(api.on.folder)).toBe(true);
    const names: RequestName[] = [];
    for (const [ns, members] of Object.entries(api)) if (ns !== 'on') for (const m of Object.keys(members as object)) names.push(`${ns}.${m}` as RequestName);
    expect(names.sort()).toEqual([...REQUEST_NAMES].sort());
  });
});

describe('start at login', () => {
  it('is unsupported where the host has no such setting (serve)', async () => {
    const { createApiService } = await import('./service.js');
    const { EventHub } = await import('./wire.js');
    const fake = { supervisor: { onTransition: () => () => undefined }, registry: { onDidChange: () => () => undefined }, queue: { on: () => () => undefined } };
    const api = createApiService(fake as never, new EventHub(), { mode: 'serve', version: 't' });
    const r = await api.dispatcher.dispatch('app.setAutostart', { enabled: true }, ctx());
    expect(r).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    let on = false;
    const withHook = createApiService(fake as never, new EventHub(), { mode: 'electron', version: 't', autostart: { get: async () => on, set: async (v) => void (on = v) } });
    expect(await withHook.dispatcher.dispatch('app.setAutostart', { enabled: true }, ctx())).toEqual({ ok: true, value: { enabled: true } });
    expect(await withHook.dispatcher.dispatch('app.autostart', {}, ctx())).toEqual({ ok: true, value: { enabled: true } });
  });
});

describe('dropped files (local.dropped)', () => {
  async function service(acceptsDroppedPaths: boolean) {
    const { createApiService } = await import('./service.js');
    const { EventHub } = await import('./wire.js');
    const fake = { supervisor: { onTransition: () => () => undefined }, registry: { onDidChange: () => () => undefined }, queue: { on: () => () => undefined } };
    return createApiService(fake as never, new EventHub(), { mode: acceptsDroppedPaths ? 'electron' : 'serve', version: 't', acceptsDroppedPaths });
  }

  it('serve refuses paths named by a page; the desktop app issues a handle per dropped file or folder', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'sk-drop-'));
    try {
      await writeFile(join(dir, 'a.txt'), 'a');
      const serve = await service(false);
      expect(await serve.dispatcher.dispatch('local.dropped', { paths: [join(dir, 'a.txt')] }, ctx())).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      const app = await service(true);
      const r = await app.dispatcher.dispatch('local.dropped', { paths: [join(dir, 'a.txt'), dir] }, ctx());
      expect(r.ok && (r.value as { label: string; kind: string }[]).map((h) => [h.label, h.kind])).toEqual([['a.txt', 'file'], [dir.split('/').pop(), 'folder']]);
      expect(JSON.stringify(r)).not.toContain(dir); // handles and labels, never the path
      expect(await app.dispatcher.dispatch('local.dropped', { paths: ['relative/a.txt'] }, ctx())).toMatchObject({ ok: false, error: { code: 'bad-request', path: 'paths[0]' } });
      expect(await app.dispatcher.dispatch('local.dropped', { paths: [join(dir, 'missing')] }, ctx())).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect(await app.dispatcher.dispatch('local.dropped', { paths: [] }, ctx())).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
