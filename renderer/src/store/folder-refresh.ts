// The open folder keeps itself current: main watches it on the server (`folder.watch`, SMB2
// CHANGE_NOTIFY) and says when something changed (`folder.changes`); after a quiet moment the
// folder is listed again in the background and the new entries replace the old in one update,
// keeping the selection, the focused row and the scroll position (the list is never emptied).
// Bursts (a copy of a thousand files) become one listing per DEBOUNCE_MS, never one per change.
// Changes made through ShareKeeper (`folder.changed`: new folder, rename, delete, upload) take the
// same quiet way, sooner.
import type { ApiError, EntryView, FolderChangesView, Location } from '../../../main/api/types.js';
import type { ApiClient } from '../api/client.js';

/** Wait this long after the last change the server reported before listing again. */
export const REFRESH_DEBOUNCE_MS = 300;
/** After a change made through ShareKeeper (`folder.changed`): soon, but a multi-item delete is one listing. */
export const OWN_CHANGE_DELAY_MS = 50;

export interface RefreshHost {
  current(): { location: Location | null; folder: boolean; loading: boolean };
  /** Puts a complete fresh listing in place (keeping selection and focus by name). */
  replace(entries: EntryView[]): void;
  /** The background listing could not be trusted (batches lost): list again the ordinary way. */
  fullRefresh(): void;
  /** The watch of the open folder ended with this error (null: it is watched again, or not ended). */
  watchEnded(error: ApiError | null): void;
}

interface Watch {
  loc: Location;
  id: string | null;
  /** The server ended it: the next follow of the same folder (F5) watches again. */
  ended?: boolean;
}

interface Reload {
  /** The listing id, once folder.open answered. */
  id: string | null;
  loc: Location;
  entries: EntryView[];
  /** A change came while this listing ran: list once more after it. */
  again: boolean;
}

const sameLocation = (a: Location, b: Location): boolean => a.driveId === b.driveId && a.share.toLowerCase() === b.share.toLowerCase() && a.path === b.path;

export class FolderRefresh {
  private watch: Watch | null = null;
  private reload: Reload | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Background listings given up on (the folder was left): closed, and their late batches swallowed
   * here, so none can land in the listing of the folder opened next while it waits for its id.
   */
  private readonly dropped = new Set<string>();

  constructor(
    private readonly api: ApiClient,
    private readonly host: RefreshHost,
    private readonly debounceMs = REFRESH_DEBOUNCE_MS,
  ) {}

  /** The folder on screen is now `loc` (null: none, or the share list): watch it, and only it. */
  follow(loc: Location | null): void {
    // A listing of what was on screen before is of no use any more.
    this.dropReload();
    clearTimeout(this.timer);
    if (loc !== null && this.watch !== null && this.watch.ended !== true && sameLocation(this.watch.loc, loc)) return;
    this.stopWatch();
    this.host.watchEnded(null);
    if (loc === null) return;
    const w: Watch = { loc: { ...loc }, id: null };
    this.watch = w;
    void this.api.folder.watch(w.loc).then((r) => {
      const id = r.ok && typeof r.value?.watchId === 'string' ? r.value.watchId : null;
      if (this.watch === w) w.id = id;
      else if (id !== null) void this.api.folder.unwatch({ watchId: id });
    });
  }

  /** After main's link came back: its watches are gone with the old connection. */
  rearm(): void {
    const loc = this.watch?.loc ?? null;
    this.watch = null;
    this.follow(loc);
  }

  onChanges(p: FolderChangesView): void {
    const w = this.watch;
    if (w === null || w.id === null || p.watchId !== w.id) return;
    if (p.ended !== undefined) {
      // Nothing more comes: say so in the folder view (F5 still lists, and watches again).
      this.watch = { loc: w.loc, id: null, ended: true };
      if (p.ended.code !== 'cancelled') this.host.watchEnded(p.ended);
      return;
    }
    this.schedule();
  }

  /** Something changed through ShareKeeper itself: list again in the background, soon. */
  soon(): void {
    this.schedule(OWN_CHANGE_DELAY_MS);
  }

  /** True when the batch belonged to the background listing. */
  takeBatch(listingId: string, entries: EntryView[]): boolean {
    if (this.dropped.has(listingId)) return true;
    const r = this.reload;
    if (r === null || r.id !== listingId) return false;
    for (const e of entries) r.entries.push(e);
    return true;
  }

  /** True when the end belonged to the background listing. */
  takeEnd(listingId: string, count: number, error: ApiError | undefined): boolean {
    if (this.dropped.delete(listingId)) return true;
    const r = this.reload;
    if (r === null || r.id !== listingId) return false;
    this.reload = null;
    const now = this.host.current();
    if (now.location === null || !now.folder || !sameLocation(now.location, r.loc)) return true;
    if (error === undefined) {
      // Batches that raced the answer naming the listing were not ours to keep: do it the plain way.
      if (r.entries.length === count) this.host.replace(r.entries);
      else this.host.fullRefresh();
    }
    if (r.again) this.schedule();
    return true;
  }

  private schedule(delayMs = this.debounceMs): void {
    if (this.reload !== null) {
      this.reload.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.start(), delayMs);
  }

  private async start(): Promise<void> {
    const now = this.host.current();
    if (now.location === null || !now.folder) return;
    // An ordinary listing is already bringing the folder in: it sees the change too.
    if (now.loading) return;
    const r: Reload = { id: null, loc: { ...now.location }, entries: [], again: false };
    this.reload = r;
    const res = await this.api.folder.open(r.loc);
    if (this.reload !== r) {
      if (res.ok) this.drop(res.value.listingId);
      return;
    }
    if (res.ok) r.id = res.value.listingId;
    else this.reload = null;
  }

  private dropReload(): void {
    const id = this.reload?.id ?? null;
    this.reload = null;
    if (id !== null) this.drop(id);
  }

  private drop(listingId: string): void {
    this.dropped.add(listingId);
    // Bounded: an end that never comes must not keep ids for ever.
    for (const old of this.dropped) {
      if (this.dropped.size <= 16) break;
      this.dropped.delete(old);
    }
    void this.api.folder.close({ listingId });
  }

  private stopWatch(): void {
    const id = this.watch?.id ?? null;
    this.watch = null;
    if (id !== null) void this.api.folder.unwatch({ watchId: id });
  }
}
