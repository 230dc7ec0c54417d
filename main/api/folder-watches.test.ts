// The folder watches behind `folder.watch`: events only to the client that watches, stopped by
// unwatch and by the client going away, a few per client, a dropped connection re-armed a bounded
// number of times with "list again", a refusal or an SMB1 tree ending the watch with its error, and
// the arguments checked like every request's. The tree is a scripted stand-in for watchDirectory:
// what is tested here is the service's bookkeeping; the protocol's watch runs against Samba in
// test/integration/protocol-watch.test.ts and through this service in api-watch.test.ts.
import { describe, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError, type DirectoryChanges, type SmbTree, type WatchDirectoryOptions } from '../../protocol/index.js';
import { REQUEST_NAMES } from './contract.js';
import { ApiDispatcher, type CallContext, type Handlers } from './dispatcher.js';
import { FolderWatches, MAX_CHANGES, MAX_WATCHES_PER_CLIENT } from './folder-watches.js';
import type { FolderChangesView } from './views.js';

const LOC = { driveId: 'd1', share: 'team', path: 'docs' };
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A watch whose answers the test pushes; it ends when its signal aborts, as the real one does. */
class ScriptedWatch implements AsyncIterableIterator<DirectoryChanges> {
  private readonly queue: (DirectoryChanges | Error)[] = [];
  private waiting: ((v: IteratorResult<DirectoryChanges, undefined>) => void) | undefined;
  private failWaiting: ((e: Error) => void) | undefined;
  ended = false;
  constructor(readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', () => this.end());
  }
  [Symbol.asyncIterator]() {
    return this;
  }
  push(v: DirectoryChanges | Error): void {
    if (this.waiting && !(v instanceof Error)) return this.resolve({ done: false, value: v });
    if (this.failWaiting && v instanceof Error) {
      const f = this.failWaiting;
      this.waiting = this.failWaiting = undefined;
      return f(v);
    }
    this.queue.push(v);
  }
  next(): Promise<IteratorResult<DirectoryChanges, undefined>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    const v = this.queue.shift();
    if (v instanceof Error) return Promise.reject(v);
    if (v) return Promise.resolve({ done: false, value: v });
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }
  async return(): Promise<IteratorReturnResult<undefined>> {
    this.end();
    return { done: true, value: undefined };
  }
  private end(): void {
    this.ended = true;
    this.resolve({ done: true, value: undefined });
  }
  private resolve(r: IteratorResult<DirectoryChanges, undefined>): void {
    const w = this.waiting;
    this.waiting = this.failWaiting = undefined;
    w?.(r);
  }
}

function setup(opts: { smb1?: boolean; treeError?: () => unknown; minIntervalMs?: number } = {}) {
  const watches: ScriptedWatch[] = [];
  const tree = {
    ...(opts.smb1
      ? {}
      : {
          watchDirectory: (path: string, o?: WatchDirectoryOptions) => {
            expect(path).toBe(LOC.path);
            const w = new ScriptedWatch(o?.signal);
            watches.push(w);
            return w;
          },
        }),
  } as unknown as SmbTree;
  const fw = new FolderWatches({
    treeFor: async () => {
      const e = opts.treeError?.();
      if (e) throw e;
      return tree;
    },
    checkDrive: async (id) => {
      if (id !== 'd1') throw new SmbError('status', 'no drive');
    },
    backoffMs: () => 1,
    minIntervalMs: opts.minIntervalMs ?? 0,
  });
  const clients = new Map<string, { controller: AbortController; events: FolderChangesView[] }>();
  const ctx = (clientId = 'c1'): CallContext => {
    let c = clients.get(clientId);
    if (!c) clients.set(clientId, (c = { controller: new AbortController(), events: [] }));
    const mine = c;
    return { clientId, clientSignal: mine.controller.signal, signal: new AbortController().signal, emit: (n, p) => n === 'folder.changes' && mine.events.push(p as FolderChangesView) };
  };
  const events = (clientId = 'c1') => clients.get(clientId)?.events ?? [];
  const goAway = (clientId = 'c1') => clients.get(clientId)!.controller.abort();
  return { fw, h: fw.handlers(), watches, ctx, events, goAway };
}

