// The open folder refreshes itself on `folder.changes`: watched while open and only then, one
// background listing per burst of changes, the list replaced in one update with selection and
// focus kept by name (never emptied, so the scroll position stays), a lost batch falling back to
// an ordinary listing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient, EntryView, FolderChangesView, Result } from '../../../main/api/types.js';
import { REFRESH_DEBOUNCE_MS } from './folder-refresh.js';
import { createAppStore } from './index.js';

const entry = (name: string): EntryView => ({ name, type: 'file', size: 1, modified: 0, hidden: false });
const LOC = { driveId: 'd1', share: 'team', path: 'docs' };

function setup() {
  const calls: { name: string; args: unknown }[] = [];
  let listings = 0;
  let watches = 0;
  const answers: Record<string, () => unknown> = {
    'folder.open': () => ({ listingId: `L${++listings}` }),
    'folder.watch': () => ({ watchId: `W${++watches}` }),
  };
  const ns = (n: string) =>
    new Proxy({}, { get: (_t, m: string) => async (args: unknown) => (calls.push({ name: `${n}.${m}`, args }), { ok: true, value: answers[`${n}.${m}`]?.() ?? null } as Result<unknown>) });
  const api = new Proxy({}, { get: (_t, n: string) => ns(n) }) as unknown as ApiClient;
  const store = createAppStore({ api, schedule: (f) => f() });
  const s = () => store.getState();
  const named = (name: string) => calls.filter((c) => c.name === name);
  const changes = (watchId: string, over: Partial<FolderChangesView> = {}): FolderChangesView => ({ watchId, ...LOC, overflow: false, changes: [{ action: 'added', name: 'x' }], ...over });
  /** Opens LOC with `names` listed. */
  const openWith = async (names: string[]) => {
    await s().open({ ...LOC });
    const id = s().listingId as string;
    s().onBatch({ listingId: id, entries: names.map(entry) });
    s().onEnd({ listingId: id, count: names.length });
    await vi.advanceTimersByTimeAsync(0);
  };
  return { s, calls, named, changes, openWith };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the open folder refreshes itself on folder.changes', () => {
  it('watches the open folder only: kept through F5, dropped when the folder is left', async () => {
    const { s, named, openWith } = setup();
    await openWith(['a']);
    expect(named('folder.watch').map((c) => c.args)).toEqual([LOC]);
    await s().refresh();
    expect(named('folder.watch')).toHaveLength(1); // same folder: same watch
    await s().open({ ...LOC, path: 'other' });
    await vi.advanceTimersByTimeAsync(0);
    expect(named('folder.unwatch').map((c) => c.args)).toEqual([{ watchId: 'W1' }]);
    expect(named('folder.watch')).toHaveLength(2);
    s().closeLocation();
    await vi.advanceTimersByTimeAsync(0);
    expect(named('folder.unwatch').map((c) => c.args)).toEqual([{ watchId: 'W1' }, { watchId: 'W2' }]);
  });

  it('lists again in the background after a quiet moment; the list is replaced at once, selection and focus kept', async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['b', 'c', 'd']);
    s().focusAt(1); // c
    s().focusAt(2, 'toggle'); // d selected too, focus on d
    s().focusAt(1, 'keep'); // focus back on c, both stay selected
    const selectedBefore = [...s().selected].sort();
    s().onFolderChanges(changes('W1'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS - 10);
    expect(named('folder.open')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(20);
    expect(named('folder.open')).toHaveLength(2);
    expect(s().loading).toBe(false); // no spinner, no empty list
    s().onBatch({ listingId: 'L2', entries: [entry('a'), entry('b')] });
    expect(s().sorted.map((e) => e.name)).toEqual(['b', 'c', 'd']); // the old rows stay until the new are complete
    s().onBatch({ listingId: 'L2', entries: [entry('c'), entry('e')] });
    s().onEnd({ listingId: 'L2', count: 4 });
    expect(s().sorted.map((e) => e.name)).toEqual(['a', 'b', 'c', 'e']);
    expect(s().sorted[s().focusIndex]?.name).toBe('c');
    expect(selectedBefore).toEqual(['c', 'd']);
    expect([...s().selected]).toEqual(['c']); // d went away on the server
  });

  it('a burst of changes is one listing; a change during it is one more after it', async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['a']);
    for (let i = 0; i < 50; i++) {
      s().onFolderChanges(changes('W1'));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS);
    expect(named('folder.open')).toHaveLength(2);
    s().onFolderChanges(changes('W1'));
    s().onFolderChanges(changes('W1'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS * 3);
    expect(named('folder.open')).toHaveLength(2); // still running: remembered, not started
    s().onEnd({ listingId: 'L2', count: 0 });
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS + 10);
    expect(named('folder.open')).toHaveLength(3);
  });

  it('a change made through ShareKeeper (a new folder) takes the quiet way too, and the new item gets the focus', async () => {
    const { s, named, openWith } = setup();
    await openWith(['a', 'c']);
    s().focusAt(1);
    await s().mkdir('b'); // answers at once (fake); the name is not listed yet: focus it once it is
    expect(s().pendingFocusName).toBe('b');
    s().onFolderChanged({ ...LOC });
    await vi.advanceTimersByTimeAsync(100);
    expect(named('folder.open')).toHaveLength(2);
    expect(s().sorted.map((e) => e.name)).toEqual(['a', 'c']); // not emptied meanwhile
    s().onBatch({ listingId: 'L2', entries: [entry('a'), entry('b'), entry('c')] });
    s().onEnd({ listingId: 'L2', count: 3 });
    expect(s().sorted[s().focusIndex]?.name).toBe('b');
    expect([...s().selected]).toEqual(['b']);
    expect(s().pendingFocusName).toBeUndefined();
  });

  it('after the link to main came back the open folder is watched again (the old watch died with it)', async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['a']);
    s().rewatch();
    await vi.advanceTimersByTimeAsync(0);
    expect(named('folder.watch')).toHaveLength(2);
    expect(named('folder.unwatch')).toHaveLength(0); // nothing to stop on a connection that is gone
    s().onFolderChanges(changes('W1')); // the old watch's id means nothing now
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS + 10);
    expect(named('folder.open')).toHaveLength(1);
    s().onFolderChanges(changes('W2'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS + 10);
    expect(named('folder.open')).toHaveLength(2);
  });

  it("another watch's events, and any after the watch ended, are ignored", async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['a']);
    s().onFolderChanges(changes('W-other'));
    s().onFolderChanges(changes('W1', { ended: { code: 'unsupported', message: 'no' } }));
    s().onFolderChanges(changes('W1'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS * 2);
    expect(named('folder.open')).toHaveLength(1);
  });

  it('a background listing that lost batches falls back to an ordinary one; leaving the folder drops it', async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['a']);
    s().onFolderChanges(changes('W1'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS + 10);
    s().onBatch({ listingId: 'L2', entries: [entry('a')] });
    s().onEnd({ listingId: 'L2', count: 2 });
    await vi.advanceTimersByTimeAsync(0);
    expect(named('folder.open')).toHaveLength(3);
    expect(s().loading).toBe(true); // the ordinary listing, with its usual loading state
    s().onEnd({ listingId: 'L3', count: 0 });
    s().onFolderChanges(changes('W1'));
    await vi.advanceTimersByTimeAsync(REFRESH_DEBOUNCE_MS + 10);
    const leaving = s().open({ ...LOC, path: 'elsewhere' });
    // The background listing of the old folder goes on streaming while the new one waits for its id.
    s().onBatch({ listingId: 'L4', entries: [entry('stale')] });
    s().onEnd({ listingId: 'L4', count: 1 });
    await leaving;
    expect(named('folder.close').map((c) => c.args)).toContainEqual({ listingId: 'L4' });
    s().onBatch({ listingId: 'L5', entries: [entry('fresh')] });
    s().onEnd({ listingId: 'L5', count: 1 });
    expect(s().sorted.map((e) => e.name)).toEqual(['fresh']);
  });

  it('a watch that ended with an error is shown on the folder until F5 watches again or the folder is left', async () => {
    const { s, named, changes, openWith } = setup();
    await openWith(['a']);
    expect(s().watchEnded).toBeNull();
    const gone = { code: 'not-found', message: 'The folder is no longer there' } as const;
    s().onFolderChanges(changes('W1', { ended: gone }));
    expect(s().watchEnded).toEqual(gone);
    // F5: listed again and watched again; the note goes.
    await s().refresh();
    await vi.advanceTimersByTimeAsync(0);
    expect(named('folder.watch')).toHaveLength(2);
    expect(s().watchEnded).toBeNull();
    // Ended again, then another folder: the note is about the folder it was shown on.
    s().onFolderChanges(changes('W2', { ended: gone }));
    expect(s().watchEnded).toEqual(gone);
    await s().open({ ...LOC, path: 'other' });
    expect(s().watchEnded).toBeNull();
  });

  it('a watch stopped as cancelled (our own stop) shows nothing', async () => {
    const { s, changes, openWith } = setup();
    await openWith(['a']);
    s().onFolderChanges(changes('W1', { ended: { code: 'cancelled', message: 'Cancelled' } }));
    expect(s().watchEnded).toBeNull();
  });
});
