// FsOps served by our own FUSE addon (main/mount/native/sharekeeper_fuse.c, libfuse 3, N-API only).
// The addon turns each kernel request into handler(op, id, path, a, b, c, data) on this thread and
// waits until reply(id, result, extra) answers it; this file calls FsOps and answers every request
// exactly once (a JavaScript backstop first, the addon's own, later one, behind it).
// Why our own: npm fuse-native (libfuse 2) passes the access time as the modification time and caps
// requests at 128 KiB. Here utimens gets both times (NaN for UTIME_OMIT, UTIME_NOW resolved in C) and
// the kernel may send reads and writes of up to 1 MiB.
// The kernel's writeback cache (FUSE_CAP_WRITEBACK_CACHE) stays off by default: with it the kernel
// keeps a cached file's size and mtime itself and ignores the server's (a file another SMB client
// grew or shrank keeps its old size here until the inode is dropped, defeating the ~1 s attribute
// cache), and it sets mtimes later by its own utimens (after ours: cp -p, rsync). Writes reach us as 1 MiB requests without it (max_write; fuse3 always allows big writes), and smb-fs
// gathers them into large WRITEs, so it would buy little. SHAREKEEPER_FUSE_WRITEBACK=1 tries it.
// Electron: N-API is ABI-stable, so the same .node loads in Electron; a packaged app still lists it
// for electron-rebuild (which rebuilds it the same way) and must ship main/mount/native/build/Release.
import { constants as fsc, existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installRoot } from '../platform/install-root.js';
import { errno, FsError } from './errno.js';
import type { FsOps, FuseBinding, FuseMount, FuseMountOptions, FuseStat, FuseStatfs } from './fuse-binding.js';
import { unmountFuse } from './mount-table.js';

/** The addon's surface (sharekeeper_fuse.c, init_module). */
export interface OwnAddon {
  mount(mountPoint: string, options: string, config: NativeConfig, handler: NativeHandler): object;
  reply(id: number, result: number, extra?: unknown, extra2?: unknown): boolean;
  exit(session: object): void;
  unref(session: object): void;
  /** Queues fuse_invalidate_path for the addon's notify thread (absent from builds before it). */
  invalidate?(session: object, path: string): boolean;
}

export interface NativeConfig {
  attrTimeout: number;
  entryTimeout: number;
  maxWrite: number;
  maxReadahead: number;
  writeback: boolean;
  maxThreads: number;
  backstopMs: number;
}

export type NativeHandler = (op: number, id: number, path: string, a: number, b: number, c: number, data: unknown) => void;

/** Operation numbers: the enum at the top of sharekeeper_fuse.c. */
export const OP = {
  getattr: 0, readdir: 1, open: 2, create: 3, read: 4, write: 5, flush: 6, fsync: 7, release: 8, truncate: 9,
  ftruncate: 10, unlink: 11, mkdir: 12, rmdir: 13, rename: 14, utimens: 15, statfs: 16, access: 17, chmod: 18, chown: 19,
} as const;
/** Events come as op -1 - event. */
export const EV = { mounted: -1, failed: -2, closed: -3 } as const;
/** Numbers per stat in a reply: mode uid gid size nlink blocks blksize atimeMs mtimeMs ctimeMs. */
export const STAT_FIELDS = 10;

const RENAME_NOREPLACE = 1;
const MIB = 1024 * 1024;
/** How long stop() waits for the kernel to end the connection after detaching (then it lets go). */
const CLOSE_WAIT_MS = 3000;
/** Read buffers kept for reuse (the kernel has at most a few reads of one mount in flight). */
const READ_POOL = 8;

const require = createRequire(import.meta.url);

/** Where the built addon is: beside the build (dist/main/mount/) or where node-gyp built it (main/mount/). */
export function ownAddonCandidates(): string[] {
  const rel = join('native', 'build', 'Release', 'sharekeeper_fuse.node');
  const root = installRoot(import.meta.url);
  return [join(root, 'dist', 'main', 'mount', rel), join(root, 'main', 'mount', rel)];
}

