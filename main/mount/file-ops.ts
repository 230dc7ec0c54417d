// The file half of the file system: open/create, read, write, flush, fsync, release, ftruncate.
import { constants } from 'node:fs';
import { fsError } from './errno.js';
import type { FsState } from './fs-state.js';
import type { MetaOps } from './meta-ops.js';
import { OpenFile, openOptions, type Access } from './open-file.js';

function accessOf(flags: number): Access {
  const mode = flags & 3; // O_ACCMODE (not among Node's constants)
  return mode === constants.O_WRONLY ? 'write' : mode === constants.O_RDWR ? 'read-write' : 'read';
}

export class FileOps {
  constructor(
    private readonly s: FsState,
    private readonly meta: MetaOps,
  ) {}

  private deps() {
    return { gate: this.s.gate, sharePath: (p: string) => this.s.sharePath(p), ioTimeoutMs: this.s.ioTimeoutMs, log: this.s.log, reader: this.s.opts.reader, writer: this.s.opts.writer };
  }

  async open(path: string, flags: number): Promise<number> {
    const access = accessOf(flags);
    if (access !== 'read') await this.s.checkWritable(`open ${path}`);
    const st = await this.meta.stat(path);
    if (st.type === 'directory' && access !== 'read') throw fsError('EISDIR', path);
    if (access === 'read') {
      // Opened on the server at the first read, which may then be a one-round-trip whole read.
      return this.s.register((fd) => new OpenFile(fd, path, access, this.deps(), st.size)).fd;
    }
    const opened = await this.s.meta(
      `open ${path}`,
      async (tree) => ({ tree, handle: await tree.open(this.s.sharePath(path), openOptions(access)) }),
      { idempotent: true },
    );
    const of = this.s.register((fd) => new OpenFile(fd, path, access, this.deps(), st.size, opened));
    if (flags & constants.O_TRUNC && st.size > 0) {
      await of.withHandle('truncate', (h) => h.setInfo({ size: 0 })).catch(async (e: unknown) => {
        await this.release(of.fd);
        throw e;
      });
      this.s.cache.invalidate(path);
    }
    return of.fd;
  }

  /** O_CREAT of a name the kernel found missing: made here, failing with EEXIST if it appeared. */
  async create(path: string): Promise<number> {
    await this.s.checkWritable(`create ${path}`);
    this.s.cache.invalidate(path);
    const opened = await this.s.meta(`create ${path}`, async (tree) => ({
      tree,
      handle: await tree.open(this.s.sharePath(path), { ...openOptions('read-write'), disposition: 'create' }),
    }));
    this.s.cache.invalidate(path);
    this.s.cache.put(path, { ...opened.handle.openStat, name: path.slice(path.lastIndexOf('/') + 1) });
    return this.s.register((fd) => new OpenFile(fd, path, 'read-write', this.deps(), 0, opened)).fd;
  }

  async read(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
    const of = this.s.file(fd);
    // Read what was written: bytes held by any open file of this path go to the server first.
    if (this.s.filesAt(of.path).some((o) => o.writer.holding)) await this.s.settleWrites(of.path);
    return of.reader.read(buf, length, position);
  }

  async write(fd: number, buf: Buffer, length: number, position: number): Promise<number> {
    const of = this.s.file(fd);
    if (!of.canWrite) throw fsError('EBADF', `${of.path} is not open for writing`);
    this.s.invalidateReaders(of.path);
    return of.writer.write(buf, length, position);
  }

  /** close(2): held writes reach the server (their errors reported here), and its handle closes. */
  async flush(fd: number): Promise<void> {
    const of = this.s.file(fd);
    try {
      if (of.canWrite) await of.writer.drain();
    } finally {
      if (of.canWrite) this.s.cache.invalidate(of.path);
      await of.closeHandle();
    }
  }

  async fsync(fd: number): Promise<void> {
    const of = this.s.file(fd);
    if (!of.canWrite) return;
    await of.writer.drain();
    await of.withHandle('fsync', (h) => h.flush());
  }

  /** The last close: held writes go out (a failure there can only be logged), the handle closes. */
  async release(fd: number): Promise<void> {
    const of = this.s.files.get(fd);
    if (!of) return;
    try {
      if (of.canWrite) await of.writer.drain();
    } catch (e) {
      this.s.log(`release ${of.path}: data written before close was lost: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.s.files.delete(fd);
      await of.close();
      if (of.canWrite) this.s.cache.invalidate(of.path);
    }
  }

  async ftruncate(fd: number, size: number): Promise<void> {
    const of = this.s.file(fd);
    if (!of.canWrite) return this.meta.truncate(of.path, size);
    await of.writer.drain();
    try {
      await of.withHandle('ftruncate', (h) => h.setInfo({ size }));
    } finally {
      this.s.invalidateReaders(of.path);
      this.s.cache.invalidate(of.path);
    }
  }

  /** Every open file, released (unmount). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.s.files.keys()].map((fd) => this.release(fd)));
  }
}
