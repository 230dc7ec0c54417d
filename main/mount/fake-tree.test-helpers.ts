// An in-memory SmbTree for the mount's unit tests: files and folders in maps, failures as the
// SmbStatusError a server would send, every call counted. Only what is outside this process is
// faked here; test/mount/ runs the same file system against a real Samba.
import { randomBytes } from 'node:crypto';
import { NtStatus, SmbError, SmbStatusError, type DirEntry, type DirectoryChanges, type FileHandle, type FileStat, type OpenOptions, type SmbTree, type WatchDirectoryOptions } from '../../protocol/index.js';

/** protocol/index.ts does not name it (yet); the same type through FileHandle. */
type DurableHandle = NonNullable<FileHandle['durable']>;

interface Node {
  type: 'file' | 'directory';
  data: Buffer;
  modified: Date;
  accessed: Date;
  attributes: number;
}

const norm = (p: string): string => p.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
const parent = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/** What survives a reconnect: the files, and the durable opens the server keeps. */
interface ServerState {
  nodes: Map<string, Node>;
  durable: Map<string, { path: string; access: NonNullable<OpenOptions['access']> }>;
  generation: number;
}

export class FakeTree implements SmbTree {
  readonly share = 'fake';
  readonly calls: string[] = [];
  /** Grant durable opens when asked. */
  grantDurable = false;
  private readonly generation: number;
  maxRead = 1024 * 1024;
  maxWrite = 1024 * 1024;
  readOnly = false;
  /** Whether the tree connect said what we may do (SMB 2/3 MaximalAccess); false: a tree that does not. */
  reportsAccess = true;
  /** Make the next calls fail: by name ('stat', 'open', …) → error. */
  readonly failNext = new Map<string, Error>();
  /** Every call waits this long first (ms), or forever when Infinity. */
  delayMs = 0;
  /** How many entries per listing batch. */
  batch = 1000;

  constructor(private readonly server: ServerState = { nodes: new Map([['', { type: 'directory', data: Buffer.alloc(0), modified: new Date(0), accessed: new Date(0), attributes: 0x10 }]]), durable: new Map(), generation: 0 }) {
    this.generation = server.generation;
  }

  /** MS-SMB2 2.2.10: FILE_ALL_ACCESS, or a read-only share's read/execute rights. */
  get maximalAccess(): number | undefined {
    if (!this.reportsAccess) return undefined;
    return this.readOnly ? 0x001f00a9 : 0x001f01ff;
  }

  get nodes(): Map<string, Node> {
    return this.server.nodes;
  }

  /** The connection dropped and came back: old handles fail (transport), durable ones can be reclaimed. */
  reconnect(): FakeTree {
    this.server.generation++;
    const t = new FakeTree(this.server);
    t.grantDurable = this.grantDurable;
    t.reportsAccess = this.reportsAccess;
    t.readOnly = this.readOnly;
    t.maxRead = this.maxRead;
    t.maxWrite = this.maxWrite;
    return t;
  }

  /** The server forgets its durable opens (their timeout passed). */
  forgetDurable(): void {
    this.server.durable.clear();
  }

  private count(name: string, path = ''): void {
    this.calls.push(`${name} ${norm(path)}`.trim());
  }

  countOf(name: string): number {
    return this.calls.filter((c) => c === name || c.startsWith(`${name} `)).length;
  }

  private async gate(name: string, path = ''): Promise<void> {
    this.count(name, path);
    if (this.server.generation !== this.generation) throw new SmbError('transport', 'the connection was closed');
    if (this.delayMs === Infinity) await new Promise(() => undefined);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const e = this.failNext.get(name);
    if (e) {
      this.failNext.delete(name);
      throw e;
    }
  }

  private fail(status: number, operation: string, path: string): never {
    throw new SmbStatusError(status, { operation, path });
  }

