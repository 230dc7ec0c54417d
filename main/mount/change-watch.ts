// The mount hears of changes others make (SMB2 CHANGE_NOTIFY, MS-SMB2 3.2.4.19, through
// SmbTree.watchDirectory): one recursive watch of the drive's folder per connection, and each
// change drops what the attribute cache and the readers hold for that path, so another client's
// new file, rename or write shows at once instead of after the cache's lifetime (or, for a
// listing whose walk goes on, much later: see attr-cache.ts). "Could not say what changed"
// (overflow) drops everything. A new connection starts a new watch and drops everything too
// (changes made while we were away went unheard). A watch that fails is not re-armed on the same
// connection (bounded: at most one watch per connection); the cache's own lifetime still holds.
// A request goes out no sooner than minIntervalMs after the one before: the server keeps
// collecting changes on the open meanwhile (MS-FSA 2.1.5.11), so a burst is one answer, and a
// server that answers at once for ever (a folder written non-stop, or a hostile one) costs a few
// round trips and cache drops a second instead of one per round trip.
// The kernel caches too (attr_timeout, entry_timeout: ~1 s by default), so each changed path and
// its folder are also dropped there (FuseMount.invalidatePath) unless one of our own open files
// writes it (the kernel saw those writes itself). What the kernel holds below a folder removed or
// renamed away, and everything on overflow, keeps its own timeout: the binding drops one path at a
// time and has no list of what the kernel holds.
import { setTimeout as sleep } from 'node:timers/promises';
import type { DirectoryChanges, SmbTree } from '../../protocol/index.js';
import type { AttrCache } from './attr-cache.js';

export interface WatchTarget {
  readonly cache: AttrCache;
  /** Readers of `path` drop what they fetched; all readers when undefined. */
  invalidateReaders(path?: string): void;
  /** The kernel drops its cached attributes and pages of `path` (unset: nothing to tell). */
  invalidateKernel?(path: string): void;
  /** Whether one of our own open files writes `path` (its writes already invalidate). */
  writing(path: string): boolean;
  /** The drive's folder as a share path ('' for the share's root). */
  readonly rootSharePath: string;
  log(message: string): void;
  /** Least time between two requests of the watch (default MIN_ANSWER_INTERVAL_MS). */
  readonly minIntervalMs?: number;
}

export const MIN_ANSWER_INTERVAL_MS = 100;

const parentOf = (path: string): string => path.slice(0, Math.max(1, path.lastIndexOf('/')));

export class ChangeWatch {
  private tree: SmbTree | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  /** Batches applied (for tests and the log). */
  batches = 0;

  constructor(private readonly target: WatchTarget) {}

  /** The drive's tree now: a new one gets a new watch (the old one ended with its connection). */
  follow(tree: SmbTree): void {
    if (this.tree === tree) return;
    const first = this.tree === undefined;
    this.tree = tree;
    this.controller?.abort();
    if (!first) this.dropAll();
    if (!tree.watchDirectory) return;
    const controller = new AbortController();
    this.controller = controller;
    this.running = this.run(tree, controller.signal);
  }

  /**
   * Ends the watch (unmount). Not waited for: cancelling the request needs the server, which may be
   * gone; the protocol layer bounds that by the connection's deadline.
   */
  stop(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.tree = undefined;
  }

  /** The watch's loop (ends once it was stopped and its request cancelled); for tests. */
  get settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async run(tree: SmbTree, signal: AbortSignal): Promise<void> {
    try {
      const interval = this.target.minIntervalMs ?? MIN_ANSWER_INTERVAL_MS;
      let askedAt = Date.now();
      for await (const batch of tree.watchDirectory!(this.target.rootSharePath, { recursive: true, signal })) {
        if (signal.aborted || this.tree !== tree) break;
        this.apply(batch);
        // Answered sooner than `interval` after it was asked: the next request waits out the rest
        // (a change after a quiet spell is still heard at once).
        const rest = askedAt + interval - Date.now();
        if (rest > 0) await sleep(rest, undefined, { signal, ref: false }).catch(() => undefined);
        askedAt = Date.now();
      }
    } catch (e) {
      if (!signal.aborted && this.tree === tree) this.target.log(`watch for changes ended: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** One answer: each path's cached attributes, its folder's listing and its readers go. */
  apply(batch: DirectoryChanges): void {
    this.batches++;
    if (batch.overflow) return this.dropAll();
    for (const c of batch.changes) {
      const path = `/${c.name.split('\\').join('/')}`;
      if (c.action === 'removed' || c.action === 'renamed-from') {
        this.target.cache.invalidateTree(path); // a folder takes what is below it along
      } else {
        this.target.cache.invalidate(path);
        if (c.action === 'renamed-to') this.target.cache.invalidateTree(path);
      }
      if (this.target.writing(path)) continue;
      this.target.invalidateReaders(path);
      this.target.invalidateKernel?.(path);
      this.target.invalidateKernel?.(parentOf(path)); // its mtime, and its size on some servers
    }
  }

  private dropAll(): void {
    this.target.cache.clear();
    this.target.invalidateReaders();
  }
}
