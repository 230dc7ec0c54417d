// Fakes for the queue's unit tests: an in-memory share (files, folders, faults on reads, writes
// and listings) and a TreeProvider over it that counts connections and can refuse them. Nothing
// here is an SMB server; the integration suites run the queue against a real Samba.
import { Readable, Writable } from 'node:stream';
import { NtStatus, SmbError, SmbStatusError, type DirEntry, type FileStat } from '../../protocol/index.js';
import type { LocalTransferQueue } from './transfer-queue.js';
import type { DriveStateChange, TransferJob, TransferTree, TreeProvider } from './types.js';

/** What a read of `path` from `start` does: deliver `bytes` of it (default all), then fail with `error`. */
export interface ReadPlan {
  bytes?: number;
  error?: Error;
  /** After the bytes, neither data nor an end: a server that stopped answering (until destroyed). */
  hang?: boolean;
}

const CHUNK = 64 * 1024;
const EPOCH = new Date('2026-01-01T00:00:00.000Z');

function norm(p: string): string {
  return p.split(/[\\/]+/).filter((x) => x !== '').join('/');
}

function parentOf(p: string): string {
  const parts = norm(p).split('/');
  parts.pop();
  return parts.join('/');
}

function notFound(path: string): SmbStatusError {
  return new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'open', path });
}

function statOf(name: string, type: 'file' | 'directory', size: number): FileStat {
  return { name, type, size, allocationSize: size, created: EPOCH, modified: EPOCH, accessed: EPOCH, changed: EPOCH, attributes: type === 'directory' ? 0x10 : 0x80 };
}

export class FakeTree implements TransferTree {
  readonly files = new Map<string, Buffer>();
  readonly dirs = new Set<string>(['']);
  /** Folder path → its entries, kept in step with files and dirs (listing stays O(entries)). */
  private readonly children = new Map<string, Map<string, 'file' | 'directory'>>([['', new Map()]]);
  /** Per read: what to deliver; undefined delivers everything. */
  onRead: ((path: string, start: number) => ReadPlan | undefined) | undefined;
  /** Per operation and path: an error to throw instead (stat, readdir, mkdir, unlink, rename, write). */
  fault: ((op: string, path: string) => Error | undefined) | undefined;
  reads = 0;

  addFile(path: string, data: Buffer | string): void {
    const p = norm(path);
    this.mkdirp(parentOf(p));
    this.files.set(p, Buffer.isBuffer(data) ? data : Buffer.from(data));
    this.link(p, 'file');
  }

  mkdirp(path: string): void {
    const p = norm(path);
    if (p === '' || this.dirs.has(p)) return;
    this.mkdirp(parentOf(p));
    this.dirs.add(p);
    this.children.set(p, new Map());
    this.link(p, 'directory');
  }

  names(): string[] {
    return [...this.files.keys()].sort();
  }

  async stat(path: string): Promise<FileStat> {
    const p = norm(path);
    this.check('stat', p);
    const name = p.split('/').pop() ?? '';
    if (this.dirs.has(p)) return statOf(name, 'directory', 0);
    const f = this.files.get(p);
    if (!f) throw notFound(p);
    return statOf(name, 'file', f.length);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const p = norm(path);
    this.check('readdir', p);
    const kids = this.children.get(p);
    if (!kids) throw notFound(p);
    const out: DirEntry[] = [];
    for (const [name, type] of kids) out.push(statOf(name, type, type === 'file' ? (this.files.get(p === '' ? name : `${p}/${name}`)?.length ?? 0) : 0));
    return out;
  }

