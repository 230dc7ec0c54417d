// What every operation of one mounted drive shares: the gate to the drive, the attribute cache,
// the open files, who owns the files as shown, whether the share is read-only, the deadlines.
import type { FileStat, SmbTree } from '../../protocol/index.js';
import { AttrCache, type Clock } from './attr-cache.js';
import { ChangeWatch } from './change-watch.js';
import { DEFAULT_TIMINGS, DriveGate, type DriveLink, type GateTimings, type RunOptions } from './drive-link.js';
import { fsError, FsError } from './errno.js';
import type { ReaderOptions } from './file-reader.js';
import type { WriterOptions } from './file-writer.js';
import { OpenFile } from './open-file.js';
import type { Owner } from './stat-convert.js';

export interface SmbFsOptions {
  link: DriveLink;
  /** Folder inside the share the drive's target names ('' for the share's root). */
  rootPath?: string;
  uid?: number;
  gid?: number;
  /** Serve read-only whatever the share allows. */
  readOnly?: boolean;
  /** Attribute and listing cache lifetime (default 1000 ms; 0 turns it off). */
  cacheTtlMs?: number;
  /** Deadline of a metadata operation (default 15 s) and of a read or write (default 30 s). */
  metaTimeoutMs?: number;
  ioTimeoutMs?: number;
  timings?: GateTimings;
  reader?: ReaderOptions;
  writer?: WriterOptions;
  clock?: Clock;
  log?: (message: string) => void;
  /** Hear of others' changes through CHANGE_NOTIFY where the server can (default true). */
  watchChanges?: boolean;
  /** Least time between two CHANGE_NOTIFY requests of the mount's watch (change-watch.ts). */
  watchIntervalMs?: number;
}

/** Tells whether a share takes writes, without changing anything (see SmbFileSystem.probeReadOnly). */
export type ReadOnlyProbe = (tree: SmbTree, rootSharePath: string) => Promise<boolean>;

export class FsState {
  readonly gate: DriveGate;
  readonly cache: AttrCache;
  readonly watch: ChangeWatch;
  readonly files = new Map<number, OpenFile>();
  readonly rootPath: string;
  readonly metaTimeoutMs: number;
  readonly ioTimeoutMs: number;
  readonly mountedAt = new Date();
  readonly log: (message: string) => void;
  private nextFd = 1;
  private readOnly: boolean | undefined;
  private probedTree: SmbTree | undefined;
  private probe: Promise<boolean> | undefined;
  private kernelInvalidate: ((path: string) => boolean) | undefined;

  constructor(
    readonly opts: SmbFsOptions,
    private readonly probeReadOnly: ReadOnlyProbe,
  ) {
    this.gate = new DriveGate(opts.link, opts.timings ?? DEFAULT_TIMINGS);
    this.cache = new AttrCache(opts.cacheTtlMs ?? 1000, opts.clock);
    this.rootPath = (opts.rootPath ?? '').replace(/^[\\/]+|[\\/]+$/g, '');
    this.metaTimeoutMs = opts.metaTimeoutMs ?? 15_000;
    this.ioTimeoutMs = opts.ioTimeoutMs ?? 30_000;
    this.readOnly = opts.readOnly ? true : undefined;
    this.log = opts.log ?? (() => undefined);
    this.watch = new ChangeWatch({
      cache: this.cache,
      invalidateReaders: (path) => this.invalidateReaders(path),
      invalidateKernel: (path) => void this.kernelInvalidate?.(path),
      writing: (path) => this.filesAt(path).some((of) => of.canWrite),
      rootSharePath: this.sharePath('/'),
      log: (m) => this.log(m),
      ...(opts.watchIntervalMs !== undefined ? { minIntervalMs: opts.watchIntervalMs } : {}),
    });
  }

  get owner(): Owner {
    return { uid: this.opts.uid ?? process.getuid?.() ?? 0, gid: this.opts.gid ?? process.getgid?.() ?? 0, readOnly: this.readOnly === true };
  }

  /** The share path of a mount path ('/a/b' → 'root/a/b'); a name with `\` cannot be said in SMB. */
  sharePath(path: string): string {
    if (path.includes('\\')) throw fsError('EINVAL', `${path}: SMB names cannot contain '\\'`);
    const rel = path.replace(/^\/+/, '');
    if (this.rootPath === '') return rel;
    return rel === '' ? this.rootPath : `${this.rootPath}/${rel}`;
  }

  /** A metadata operation on the tree, within its deadline. */
  meta<T>(what: string, work: (tree: SmbTree) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    return this.gate.run(what, this.metaTimeoutMs, async (tree) => {
      this.noteTree(tree);
      return work(tree);
    }, opts);
  }

  /** Throws EROFS on a read-only drive (asking the share once per connection). */
  async checkWritable(what: string): Promise<void> {
    if (this.opts.readOnly) throw fsError('EROFS', `${what}: the drive is mounted read-only`);
    if (this.probe === undefined) await this.meta(what, async () => undefined, { idempotent: true });
    if (await this.probe) throw fsError('EROFS', `${what}: the share is read-only`);
  }

  /** Starts the read-only check for a new connection (its answer holds until the next one). */
  noteTree(tree: SmbTree): void {
    if (this.opts.watchChanges !== false) this.watch.follow(tree);
    if (this.probedTree === tree || this.opts.readOnly) return;
    this.probedTree = tree;
    const p = this.probeReadOnly(tree, this.sharePath('/')).catch(() => false);
    this.probe = p;
    void p.then((ro) => {
      if (this.probe === p) this.readOnly = ro;
    });
  }

  register(make: (fd: number) => OpenFile): OpenFile {
    while (this.files.has(this.nextFd)) this.nextFd = this.nextFd >= 0x7fffffff ? 1 : this.nextFd + 1;
    const of = make(this.nextFd);
    this.files.set(of.fd, of);
    this.nextFd = this.nextFd >= 0x7fffffff ? 1 : this.nextFd + 1;
    return of;
  }

  file(fd: number): OpenFile {
    const of = this.files.get(fd);
    if (!of) throw fsError('EBADF', `no open file ${fd}`);
    return of;
  }

  /** Open files at `path`, or below it when `below`. */
  filesAt(path: string, below = false): OpenFile[] {
    const out: OpenFile[] = [];
    for (const of of this.files.values()) if (of.path === path || (below && of.path.startsWith(`${path}/`))) out.push(of);
    return out;
  }

  /** Lets everything written at `path` (by any open file) reach the server first. */
  async settleWrites(path: string, below = false): Promise<void> {
    await Promise.all(this.filesAt(path, below).map((of) => of.writer.settle()));
  }

  /** The size to show for `path`: what the server said, or further if we hold writes beyond it. */
  shownStat(path: string, st: FileStat): FileStat {
    let end = 0;
    for (const of of this.files.values()) if (of.path === path) end = Math.max(end, of.writer.heldEnd);
    return end > st.size ? { ...st, size: end } : st;
  }

  /** How to make the kernel drop its cache of a path: the mount's, once it is mounted. */
  attachKernel(invalidate: ((path: string) => boolean) | undefined): void {
    this.kernelInvalidate = invalidate;
  }

  /** Readers of `path` (of every file when undefined) drop what they fetched (it was written or truncated). */
  invalidateReaders(path?: string): void {
    for (const of of path === undefined ? this.files.values() : this.filesAt(path)) of.reader.invalidate();
  }

  isDownError(e: unknown): boolean {
    return e instanceof FsError && e.errnoName === 'EHOSTDOWN';
  }
}
