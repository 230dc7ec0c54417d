// A short cache of what the server said about paths (about 1 s), so tools that stat the same file
// many times, and `ls -l` (one listing, then a getattr per entry from the kernel), make one round
// trip instead of thousands. Entries are attributes, "does not exist" (also known from a fresh
// listing of the parent), and listings; a listing's entries live as long as the kernel's walk of
// them (see Listing), bounded in time and in number of listings. Our own changes invalidate what
// they touch at once.
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

export interface CacheLimits {
  /**
   * While the kernel walks a listing's entries (a getattr each, after `ls -l`'s readdir), the
   * longest pause between two of them that still counts as the same walk (default: 2 s, or the
   * TTL if longer).
   */
  walkGraceMs?: number;
  /** No walk keeps a listing's entries longer than this after it was read (default 60 s). */
  maxWalkMs?: number;
  /** Listings kept at most; the least recently used goes first (default 256). */
  maxListings?: number;
  /** Listings larger than this are not kept whole (their entries still are, by the clock). */
  maxListing?: number;
}

/**
 * A folder's listing. readdir may be answered from it for the TTL; its entries answer getattr
 * for the TTL too, and for as long as the kernel keeps walking them: each entry asked for the first time since the
 * last readdir pushes `until` on by the walk grace; once every entry was asked, the TTL runs from
 * the last one. So a slow walk (a large folder on a loaded machine) is answered from the one
 * listing however long it takes, and an abandoned walk ends a grace period after its last step.
 */
interface Listing {
  entries: Map<string, FileStat>;
  readdirUntil: number;
  until: number;
  hardUntil: number;
  asked: Set<string>;
}

export class AttrCache {
  private readonly stats = new Map<string, Timed<FileStat | 'missing'>>();
  private readonly listings = new Map<string, Listing>();
  private readonly walkGraceMs: number;
  private readonly maxWalkMs: number;
  private readonly maxListings: number;
  private readonly maxListing: number;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock = Date,
    limits: CacheLimits = {},
  ) {
    this.walkGraceMs = limits.walkGraceMs ?? Math.max(ttlMs, 2000);
    this.maxWalkMs = limits.maxWalkMs ?? 60_000;
    this.maxListings = Math.max(1, limits.maxListings ?? 256);
    this.maxListing = limits.maxListing ?? 200_000;
  }

  /** A stat, 'missing', or undefined when we do not know (fresh) either way. */
  get(path: string): FileStat | 'missing' | undefined {
    const now = this.clock.now();
    const hit = this.stats.get(path);
    if (hit && hit.until > now) return hit.value;
    if (hit) this.stats.delete(path);
    const listing = this.listings.get(parentOf(path));
    if (!listing || listing.until <= now) return undefined;
    const name = baseName(path);
    const e = listing.entries.get(name);
    if (e) this.walked(listing, name, now);
    return e ?? 'missing';
  }

  put(path: string, value: FileStat | 'missing'): void {
    if (this.ttlMs <= 0) return;
    this.stats.set(path, { value, until: this.clock.now() + this.ttlMs });
    this.sweepSometimes();
  }

  /** The listing readdir may answer from (fresh for the TTL); answering starts a new walk of it. */
  listing(dir: string): Map<string, FileStat> | undefined {
    const hit = this.listings.get(dir);
    const now = this.clock.now();
    if (!hit || hit.readdirUntil <= now) return undefined;
    hit.asked.clear();
    hit.until = Math.min(hit.hardUntil, Math.max(hit.until, now + this.walkGraceMs));
    this.touch(dir, hit);
    return hit.entries;
  }

  /** Keeps a listing just read (its walk by the kernel follows; see Listing). */
  putListing(dir: string, entries: readonly FileStat[], tookMs = 0): void {
    if (this.ttlMs <= 0) return;
    const now = this.clock.now();
    if (entries.length > this.maxListing) {
      // Too large to keep whole: its entries by the clock, for the time a walk should take.
      const until = now + this.ttlMs + Math.ceil(entries.length * WALK_MS_PER_ENTRY) + tookMs;
      for (const e of entries) this.stats.set(childPath(dir, e.name), { value: e, until });
      return;
    }
    const hardUntil = now + Math.max(this.maxWalkMs, this.ttlMs);
    const listing: Listing = {
      entries: new Map(entries.map((e) => [e.name, e])),
      readdirUntil: now + this.ttlMs,
      // Until a walk starts, the plain TTL (plus what the listing took): a listing nobody walks
      // ages like any other answer; the kernel's first getattr comes right after the readdir.
      until: Math.min(hardUntil, now + this.ttlMs + tookMs),
      hardUntil,
      asked: new Set(),
    };
    this.touch(dir, listing);
    while (this.listings.size > this.maxListings) {
      const oldest = this.listings.keys().next().value;
      if (oldest === undefined) break;
      this.listings.delete(oldest);
    }
  }

  /** One more entry of the walk: the walk goes on, or (every entry asked) ends a TTL from now. */
  private walked(listing: Listing, name: string, now: number): void {
    if (listing.asked.has(name)) return;
    listing.asked.add(name);
    const next = listing.asked.size >= listing.entries.size ? now + this.ttlMs : Math.max(listing.until, now + this.walkGraceMs);
    listing.until = Math.min(listing.hardUntil, next);
  }

  /** Most recently used last (Map order), for the LRU bound. */
  private touch(dir: string, listing: Listing): void {
    this.listings.delete(dir);
    this.listings.set(dir, listing);
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
    for (const [k, v] of this.listings) if (v.until <= now && v.readdirUntil <= now) this.listings.delete(k);
  }
}
