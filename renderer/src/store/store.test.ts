// The store's slices with a fake client (the renderer's only way to main): listings arrive in
// batches coalesced per frame, folders first, selection and focus, drives kept current by
// events, the password prompt's one attempt, transfer progress batched, uploads folders-first.
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient, DriveView, EntryView, Result } from '../../../main/api/types.js';
import { FLUSH_MAX_ENTRIES } from './browser-slice.js';
import { createAppStore } from './index.js';

type Calls = { name: string; args: unknown }[];

function fakeApi(answers: Record<string, (args: never) => unknown> = {}): { api: ApiClient; calls: Calls } {
  const calls: Calls = [];
  const handler = (ns: string) =>
    new Proxy(
      {},
      {
        get: (_t, member: string) => async (args: unknown) => {
          const name = `${ns}.${member}`;
          calls.push({ name, args });
          const f = answers[name];
          return { ok: true, value: f ? f(args as never) : null } as Result<unknown>;
        },
      },
    );
  const api = new Proxy({}, { get: (_t, ns: string) => handler(ns) }) as unknown as ApiClient;
  return { api, calls };
}

const entry = (name: string, type: 'file' | 'directory' = 'file', size = 1): EntryView => ({ name, type, size, modified: 0, hidden: name.startsWith('.') });
const drive = (over: Partial<DriveView> = {}): DriveView => ({
  id: 'd1', name: 'Team', target: 'smb://nas/team', unc: '\\\\nas\\team', host: 'nas', port: 445, share: 'team', rootPath: '', alternates: [],
  options: { requireSigning: false, requireEncryption: false }, persistent: true, status: { kind: 'connected', reason: 'connected', message: '', since: 0 }, hasSavedPassword: false, ...over,
});

function setup(answers: Record<string, (args: never) => unknown> = {}) {
  const frames: (() => void)[] = [];
  const { api, calls } = fakeApi({ 'folder.open': () => ({ listingId: 'L1' }), ...answers });
  const store = createAppStore({ api, schedule: (f) => frames.push(f), streams: { download: '/dl', upload: '/up' }, putFile: vi.fn(async () => ({ ok: true, status: 201, body: '' })), startDownload: vi.fn() });
  const flush = (): void => {
    while (frames.length) frames.shift()?.();
  };
  return { store, calls, flush, s: () => store.getState() };
}