  private get(path: string, operation: string): Node {
    const n = this.nodes.get(norm(path));
    if (!n) {
      const up = this.nodes.get(parent(norm(path)));
      this.fail(up ? NtStatus.STATUS_OBJECT_NAME_NOT_FOUND : NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, operation, path);
    }
    return n;
  }

  private checkWrite(operation: string, path: string): void {
    if (this.readOnly) this.fail(NtStatus.STATUS_ACCESS_DENIED, operation, path);
  }

  statOf(path: string): FileStat {
    const n = this.get(path, 'stat');
    const p = norm(path);
    return {
      name: p.slice(p.lastIndexOf('/') + 1),
      type: n.type,
      size: n.type === 'file' ? n.data.length : 0,
      allocationSize: n.data.length,
      created: new Date(0),
      modified: n.modified,
      accessed: n.accessed,
      changed: n.modified,
      attributes: n.attributes,
    };
  }

  file(path: string, data: Buffer | string): void {
    this.nodes.set(norm(path), { type: 'file', data: Buffer.from(data), modified: new Date(), accessed: new Date(), attributes: 0x20 });
  }

  dir(path: string): void {
    this.nodes.set(norm(path), { type: 'directory', data: Buffer.alloc(0), modified: new Date(), accessed: new Date(), attributes: 0x10 });
  }

  content(path: string): Buffer | undefined {
    return this.nodes.get(norm(path))?.data;
  }

  async open(path: string, opts: OpenOptions = {}): Promise<FileHandle> {
    await this.gate('open', path);
    const p = norm(path);
    const disposition = opts.disposition ?? 'open';
    const access = opts.access ?? 'read';
    if (access !== 'read') this.checkWrite('create', path);
    let n = this.nodes.get(p);
    if (n && disposition === 'create') this.fail(NtStatus.STATUS_OBJECT_NAME_COLLISION, 'create', path);
    if (!n && disposition === 'open') this.get(path, 'open');
    if (!this.nodes.get(parent(p))) this.fail(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, 'create', path);
    if (!n) {
      n = { type: 'file', data: Buffer.alloc(0), modified: new Date(), accessed: new Date(), attributes: 0x20 };
      this.nodes.set(p, n);
    }
    if (n.type === 'directory') this.fail(NtStatus.STATUS_FILE_IS_A_DIRECTORY, 'open', path);
    if (disposition === 'overwrite-if') n.data = Buffer.alloc(0);
    let durable: DurableHandle | undefined;
    if (opts.durable && this.grantDurable) {
      const createGuid = randomBytes(16);
      durable = { version: 2, path: p, fileId: randomBytes(16), createGuid, timeoutMs: 60_000, open: opts };
      this.server.durable.set(createGuid.toString('hex'), { path: p, access });
    }
    return this.handle(p, n, access, durable);
  }

  async reclaim(d: DurableHandle): Promise<FileHandle> {
    await this.gate('reclaim', d.path);
    const kept = this.server.durable.get(d.createGuid.toString('hex'));
    const n = kept && this.nodes.get(kept.path);
    if (!kept || !n) this.fail(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, 'reclaim', d.path);
    return this.handle(kept.path, n, kept.access, d);
  }