  async mkdir(path: string): Promise<void> {
    const p = norm(path);
    this.check('mkdir', p);
    if (this.dirs.has(p) || this.files.has(p)) throw new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_COLLISION, { operation: 'mkdir', path: p });
    if (!this.dirs.has(parentOf(p))) throw new SmbStatusError(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, { operation: 'mkdir', path: p });
    this.mkdirp(p);
  }

  async unlink(path: string): Promise<void> {
    const p = norm(path);
    this.check('unlink', p);
    if (!this.files.delete(p)) throw notFound(p);
    this.unlinkEntry(p);
  }

  async rename(from: string, to: string, opts: { replace?: boolean } = {}): Promise<void> {
    const f = norm(from);
    const t = norm(to);
    this.check('rename', f);
    const data = this.files.get(f);
    if (!data) throw notFound(f);
    if ((this.files.has(t) && !opts.replace) || this.dirs.has(t)) throw new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_COLLISION, { operation: 'rename', path: t });
    this.files.delete(f);
    this.unlinkEntry(f);
    this.files.set(t, data);
    this.link(t, 'file');
  }

  createReadStream(path: string, opts: { start?: number } = {}): Readable {
    const p = norm(path);
    const start = opts.start ?? 0;
    this.reads++;
    const data = this.files.get(p);
    const plan = this.onRead?.(p, start) ?? {};
    let at = start;
    const end = data ? Math.min(data.length, plan.bytes === undefined ? data.length : start + plan.bytes) : 0;
    return new Readable({
      read() {
        if (!data) return this.destroy(notFound(p));
        if (at < end) {
          const next = Math.min(end, at + CHUNK);
          this.push(data.subarray(at, next));
          at = next;
          return;
        }
        // Later, as a deadline is: what came before has reached the destination by then.
        if (plan.hang) return;
        if (plan.error) return void setTimeout(() => this.destroy(plan.error), 5);
        this.push(null);
      },
    });
  }

  createWriteStream(path: string, opts: { start?: number; overwrite?: boolean } = {}): Writable {
    const p = norm(path);
    const fault = this.fault?.('write', p);
    const old = this.files.get(p);
    if (!fault) {
      this.mkdirp(parentOf(p));
      this.files.set(p, opts.start !== undefined && old ? old.subarray(0, opts.start) : Buffer.alloc(0));
      this.link(p, 'file');
    }
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        if (fault) return cb(fault);
        this.files.set(p, Buffer.concat([this.files.get(p) ?? Buffer.alloc(0), chunk]));
        cb();
      },
    });
  }

  private check(op: string, path: string): void {
    const e = this.fault?.(op, path);
    if (e) throw e;
  }

  private link(p: string, type: 'file' | 'directory'): void {
    const name = p.split('/').pop() ?? '';
    this.children.get(parentOf(p))?.set(name, type);
  }

  private unlinkEntry(p: string): void {
    this.children.get(parentOf(p))?.delete(p.split('/').pop() ?? '');
  }
}

/**
 * A provider of one FakeTree per drive id (another share of its server: key `driveId/share`);
 * `refuse` makes acquire fail as an unreachable drive does.
 */
export class FakeProvider implements TreeProvider {
  acquired = 0;
  refuse: Error | undefined;
  private readonly listeners = new Set<(c: DriveStateChange) => void>();

  constructor(readonly trees: Record<string, FakeTree>) {}

  async acquire(driveId: string, share?: string): Promise<TransferTree> {
    this.acquired++;
    if (this.refuse) throw this.refuse;
    const t = this.trees[share === undefined ? driveId : `${driveId}/${share}`];
    if (!t) throw new Error(`unknown drive ${driveId}`);
    return t;
  }

  onDriveState(listener: (c: DriveStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(c: DriveStateChange): void {
    for (const l of this.listeners) l(c);
  }
}

export const timeoutError = (what = 'READ'): SmbError => new SmbError('timeout', `${what} did not answer within 2000 ms`, { command: what });
export const transportError = (): SmbError => new SmbError('transport', 'connection refused', { operation: 'connect' });

/** The job once it has ended (done, failed, cancelled or skipped), as the queue's state events tell. */
export function settled(q: LocalTransferQueue, id: string): Promise<TransferJob> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const j = q.get(id);
      if (j && ['done', 'failed', 'cancelled', 'skipped'].includes(j.state)) {
        resolve(j);
        return true;
      }
      return false;
    };
    if (check()) return;
    const off = q.on('state', () => check() && off());
  });
}
