// The browser: where we are (drive, share, path), the entries of the open folder as they stream
// in (batches coalesced to one update per frame), sorting (folders first), selection and focus,
// and the file operations. A listing of a server that stopped answering ends with an error in
// the view; nothing here ever waits on the network while the UI is drawn.
import type { ApiError, EntryView, FolderChangesView, Location, ShareView } from '../../../main/api/types.js';
import { FolderRefresh } from './folder-refresh.js';
import { mergeSorted, sortEntries, type SortKey, type SortState } from './sort.js';
import type { SliceCreator } from './types.js';

export type { SortKey, SortState };

export interface BrowserSlice {
  location: Location | null;
  /** 'shares': the share list of the drive's server. */
  browseMode: 'folder' | 'shares';
  entries: EntryView[];
  /** entries sorted for display (folders first); what the list shows and indexes refer to. */
  sorted: EntryView[];
  loading: boolean;
  listError: ApiError | null;
  listingId: string | null;
  /** When the open listing started and when its first rows and its end arrived (performance.now()). */
  listTiming: { start: number; firstRows?: number; end?: number } | null;
  shares: ShareView[];
  sharesLoading: boolean;
  sort: SortState;
  showHidden: boolean;
  selected: ReadonlySet<string>;
  focusIndex: number;
  anchorIndex: number;
  /** A name to focus once the listing that is coming has it (after refresh, up, new folder, rename). */
  pendingFocusName: string | undefined;
  /** The open folder's watch ended with this error: it no longer refreshes by itself (F5 still works). */
  watchEnded: ApiError | null;

  open(location: Location): Promise<void>;
  openShares(driveId: string): Promise<void>;
  closeLocation(): void;
  refresh(): Promise<void>;
  goUp(): Promise<void>;
  enter(entry: EntryView): Promise<void>;
  setSort(key: SortKey): void;
  toggleHidden(): void;
  focusAt(index: number, mode?: 'move' | 'extend' | 'toggle' | 'keep'): void;
  selectAll(): void;
  selectedEntries(): EntryView[];
  onBatch(p: { listingId: string; entries: EntryView[] }): void;
  onEnd(p: { listingId: string; count: number; error?: ApiError }): void;
  onFolderChanged(p: { driveId: string; share: string; path: string }): void;
  /** The server said the watched folder changed: list it again in the background, debounced. */
  onFolderChanges(p: FolderChangesView): void;
  /** main's link came back: watch the open folder again. */
  rewatch(): void;
  mkdir(name: string): Promise<ApiError | undefined>;
  rename(from: string, to: string): Promise<ApiError | undefined>;
  deleteEntries(names: string[]): Promise<ApiError | undefined>;
}

/**
 * At most this many arrived entries are sorted into the list per frame (one batch from main;
 * Chromium's collator makes that 12-27 ms of compares into 19,000 entries), so batches that piled
 * up while the machine was busy never make one long task; the rest go in on the next frames. The
 * end of a listing puts in whatever is left at once.
 */
export const FLUSH_MAX_ENTRIES = 1000;