describe('folder watches', () => {
  it('forwards each answer to the watching client only, names with /, until unwatched', async () => {
    const { h, watches, ctx, events } = setup();
    const { watchId } = await h['folder.watch'](LOC, ctx('c1'));
    await h['folder.watch'](LOC, ctx('c2'));
    await tick();
    watches[0]!.push({ overflow: false, changes: [{ action: 'added', name: 'new.txt' }, { action: 'modified', name: 'sub\\x' }] });
    await tick();
    expect(events('c1')).toEqual([{ watchId, ...LOC, overflow: false, changes: [{ action: 'added', name: 'new.txt' }, { action: 'modified', name: 'sub/x' }] }]);
    expect(events('c2')).toEqual([]);
    await h['folder.unwatch']({ watchId }, ctx('c2')); // not c2's: ignored
    expect(watches[0]!.ended).toBe(false);
    await h['folder.unwatch']({ watchId }, ctx('c1'));
    expect(watches[0]!.ended).toBe(true);
    watches[0]!.push({ overflow: false, changes: [{ action: 'added', name: 'late' }] });
    await tick();
    expect(events('c1')).toHaveLength(1);
  });

  it('a client that goes away stops all its watches', async () => {
    const { fw, h, watches, ctx, goAway } = setup();
    await h['folder.watch'](LOC, ctx());
    await h['folder.watch']({ ...LOC, path: LOC.path }, ctx());
    await tick();
    expect(fw.count('c1')).toBe(2);
    goAway();
    await tick();
    expect(watches.every((w) => w.ended)).toBe(true);
    expect(fw.count()).toBe(0);
  });

  it(`at most ${MAX_WATCHES_PER_CLIENT} per client: a new one ends the oldest, which is told`, async () => {
    const { fw, h, watches, ctx, events } = setup();
    const ids: string[] = [];
    for (let i = 0; i <= MAX_WATCHES_PER_CLIENT; i++) ids.push((await h['folder.watch'](LOC, ctx())).watchId);
    await tick();
    expect(fw.count('c1')).toBe(MAX_WATCHES_PER_CLIENT);
    expect(watches[0]!.ended).toBe(true);
    expect(watches.slice(1).every((w) => !w.ended)).toBe(true);
    expect(events()).toEqual([expect.objectContaining({ watchId: ids[0], ended: expect.objectContaining({ code: 'cancelled' }) })]);
  });

  it('"list again" answers and too many names become overflow', async () => {
    const { h, watches, ctx, events } = setup();
    await h['folder.watch'](LOC, ctx());
    await tick();
    watches[0]!.push({ overflow: true, changes: [] });
    watches[0]!.push({ overflow: false, changes: Array.from({ length: MAX_CHANGES + 1 }, (_, i) => ({ action: 'added' as const, name: `f${i}` })) });
    await tick();
    await tick();
    expect(events().map((e) => [e.overflow, e.changes.length])).toEqual([
      [true, 0],
      [true, 0],
    ]);
  });

  it('a server that answers at once for ever is re-armed at most once per interval', async () => {
    const { h, watches, ctx, events } = setup({ minIntervalMs: 50 });
    await h['folder.watch'](LOC, ctx());
    await tick();
    for (let i = 0; i < 100; i++) watches[0]!.push({ overflow: false, changes: [{ action: 'modified', name: `f${i}` }] });
    await new Promise((r) => setTimeout(r, 180));
    expect(events().length).toBeGreaterThanOrEqual(2);
    expect(events().length).toBeLessThanOrEqual(5);
  });

  it('an SMB1 tree ends the watch at once as unsupported', async () => {
    const { fw, h, ctx, events } = setup({ smb1: true });
    await h['folder.watch'](LOC, ctx());
    await tick();
    expect(events()).toEqual([expect.objectContaining({ ended: expect.objectContaining({ code: 'unsupported' }) })]);
    expect(fw.count()).toBe(0);
  });

  it('a folder that went away ends the watch with not-found, without re-arming', async () => {
    const { fw, h, watches, ctx, events } = setup();
    await h['folder.watch'](LOC, ctx());
    await tick();
    watches[0]!.push(new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'watch', path: 'docs' }));
    await tick();
    await tick();
    expect(watches).toHaveLength(1);
    expect(events()).toEqual([expect.objectContaining({ ended: expect.objectContaining({ code: 'not-found', status: 'NT_STATUS_OBJECT_NAME_NOT_FOUND' }) })]);
    expect(fw.count()).toBe(0);
  });

  it('a dropped connection is re-armed with "list again", and gives up after a bounded number of tries', async () => {
    let failTree = false;
    const { fw, h, watches, ctx, events } = setup({ treeError: () => (failTree ? new SmbError('transport', 'reset') : undefined) });
    await h['folder.watch'](LOC, ctx());
    await tick();
    watches[0]!.push(new SmbError('transport', 'connection reset'));
    await expect.poll(() => watches.length).toBe(2);
    expect(events().at(-1)).toMatchObject({ overflow: true, changes: [] });
    expect(events().at(-1)?.ended).toBeUndefined();
    watches[1]!.push({ overflow: false, changes: [{ action: 'removed', name: 'a' }] });
    await expect.poll(() => events().length).toBe(2);
    failTree = true; // the server stays away
    watches[1]!.push(new SmbError('transport', 'connection reset'));
    await expect.poll(() => events().some((e) => e.ended !== undefined), { timeout: 3000 }).toBe(true);
    expect(events().at(-1)?.ended).toMatchObject({ code: 'unreachable' });
    expect(fw.count()).toBe(0);
  });

  it('dispose stops every watch', async () => {
    const { fw, h, watches, ctx } = setup();
    await h['folder.watch'](LOC, ctx('a'));
    await h['folder.watch'](LOC, ctx('b'));
    await tick();
    await fw.dispose();
    expect(watches.every((w) => w.ended)).toBe(true);
  });

  it('arguments are checked like every request; an unknown drive fails at once', async () => {
    const { h, ctx } = setup();
    const others = Object.fromEntries(REQUEST_NAMES.map((n) => [n, async () => null]));
    const d = new ApiDispatcher({ ...others, ...h } as unknown as Handlers);
    const c = ctx();
    for (const bad of [{ ...LOC, path: '../x' }, { ...LOC, path: 'a\\b' }, { ...LOC, extra: 1 }, { driveId: 'd1', share: 'team' }, { ...LOC, share: 'a/b' }]) {
      expect(await d.dispatch('folder.watch', bad, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(await d.dispatch('folder.unwatch', { watchId: 7 }, c)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await d.dispatch('folder.watch', { ...LOC, driveId: 'nope' }, c)).toMatchObject({ ok: false });
    const ok = await d.dispatch('folder.watch', LOC, c);
    expect(ok).toMatchObject({ ok: true, value: { watchId: expect.any(String) } });
    expect(await d.dispatch('folder.unwatch', { watchId: 'unknown' }, c)).toEqual({ ok: true, value: null });
  });
});
