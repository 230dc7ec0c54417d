// A short cache of what the server said about paths (about 1 s), so tools that stat the same file
// many times, and `ls -l` (one listing, then a getattr per entry from the kernel), make one round
// trip instead of thousands. Entries are attributes, "does not exist" (also known from a fresh
// listing of the parent), and listings. Our own changes invalidate what they touch at once.
import type { FileStat } from '../../protocol/index.js';

export interface Clock {
  now(): number;
}

interface Timed<T> {
  value: T;
  until: number;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** What the kernel takes per entry to ask for attributes after a listing (measured: ~30 µs). */
const WALK_MS_PER_ENTRY = 0.05;

export class AttrCache {
  private readonly stats = new Map<string, Timed<FileStat | 'missing'>>();
  private readonly listings = new Map<string, Timed<Map<string, FileStat>>>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = Date,
    /** Listings larger than this are not kept whole (their entries still are). */
    private readonly maxListing = 200_000,
  ) {}

  /** A stat, 'missing', or undefined when we do not know (fresh) either way. */
  get(path: string): FileStat | 'missing' | undefined {
    const now = this.clock.now();
    const hit = this.stats.get(path);
    if (hit && hit.until > now) return hit.value;
    if (hit) this.stats.delete(path);
    const listing = this.listings.get(parentOf(path));
    if (listing && listing.until > now) return listing.value.get(baseName(path)) ?? 'missing';
    return undefined;
  }

  put(path: string, value: FileStat | 'missing'): void {
    if (this.ttlMs <= 0) return;
    this.stats.set(path, { value, until: this.clock.now() + this.ttlMs });
    this.sweepSometimes();
  }

  listing(dir: string): Map<string, FileStat> | undefined {
    const hit = this.listings.get(dir);
    if (hit && hit.until > this.clock.now()) return hit.value;
    if (hit) this.listings.delete(dir);
    return undefined;
  }

  /**
   * Keeps a listing. After `ls -l` reads it, the kernel asks for each entry's attributes one by
   * one; for a large folder that walk takes longer than the TTL, so a listing is kept for the TTL
   * plus the time the walk needs (about 50 µs an entry) plus what the listing itself took.
   */
  putListing(dir: string, entries: readonly FileStat[], tookMs = 0): void {
    if (this.ttlMs <= 0) return;
    const until = this.clock.now() + this.ttlMs + Math.ceil(entries.length * WALK_MS_PER_ENTRY) + tookMs;
    if (entries.length <= this.maxListing) {
      this.listings.set(dir, { value: new Map(entries.map((e) => [e.name, e])), until });
      return;
    }
    for (const e of entries) this.stats.set(childPath(dir, e.name), { value: e, until });
  }

  /** Our own change to `path`: its attributes and its parent's listing are stale. */
  invalidate(path: string): void {
    this.stats.delete(path);
    this.listings.delete(path);
    this.listings.delete(parentOf(path));
  }

  /** A folder was renamed or removed: everything below it is stale too. */
  invalidateTree(path: string): void {
    this.invalidate(path);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const k of this.stats.keys()) if (k.startsWith(prefix)) this.stats.delete(k);
    for (const k of this.listings.keys()) if (k.startsWith(prefix)) this.listings.delete(k);
  }

  clear(): void {
    this.stats.clear();
    this.listings.clear();
  }

  private puts = 0;

  /** Expired entries are dropped now and then, so a long walk does not keep them all. */
  private sweepSometimes(): void {
    if (++this.puts % 4096 !== 0) return;
    const now = this.clock.now();
    for (const [k, v] of this.stats) if (v.until <= now) this.stats.delete(k);
    for (const [k, v] of this.listings) if (v.until <= now) this.listings.delete(k);
  }
}