  private handle(p: string, n: Node, access: NonNullable<OpenOptions['access']>, durable?: DurableHandle): FileHandle {
    let closed = false;
    const check = (): void => {
      if (this.server.generation !== this.generation) throw new SmbError('transport', 'the connection was closed');
      if (closed) throw new SmbStatusError(NtStatus.STATUS_FILE_CLOSED, { operation: 'io', path: p });
    };
    const gate = (name: string): Promise<void> => this.gate(name, p);
    const fail = (status: number, op: string): never => this.fail(status, op, p);
    const statOf = (): FileStat => this.statOf(p);
    const forget = (d: DurableHandle): boolean => this.server.durable.delete(d.createGuid.toString('hex'));
    const count = (): void => this.count('close', p);
    const limits = { read: () => this.maxRead };
    return {
      path: p,
      openStat: this.statOf(p),
      durable,
      maxRead: this.maxRead,
      maxWrite: this.maxWrite,
      readChunk: this.maxRead,
      writeChunk: this.maxWrite,
      async readAt(offset, length) {
        await gate('read');
        check();
        if (access === 'write') fail(NtStatus.STATUS_ACCESS_DENIED, 'read');
        return Buffer.from(n.data.subarray(offset, offset + Math.min(length, limits.read())));
      },
      async writeAt(offset, data) {
        await gate('write');
        check();
        if (access === 'read') fail(NtStatus.STATUS_ACCESS_DENIED, 'write');
        const parts = Buffer.isBuffer(data) ? [data] : data;
        const buf = Buffer.concat(parts as Buffer[]);
        const end = offset + buf.length;
        if (end > n.data.length) n.data = Buffer.concat([n.data, Buffer.alloc(end - n.data.length)]);
        buf.copy(n.data, offset);
        n.modified = new Date();
        return buf.length;
      },
      async stat() {
        await gate('fstat');
        return statOf();
      },
      async setInfo(info) {
        await gate('setinfo');
        check();
        if (info.size !== undefined) n.data = info.size <= n.data.length ? Buffer.from(n.data.subarray(0, info.size)) : Buffer.concat([n.data, Buffer.alloc(info.size - n.data.length)]);
        if (info.times?.modified) n.modified = info.times.modified;
        if (info.times?.accessed) n.accessed = info.times.accessed;
      },
      async flush() {
        await gate('flush');
      },
      async close() {
        if (closed) return;
        closed = true;
        if (durable) forget(durable);
        count();
      },
    };
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const out: DirEntry[] = [];
    for await (const b of this.listDirectory(path)) out.push(...b);
    return out;
  }

  /** Watches armed (path, recursive), and the batches a test sends them with notify(). */
  readonly watches: { path: string; recursive: boolean; push(b: DirectoryChanges | Error): void; ended: boolean }[] = [];

  /** CHANGE_NOTIFY as the server would answer it: one batch per next(), ended by the signal. */
  watchDirectory(path: string, opts: WatchDirectoryOptions = {}): AsyncIterableIterator<DirectoryChanges> {
    this.count('watch', path);
    const queue: (DirectoryChanges | Error)[] = [];
    let wake: (() => void) | undefined;
    const w = { path, recursive: opts.recursive === true, ended: false, push: (b: DirectoryChanges | Error) => (queue.push(b), wake?.()) };
    this.watches.push(w);
    opts.signal?.addEventListener('abort', () => ((w.ended = true), wake?.()), { once: true });
    const it: AsyncIterableIterator<DirectoryChanges> = {
      [Symbol.asyncIterator]: () => it,
      next: async () => {
        while (queue.length === 0 && !w.ended) await new Promise<void>((r) => (wake = r));
        const b = queue.shift();
        if (b === undefined || w.ended) return { done: true, value: undefined };
        if (b instanceof Error) {
          w.ended = true;
          throw b;
        }
        return { done: false, value: b };
      },
      return: async () => {
        w.ended = true;
        return { done: true, value: undefined };
      },
    };
    return it;
  }

  /** The server reports changes to every live watch. */
  notify(batch: DirectoryChanges | Error): void {
    for (const w of this.watches) if (!w.ended) w.push(batch);
  }

  async *listDirectory(path: string): AsyncIterable<DirEntry[]> {
    await this.gate('list', path);
    const p = norm(path);
    if (this.get(path, 'list').type !== 'directory') this.fail(NtStatus.STATUS_NOT_A_DIRECTORY, 'list', path);
    const names = [...this.nodes.keys()].filter((k) => k !== p && parent(k) === p);
    for (let i = 0; i < names.length; i += this.batch) yield names.slice(i, i + this.batch).map((k) => this.statOf(k));
  }