describe('browser slice', () => {
  it('streams a listing in, one update per frame, folders first', async () => {
    const { s, calls, flush } = setup();
    await s().open({ driveId: 'd1', share: 'team', path: '' });
    expect(calls.at(-1)).toEqual({ name: 'folder.open', args: { driveId: 'd1', share: 'team', path: '' } });
    s().onBatch({ listingId: 'L1', entries: [entry('b.txt'), entry('zdir', 'directory')] });
    s().onBatch({ listingId: 'L1', entries: [entry('a10.txt'), entry('a9.txt')] });
    expect(s().sorted).toEqual([]);
    flush();
    expect(s().sorted.map((e) => e.name)).toEqual(['zdir', 'a9.txt', 'a10.txt', 'b.txt']);
    expect(s().loading).toBe(true);
    s().onEnd({ listingId: 'L1', count: 4 });
    expect(s().loading).toBe(false);
    // Another listing's batches are ignored.
    s().onBatch({ listingId: 'other', entries: [entry('x')] });
    flush();
    expect(s().sorted).toHaveLength(4);
  });

  it('sorts at most FLUSH_MAX_ENTRIES arrived entries in per frame; the end puts in the rest at once', async () => {
    const frames: (() => void)[] = [];
    const { api } = fakeApi({ 'folder.open': () => ({ listingId: 'L1' }) });
    const store = createAppStore({ api, schedule: (f) => frames.push(f) });
    const s = () => store.getState();
    await s().open({ driveId: 'd1', share: 'team', path: '' });
    const n = FLUSH_MAX_ENTRIES * 2 + 10;
    const names = Array.from({ length: n }, (_, i) => `f${String(n - i).padStart(6, '0')}`);
    s().onBatch({ listingId: 'L1', entries: names.slice(0, n - 10).map((x) => entry(x)) });
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(s().sorted).toHaveLength(FLUSH_MAX_ENTRIES);
    expect(frames).toHaveLength(1); // the rest waits for the next frame
    s().onBatch({ listingId: 'L1', entries: names.slice(n - 10).map((x) => entry(x)) });
    expect(frames).toHaveLength(1); // no second frame asked for
    frames.shift()?.();
    expect(s().sorted).toHaveLength(FLUSH_MAX_ENTRIES * 2);
    s().onEnd({ listingId: 'L1', count: n });
    expect(s().loading).toBe(false);
    expect(s().sorted.map((e) => e.name)).toEqual([...names].sort());
    frames.splice(0).forEach((f) => f());
    expect(s().sorted).toHaveLength(n);
  });

  it('sorts by a column both ways, keeping folders first', async () => {
    const { s, flush } = setup();
    await s().open({ driveId: 'd1', share: 'team', path: '' });
    s().onBatch({ listingId: 'L1', entries: [entry('small', 'file', 1), entry('big', 'file', 100), entry('dir', 'directory')] });
    flush();
    s().setSort('size');
    expect(s().sorted.map((e) => e.name)).toEqual(['dir', 'small', 'big']);
    s().setSort('size');
    expect(s().sorted.map((e) => e.name)).toEqual(['dir', 'big', 'small']);
  });

  it('selects with Shift and Ctrl, selects all, and acts on the focused row otherwise', async () => {
    const { s, flush } = setup();
    await s().open({ driveId: 'd1', share: 'team', path: '' });
    s().onBatch({ listingId: 'L1', entries: ['a', 'b', 'c', 'd'].map((n) => entry(n)) });
    flush();
    s().focusAt(1);
    s().focusAt(3, 'extend');
    expect([...s().selected]).toEqual(['b', 'c', 'd']);
    s().focusAt(0, 'toggle');
    expect(s().selected.has('a')).toBe(true);
    s().focusAt(2, 'keep');
    expect(s().focusIndex).toBe(2);
    s().selectAll();
    expect(s().selected.size).toBe(4);
    s().focusAt(99);
    expect(s().focusIndex).toBe(3);
    expect(s().selectedEntries().map((e) => e.name)).toEqual(['d']);
  });

  it('goes up to the parent with the folder left focused, and to the share list from the root', async () => {
    const { s, calls, flush } = setup({ 'browse.shares': () => [{ name: 'team', type: 'disk', comment: '', special: false }] });
    s().upsertDrive(drive());
    await s().open({ driveId: 'd1', share: 'team', path: 'a/b' });
    await s().goUp();
    expect(calls.at(-1)).toMatchObject({ name: 'folder.open', args: { path: 'a' } });
    s().onBatch({ listingId: 'L1', entries: [entry('x', 'directory'), entry('b', 'directory')] });
    s().onEnd({ listingId: 'L1', count: 2 });
    flush();
    expect(s().sorted[s().focusIndex]?.name).toBe('b');
    await s().open({ driveId: 'd1', share: 'team', path: '' });
    await s().goUp();
    expect(s().browseMode).toBe('shares');
    expect(s().shares).toHaveLength(1);
  });

  it('refreshes by itself when its folder changed, not for other folders', async () => {
    const { s, calls } = setup();
    await s().open({ driveId: 'd1', share: 'team', path: 'a' });
    s().onEnd({ listingId: 'L1', count: 0 });
    const n = calls.length;
    s().onFolderChanged({ driveId: 'd1', share: 'team', path: 'b' });
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.length).toBe(n);
    s().onFolderChanged({ driveId: 'd1', share: 'TEAM', path: 'a' });
    await vi.waitFor(() => expect(calls.slice(n).map((c) => c.name)).toContain('folder.open'));
  });
});

describe('drives slice', () => {
  it('keeps drives current from events and says why a password failed', async () => {
    const refused = drive({ status: { kind: 'auth-failed', reason: 'auth-rejected', message: 'nas rejected the user name or password', since: 0 } });
    const { s } = setup({ 'drives.submitPassword': () => refused });
    s().upsertDrive(drive());
    s().upsertDrive(drive({ name: 'Renamed' }));
    expect(s().drives.map((d) => d.name)).toEqual(['Renamed']);
    const err = await s().submitPassword('d1', 'pw', false);
    expect(err).toMatchObject({ code: 'wrong-password', message: 'Wrong user name or password' });
    s().dropDrive('d1');
    expect(s().drives).toEqual([]);
  });
});