export function joinPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export const createBrowserSlice: SliceCreator<BrowserSlice> = (set, get, { api, schedule }) => {
  let pending: EntryView[] = [];
  let flushScheduled = false;

  const resort = (entries: EntryView[]): EntryView[] => sortEntries(entries, get().sort, get().showHidden);

  const flush = (all = false): void => {
    flushScheduled = false;
    if (pending.length === 0) return;
    let batch = pending;
    pending = [];
    if (!all && batch.length > FLUSH_MAX_ENTRIES) {
      pending = batch.slice(FLUSH_MAX_ENTRIES);
      batch = batch.slice(0, FLUSH_MAX_ENTRIES);
      flushScheduled = true;
      schedule(() => flush());
    }
    const entries = get().entries.concat(batch);
    const timing = get().listTiming;
    set({ entries, sorted: mergeSorted(get().sorted, batch, get().sort, get().showHidden), ...(timing && timing.firstRows === undefined ? { listTiming: { ...timing, firstRows: performance.now() } } : {}) });
  };

  /** Focuses (and selects) a name now if the list has it, else once the coming listing does. */
  const focusByName = (name: string): void => {
    const i = get().sorted.findIndex((e) => e.name === name);
    if (i >= 0 && !get().loading) get().focusAt(i);
    else set({ pendingFocusName: name });
  };

  const keepFocus = (sorted: EntryView[], name: string | undefined): number => {
    if (name === undefined) return 0;
    const i = sorted.findIndex((e) => e.name === name);
    return i < 0 ? 0 : i;
  };

  /** A fresh listing in place of the old, in one update: selection, focus and anchor kept by name. */
  const replaceEntries = (entries: EntryView[]): void => {
    const s = get();
    const sorted = resort(entries);
    const at = (name: string | undefined, fallback: number): number => {
      const i = name === undefined ? -1 : sorted.findIndex((e) => e.name === name);
      return i >= 0 ? i : Math.max(0, Math.min(fallback, sorted.length - 1));
    };
    const names = new Set(entries.map((e) => e.name));
    const want = s.pendingFocusName !== undefined && names.has(s.pendingFocusName) ? s.pendingFocusName : undefined;
    const focusIndex = at(want ?? s.sorted[s.focusIndex]?.name, s.focusIndex);
    set({
      entries,
      sorted,
      focusIndex,
      anchorIndex: want !== undefined ? focusIndex : at(s.sorted[s.anchorIndex]?.name, s.anchorIndex),
      selected: want !== undefined ? new Set([want]) : new Set([...s.selected].filter((n) => names.has(n))),
      ...(want !== undefined ? { pendingFocusName: undefined } : {}),
    });
  };

  const refresher = new FolderRefresh(api, {
    current: () => ({ location: get().location, folder: get().browseMode === 'folder', loading: get().loading }),
    replace: replaceEntries,
    fullRefresh: () => void get().refresh(),
    watchEnded: (error) => {
      if (get().watchEnded !== error) set({ watchEnded: error });
    },
  });

  return {
    location: null,
    browseMode: 'folder',
    entries: [],
    sorted: [],
    loading: false,
    listError: null,
    listingId: null,
    listTiming: null,
    shares: [],
    sharesLoading: false,
    sort: { key: 'name', dir: 'asc' },
    showHidden: true,
    selected: new Set(),
    focusIndex: 0,
    anchorIndex: 0,
    pendingFocusName: undefined,
    watchEnded: null,

    async open(location) {
      refresher.follow(location);
      const old = get().listingId;
      if (old !== null) void api.folder.close({ listingId: old });
      pending = [];
      set({ location, browseMode: 'folder', entries: [], sorted: [], loading: true, listError: null, listingId: null, selected: new Set(), focusIndex: 0, anchorIndex: 0, pendingFocusName: undefined, listTiming: { start: performance.now() } });
      const r = await api.folder.open(location);
      if (get().location !== location) {
        if (r.ok) void api.folder.close({ listingId: r.value.listingId });
        return;
      }
      if (r.ok) set({ listingId: r.value.listingId });
      else set({ loading: false, listError: r.error });
    },

    async openShares(driveId) {
      const drive = get().drives.find((d) => d.id === driveId);
      if (!drive) return;
      refresher.follow(null);
      const old = get().listingId;
      if (old !== null) void api.folder.close({ listingId: old });
      set({ location: { driveId, share: drive.share, path: '' }, browseMode: 'shares', sharesLoading: true, shares: [], listError: null, listingId: null, entries: [], sorted: [], loading: false });
      const r = await api.browse.shares({ driveId });
      if (get().browseMode !== 'shares') return;
      if (r.ok) set({ shares: r.value, sharesLoading: false });
      else set({ sharesLoading: false, listError: r.error });
    },

    closeLocation() {
      refresher.follow(null);
      const old = get().listingId;
      if (old !== null) void api.folder.close({ listingId: old });
      set({ location: null, entries: [], sorted: [], listingId: null, loading: false, listError: null, browseMode: 'folder' });
    },

    async refresh() {
      const loc = get().location;
      if (loc === null) return;
      if (get().browseMode === 'shares') return get().openShares(loc.driveId);
      // A name someone asked to focus (a new folder) wins over the row focused now.
      const want = get().pendingFocusName ?? get().sorted[get().focusIndex]?.name;
      const listing = get().open({ ...loc });
      if (want !== undefined) set({ pendingFocusName: want });
      await listing;
    },

    async goUp() {
      const loc = get().location;
      if (loc === null || get().browseMode === 'shares') return;
      if (loc.path === '') return get().openShares(loc.driveId);
      const leaving = loc.path.split('/').pop();
      const listing = get().open({ ...loc, path: parentPath(loc.path) });
      if (leaving !== undefined) set({ pendingFocusName: leaving });
      await listing;
    },

    async enter(entry) {
      const loc = get().location;
      if (loc === null || entry.type !== 'directory') return;
      await get().open({ ...loc, path: joinPath(loc.path, entry.name) });
    },

    setSort(key) {
      const cur = get().sort;
      const sort: SortState = cur.key === key ? { key, dir: cur.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
      const focused = get().sorted[get().focusIndex]?.name;
      set({ sort });
      const sorted = resort(get().entries);
      set({ sorted, focusIndex: keepFocus(sorted, focused) });
    },

    toggleHidden() {
      set({ showHidden: !get().showHidden });
      set({ sorted: resort(get().entries), focusIndex: 0 });
    },

    focusAt(index, mode = 'move') {
      const n = get().sorted.length;
      if (n === 0) return;
      const i = Math.max(0, Math.min(n - 1, index));
      const sorted = get().sorted;
      if (mode === 'keep') return set({ focusIndex: i });
      if (mode === 'toggle') {
        const name = sorted[i]?.name as string;
        const selected = new Set(get().selected);
        if (selected.has(name)) selected.delete(name);
        else selected.add(name);
        return set({ focusIndex: i, anchorIndex: i, selected });
      }
      if (mode === 'extend') {
        const a = get().anchorIndex;
        const [lo, hi] = a <= i ? [a, i] : [i, a];
        return set({ focusIndex: i, selected: new Set(sorted.slice(lo, hi + 1).map((e) => e.name)) });
      }
      set({ focusIndex: i, anchorIndex: i, selected: new Set([sorted[i]?.name as string]) });
    },

    selectAll() {
      set({ selected: new Set(get().sorted.map((e) => e.name)) });
    },

    selectedEntries() {
      const sel = get().selected;
      const list = get().sorted.filter((e) => sel.has(e.name));
      if (list.length > 0) return list;
      const focused = get().sorted[get().focusIndex];
      return focused ? [focused] : [];
    },

    onBatch({ listingId, entries }) {
      if (refresher.takeBatch(listingId, entries)) return;
      if (listingId !== get().listingId) {
        // A batch may race the answer that names its listing: keep it if we are still waiting.
        if (get().listingId !== null || !get().loading) return;
      }
      pending.push(...entries);
      if (!flushScheduled) {
        flushScheduled = true;
        schedule(() => flush());
      }
    },

    onEnd({ listingId, count, error }) {
      if (refresher.takeEnd(listingId, count, error)) return;
      if (listingId !== get().listingId && get().listingId !== null) return;
      flush(true);
      const timing = get().listTiming;
      const want = get().pendingFocusName;
      set({
        loading: false,
        listError: error && error.code !== 'cancelled' ? error : null,
        listingId: null,
        ...(timing ? { listTiming: { ...timing, end: performance.now() } } : {}),
        ...(want !== undefined ? { focusIndex: keepFocus(get().sorted, want), anchorIndex: keepFocus(get().sorted, want), selected: new Set(get().sorted.some((e) => e.name === want) ? [want] : []), pendingFocusName: undefined } : {}),
      }); 
    },

    onFolderChanged(p) {
      const loc = get().location;
      if (loc && get().browseMode === 'folder' && !get().loading && p.driveId === loc.driveId && p.share.toLowerCase() === loc.share.toLowerCase() && p.path === loc.path) {
        refresher.soon();
      }
    },

    onFolderChanges(p) {
      refresher.onChanges(p);
    },

    rewatch() {
      refresher.rearm();
    },

    async mkdir(name) {
      const loc = get().location;
      if (loc === null) return undefined;
      const r = await api.fs.mkdir({ ...loc, path: joinPath(loc.path, name) });
      if (!r.ok) return r.error;
      focusByName(name);
      return undefined;
    },

    async rename(from, to) {
      const loc = get().location;
      if (loc === null || from === to) return undefined;
      const r = await api.fs.rename({ driveId: loc.driveId, share: loc.share, from: joinPath(loc.path, from), to: joinPath(loc.path, to) });
      if (!r.ok) return r.error;
      focusByName(to);
      return undefined;
    },

    async deleteEntries(names) {
      const loc = get().location;
      if (loc === null || names.length === 0) return undefined;
      const r = await api.fs.delete({ driveId: loc.driveId, share: loc.share, paths: names.map((n) => joinPath(loc.path, n)) });
      return r.ok ? undefined : r.error;
    },
  };
};