  async stat(path: string): Promise<FileStat> {
    await this.gate('stat', path);
    return this.statOf(path);
  }

  queryInfo(path: string): Promise<FileStat> {
    return this.stat(path);
  }

  async statfs() {
    await this.gate('statfs');
    return { totalBytes: 1e12, freeBytes: 5e11, availableBytes: 4e11 };
  }

  async readFile(path: string): Promise<Buffer> {
    await this.gate('readFile', path);
    const n = this.get(path, 'open');
    return Buffer.from(n.data);
  }

  async writeFile(path: string, data: Buffer): Promise<void> {
    await this.gate('writeFile', path);
    this.checkWrite('create', path);
    this.file(path, data);
  }

  createReadStream(): never {
    throw new SmbError('unsupported', 'not in the fake');
  }

  createWriteStream(): never {
    throw new SmbError('unsupported', 'not in the fake');
  }

  async mkdir(path: string): Promise<void> {
    await this.gate('mkdir', path);
    this.checkWrite('mkdir', path);
    if (this.nodes.has(norm(path))) this.fail(NtStatus.STATUS_OBJECT_NAME_COLLISION, 'mkdir', path);
    if (!this.nodes.has(parent(norm(path)))) this.fail(NtStatus.STATUS_OBJECT_PATH_NOT_FOUND, 'mkdir', path);
    this.dir(path);
  }

  async rmdir(path: string): Promise<void> {
    await this.gate('rmdir', path);
    this.checkWrite('rmdir', path);
    const p = norm(path);
    if (this.get(path, 'rmdir').type !== 'directory') this.fail(NtStatus.STATUS_NOT_A_DIRECTORY, 'rmdir', path);
    if ([...this.nodes.keys()].some((k) => k !== p && parent(k) === p)) this.fail(NtStatus.STATUS_DIRECTORY_NOT_EMPTY, 'rmdir', path);
    this.nodes.delete(p);
  }

  async unlink(path: string): Promise<void> {
    await this.gate('unlink', path);
    this.checkWrite('unlink', path);
    if (this.get(path, 'unlink').type === 'directory') this.fail(NtStatus.STATUS_FILE_IS_A_DIRECTORY, 'unlink', path);
    this.nodes.delete(norm(path));
  }

  async rename(from: string, to: string, opts: { replace?: boolean } = {}): Promise<void> {
    await this.gate('rename', from);
    this.checkWrite('rename', from);
    const f = norm(from);
    const t = norm(to);
    const n = this.get(from, 'rename');
    const there = this.nodes.get(t);
    if (there && (!opts.replace || there.type === 'directory')) this.fail(there.type === 'directory' ? NtStatus.STATUS_ACCESS_DENIED : NtStatus.STATUS_OBJECT_NAME_COLLISION, 'rename', to);
    for (const k of [...this.nodes.keys()]) {
      if (k === f || k.startsWith(`${f}/`)) {
        const v = this.nodes.get(k)!;
        this.nodes.delete(k);
        this.nodes.set(t + k.slice(f.length), v);
      }
    }
    void n;
  }

  async truncate(path: string, size: number): Promise<void> {
    await this.gate('truncate', path);
    this.checkWrite('truncate', path);
    const n = this.get(path, 'truncate');
    n.data = size <= n.data.length ? Buffer.from(n.data.subarray(0, size)) : Buffer.concat([n.data, Buffer.alloc(size - n.data.length)]);
  }

  async setTimes(path: string, times: { accessed?: Date; modified?: Date }): Promise<void> {
    await this.gate('setTimes', path);
    this.checkWrite('setTimes', path);
    const n = this.get(path, 'setTimes');
    if (times.modified) n.modified = times.modified;
    if (times.accessed) n.accessed = times.accessed;
  }

  async disconnect(): Promise<void> {
    this.count('disconnect');
  }
}