describe('transfers slice', () => {
  it('batches progress to one update per frame', () => {
    const { s, flush } = setup();
    s().upsertJob({ id: 'j', direction: 'download', kind: 'file', driveId: 'd1', remotePath: 'a', localName: 'a', state: 'running', bytesDone: 0, bytesTotal: 100, rate: 0, createdAt: '', updatedAt: '' });
    const before = s().jobs;
    for (let i = 1; i <= 50; i++) s().onProgress({ id: 'j', bytesDone: i, bytesTotal: 100, rate: 10 });
    expect(s().jobs).toBe(before);
    flush();
    expect(s().jobs['j']?.bytesDone).toBe(50);
  });

  it('uploads a dropped folder: folders made first, each file streamed', async () => {
    const { s, calls, store } = setup();
    await s().open({ driveId: 'd1', share: 'team', path: 'in' });
    const file = new Blob(['x']);
    await s().uploadFiles([{ file, relativePath: 'top/sub/b.txt' }, { file, relativePath: 'top/a.txt' }]);
    expect(calls.filter((c) => c.name === 'fs.mkdir').map((c) => (c.args as { path: string }).path)).toEqual(['in/top', 'in/top/sub']);
    expect(store.getState().browserTransfers.map((t) => [t.name, t.state])).toEqual([
      ['top/sub/b.txt', 'done'],
      ['top/a.txt', 'done'],
    ]);
  });
});

describe('dropped on the desktop app', () => {
  it('hands the Files to local.dropped (the preload names their paths) and uploads the handles through the queue', async () => {
    const { api, calls } = fakeApi({
      'folder.open': () => ({ listingId: 'L1' }),
      'local.dropped': () => [{ id: 'h1', label: 'a.txt', kind: 'file' }, { id: 'h2', label: 'Photos', kind: 'folder' }],
      'transfers.upload': () => [],
    });
    const store = createAppStore({ api, schedule: (f) => f() });
    await store.getState().open({ driveId: 'd1', share: 'team', path: 'in' });
    const files = [new File(['a'], 'a.txt'), new File([], 'Photos')];
    await store.getState().uploadDropped(files);
    const dropped = calls.find((c) => c.name === 'local.dropped');
    expect((dropped?.args as { files: File[] }).files).toEqual(files); // Files, never paths
    expect(calls.find((c) => c.name === 'transfers.upload')?.args).toEqual({ driveId: 'd1', share: 'team', folder: 'in', sources: ['h1', 'h2'] });
    expect(store.getState().transfersOpen).toBe(true);
  });
});

describe('browser uploads that meet an existing name', () => {
  it('ask, then keep both under "name (1).ext", and "for all" answers the rest', async () => {
    const taken = new Set(['in/a.txt', 'in/b.txt', 'in/a (1).txt']);
    const puts: string[] = [];
    const putFile = vi.fn(async (url: string) => {
      const q = new URL(url, 'http://x').searchParams;
      const path = q.get('path') as string;
      puts.push(`${path}${q.get('overwrite') ? ' (overwrite)' : ''}`);
      if (taken.has(path) && !q.get('overwrite')) return { ok: false, status: 409, body: JSON.stringify({ ok: false, error: { code: 'name-exists', message: 'exists' } }) };
      return { ok: true, status: 201, body: '' };
    });
    const { api } = fakeApi({ 'folder.open': () => ({ listingId: 'L1' }) });
    const store = createAppStore({ api, schedule: (f) => f(), streams: { download: '/dl', upload: '/up' }, putFile });
    await store.getState().open({ driveId: 'd1', share: 'team', path: 'in' });
    const f = new Blob(['x']);
    const done = store.getState().uploadFiles([{ file: f, relativePath: 'a.txt' }, { file: f, relativePath: 'b.txt' }]);
    await vi.waitFor(() => expect(store.getState().browserTransfers[0]?.state).toBe('conflict'));
    store.getState().answerUploadConflict(store.getState().browserTransfers[0]?.id as string, 'keep-both', true);
    await done;
    expect(puts).toEqual(['in/a.txt', 'in/a (1).txt', 'in/a (2).txt', 'in/b.txt', 'in/b (1).txt']);
    expect(store.getState().browserTransfers.map((t) => [t.name, t.state])).toEqual([
      ['a (2).txt', 'done'],
      ['b (1).txt', 'done'],
    ]);
  });
});