export function loadOwnAddon(): { addon: OwnAddon } | { problem: string } {
  const path = ownAddonCandidates().find((p) => existsSync(p));
  if (path === undefined) return { problem: 'sharekeeper-fuse3: not built (npm run build:native; needs libfuse3-dev)' };
  try {
    return { addon: require(path) as OwnAddon };
  } catch (e) {
    return { problem: `sharekeeper-fuse3: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
}

/**
 * st_blksize as this binding reports it: at least its largest request (1 MiB), since that is what
 * the kernel can hand us in one go; cp and other tools size their buffers by it (128 KiB, the value
 * made for libfuse 2, cost a round trip through this thread per 128 KiB).
 */
export const PREFERRED_IO = MIB;

export function writeStat(out: Float64Array, at: number, s: FuseStat): void {
  out[at] = s.mode;
  out[at + 1] = s.uid;
  out[at + 2] = s.gid;
  out[at + 3] = s.size;
  out[at + 4] = s.nlink;
  out[at + 5] = s.blocks;
  out[at + 6] = Math.max(s.blksize, PREFERRED_IO);
  out[at + 7] = s.atime.getTime();
  out[at + 8] = s.mtime.getTime();
  out[at + 9] = s.ctime.getTime();
}

export function statfsArray(s: FuseStatfs): Float64Array {
  return Float64Array.from([s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.favail, s.fsid, s.flag, s.namemax]);
}

/** A file handle as the addon takes it back: an int32 it stores in fuse_file_info.fh. */
function handleNumber(fd: number): number {
  if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) throw new FsError('EIO', `file handle ${fd} out of range`);
  return fd;
}

/** With the kernel's writeback cache a file opened write-only may be read (to fill a page) and
 * O_APPEND is the kernel's job (libfuse's fuse_common.h, FUSE_CAP_WRITEBACK_CACHE). */
export function writebackOpenFlags(flags: number): number {
  let f = flags & ~fsc.O_APPEND;
  if ((f & 3) === fsc.O_WRONLY) f = (f & ~3) | fsc.O_RDWR;
  return f;
}

export interface OwnFuseOptions {
  /** FUSE_CAP_WRITEBACK_CACHE (SHAREKEEPER_FUSE_WRITEBACK=1): off by default, see native-own.ts. */
  writeback?: boolean;
  /** Detaches the mount point (default: fusermount3 -u, then -uz when busy). */
  detach?: (dir: string) => Promise<unknown>;
}

export class OwnFuse implements FuseBinding {
  readonly name = 'sharekeeper-fuse3';
  constructor(
    private readonly addon: OwnAddon,
    private readonly options: OwnFuseOptions = {},
  ) {}

  mount(mountPoint: string, ops: FsOps, opts: FuseMountOptions): Promise<FuseMount> {
    const session = new OwnSession(this.addon, mountPoint, ops, opts, this.options);
    return session.start().then(() => ({ mountPoint, unmount: () => session.stop(), invalidatePath: (path: string) => session.invalidatePath(path) }));
  }
}

const cleanOption = (s: string): string => s.replace(/[,\s\\=]/g, '_');

/** The -o list libfuse 3 gets (fuse_new): where /proc/mounts shows the source and the type. */
export function mountOptionString(opts: FuseMountOptions): string {
  return [`fsname=${cleanOption(opts.fsName)}`, `subtype=${cleanOption(opts.subtype)}`].join(',');
}

/** Linux's dev_t (major 12 bits, minor 20 bits split around it), as in <sys/sysmacros.h>. */
export function devParts(dev: number): [number, number] {
  const major = ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) & ~0xfff);
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  return [major, minor];
}

/**
 * The kernel offers FUSE a read-ahead of its default 128 KiB and takes the smaller of that and ours,
 * so sequential reads arrive as 128 KiB requests. As root, the mount's backing device (its sysfs
 * bdi entry, named MAJOR:MINOR of the mount's st_dev) takes a larger window: then reads come as
 * 1 MiB requests (the max_pages libfuse negotiated). Best effort: a user mount keeps 128 KiB.
 * Asynchronous on purpose: stat of the mount point is answered by this very thread.
 */
async function raiseReadahead(mnt: string, kib = 1024): Promise<void> {
  try {
    const [major, minor] = devParts((await stat(mnt)).dev);
    await writeFile(`/sys/class/bdi/${major}:${minor}/read_ahead_kb`, String(kib));
  } catch {
    // not root, or no sysfs: the kernel's default stays
  }
}

export class OwnSession {
  private session: object | undefined;
  private mounted: { resolve: () => void; reject: (e: Error) => void } | undefined;
  private closedResolve: (() => void) | undefined;
  private readonly closed: Promise<void>;
  private stopping: Promise<void> | undefined;
  /**
   * 1 MiB buffers reads fill, reused: a fresh one per request made the garbage collector the
   * bottleneck (1 GiB of short-lived buffers per 1 GiB read). A buffer goes back only when its
   * FsOps call settled, never on the backstop, so a late answer cannot write into another read.
   */
  private readonly readBuffers: Buffer[] = [];
  /** Requests per operation, printed at unmount when SK_FUSE_STATS=1 (a diagnostic). */
  private readonly counts: number[] | undefined = process.env['SK_FUSE_STATS'] === '1' ? [] : undefined;
  /** Requests in flight (id → backstop timer), answered once each. */
  private readonly inFlight = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly addon: OwnAddon,
    private readonly mnt: string,
    private readonly ops: FsOps,
    private readonly opts: FuseMountOptions,
    private readonly own: OwnFuseOptions,
  ) {
    this.closed = new Promise((resolve) => (this.closedResolve = resolve));
  }

  get backstopMs(): number {
    return this.opts.backstopTimeoutMs ?? 120_000;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.mounted = { resolve, reject };
      const config: NativeConfig = {
        attrTimeout: this.opts.attrTimeoutS ?? 1,
        entryTimeout: this.opts.entryTimeoutS ?? 1,
        maxWrite: Math.min(this.opts.maxWrite ?? MIB, MIB),
        maxReadahead: MIB,
        writeback: this.own.writeback ?? false,
        maxThreads: 16,
        // The addon's backstop only matters if this file's never fires.
        backstopMs: this.backstopMs + 30_000,
      };
      try {
        this.session = this.addon.mount(this.mnt, mountOptionString(this.opts), config, (...args) => this.handle(...args));
      } catch (e) {
        this.mounted = undefined;
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** No new requests; the mount point detached (lazily if busy); resolves when the kernel let go, or after a bound. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.session) this.addon.exit(this.session);
      if (this.counts) {
        const names = Object.keys(OP) as (keyof typeof OP)[];
        console.log(`[fuse] ${this.mnt}: ${names.filter((n) => this.counts?.[OP[n]]).map((n) => `${n} ${this.counts?.[OP[n]]}`).join(', ')}`);
      }
      await (this.own.detach ?? unmountFuse)(this.mnt).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.closed, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_WAIT_MS)))]);
      clearTimeout(timer);
      // A lazily detached mount may still serve files held open; it must not keep the process alive.
      if (this.session) this.addon.unref(this.session);
    })();
    return this.stopping;
  }

  /**
   * Drops the kernel's cache of `path`. Only queued here: the addon's notify thread calls
   * fuse_invalidate_path, since the kernel may hold it until this thread answers a read.
   */
  invalidatePath(path: string): boolean {
    if (this.session === undefined || this.stopping !== undefined || this.addon.invalidate === undefined) return false;
    return this.addon.invalidate(this.session, path);
  }

  /** Called by the addon for every request and event. */
  handle(op: number, id: number, path: string, a: number, b: number, c: number, data: unknown): void {
    if (op < 0) return this.event(op, path);
    if (this.counts) this.counts[op] = (this.counts[op] ?? 0) + 1;
    const timer = setTimeout(() => this.answer(id, -errno('ETIMEDOUT')), this.backstopMs);
    this.inFlight.set(id, timer);
    let work: Promise<[number, unknown?, unknown?]>;
    try {
      work = this.call(op, path, a, b, c, data);
    } catch (e) {
      work = Promise.reject(e);
    }
    work.then(
      ([result, extra, extra2]) => {
        this.answer(id, result, extra, extra2);
        if (op === OP.read && this.readBuffers.length < READ_POOL) this.readBuffers.push(extra as Buffer);
      },
      (e: unknown) => this.answer(id, -(e instanceof FsError ? e.errno : errno('EIO'))),
    );
  }

  private answer(id: number, result: number, extra?: unknown, extra2?: unknown): void {
    const timer = this.inFlight.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.inFlight.delete(id);
    this.addon.reply(id, result, extra, extra2);
  }

  private event(op: number, message: string): void {
    if (op === EV.mounted) {
      const mounted = this.mounted;
      this.mounted = undefined;
      void raiseReadahead(this.mnt).finally(() => mounted?.resolve());
    } else if (op === EV.failed) {
      this.mounted?.reject(new Error(message || `cannot mount ${this.mnt}`));
      this.mounted = undefined;
      this.closedResolve?.();
    } else if (op === EV.closed) {
      this.mounted?.reject(new Error(`the FUSE session at ${this.mnt} ended before it started`));
      this.mounted = undefined;
      this.closedResolve?.();
    }
  }

  private async call(op: number, path: string, a: number, b: number, c: number, data: unknown): Promise<[number, unknown?, unknown?]> {
    const ops = this.ops;
    switch (op) {
      case OP.getattr: {
        const out = new Float64Array(STAT_FIELDS);
        writeStat(out, 0, await ops.getattr(path));
        return [0, out];
      }
      case OP.readdir: {
        const r = await ops.readdir(path);
        const stats = new Float64Array(r.names.length * STAT_FIELDS);
        const withStats = r.stats.length === r.names.length;
        if (withStats) r.stats.forEach((s, i) => writeStat(stats, i * STAT_FIELDS, s));
        return [0, r.names, withStats ? stats : undefined];
      }
      case OP.open:
        return [handleNumber(await ops.open(path, this.own.writeback ? await this.openFlags(path, a) : a))];
      case OP.create:
        return [handleNumber(await ops.create(path, a, this.own.writeback ? writebackOpenFlags(b) : b))];
      case OP.read: {
        const length = Math.min(data as number, MIB);
        const buf = this.readBuffers.pop() ?? Buffer.alloc(MIB);
        const n = await ops.read(path, a, buf, length, b);
        if (!Number.isInteger(n) || n < 0 || n > length) throw new FsError('EIO', `read gave ${n} of ${length} bytes`);
        // handle() answers (the addon copies the bytes out at once), then gives buf back.
        return [n, buf];
      }
      case OP.write: {
        const buf = data as Buffer;
        const n = await ops.write(path, a, buf, buf.length, b);
        if (!Number.isInteger(n) || n < 0 || n > buf.length) throw new FsError('EIO', `write took ${n} of ${buf.length} bytes`);
        return [n];
      }
      case OP.flush:
        await ops.flush(path, a);
        return [0];
      case OP.fsync:
        await ops.fsync(path, a, b !== 0);
        return [0];
      case OP.release:
        await ops.release(path, a);
        return [0];
      case OP.truncate:
        await ops.truncate(path, a);
        return [0];
      case OP.ftruncate:
        await ops.ftruncate(path, a, b);
        return [0];
      case OP.unlink:
        await ops.unlink(path);
        return [0];
      case OP.mkdir:
        await ops.mkdir(path, a);
        return [0];
      case OP.rmdir:
        await ops.rmdir(path);
        return [0];
      case OP.rename:
        await this.rename(path, data as string, a);
        return [0];
      case OP.utimens:
        await ops.utimens(path, a, b);
        return [0];
      case OP.statfs:
        return [0, statfsArray(await ops.statfs(path))];
      case OP.access:
        await ops.access(path, a);
        return [0];
      case OP.chmod:
        await ops.chmod(path, a);
        return [0];
      case OP.chown:
        await ops.chown(path, a, b);
        return [0];
      default:
        void c;
        return [-errno('ENOSYS')];
    }
  }

  /** renameat2(2): RENAME_NOREPLACE checked here (not atomic: SMB has no such flag); RENAME_EXCHANGE refused. */
  private async rename(from: string, to: string, flags: number): Promise<void> {
    if ((flags & ~RENAME_NOREPLACE) !== 0) throw new FsError('EINVAL', `rename flags ${flags} not supported`);
    if (flags & RENAME_NOREPLACE) {
      const exists = await this.ops.getattr(to).then(
        () => true,
        (e: unknown) => {
          if (e instanceof FsError && e.errnoName === 'ENOENT') return false;
          throw e;
        },
      );
      if (exists) throw new FsError('EEXIST', `${to} exists`);
    }
    await this.ops.rename(from, to);
  }

  /** Write-only opens become read-write under the writeback cache (if the file allows reading). */
  private async openFlags(path: string, flags: number): Promise<number> {
    const wanted = writebackOpenFlags(flags);
    if (wanted === (flags & ~fsc.O_APPEND)) return wanted;
    try {
      await this.ops.access(path, fsc.R_OK | fsc.W_OK);
      return wanted;
    } catch {
      return flags & ~fsc.O_APPEND;
    }
  }
}
