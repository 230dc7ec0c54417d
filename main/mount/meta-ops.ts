// The metadata half of the file system: attributes, listings, names (create/remove/rename), times,
// space. Reads go through the attribute cache; every change invalidates what it touched.
import type { DirEntry, FileStat, SmbTree } from '../../protocol/index.js';
import { childPath } from './attr-cache.js';
import { fsError, FsError } from './errno.js';
import type { FsState } from './fs-state.js';
import type { FuseStat, FuseStatfs } from './fuse-binding.js';
import { rootStat, toFuseStat, toFuseStatfs } from './stat-convert.js';

const W_OK = 2;

export class MetaOps {
  private space: { at: number; value: FuseStatfs } | undefined;

  constructor(private readonly s: FsState) {}

  /** The server's stat of `path` (cached), or ENOENT. The mount point itself never waits. */
  async stat(path: string): Promise<FileStat> {
    const hit = this.s.cache.get(path);
    if (hit === 'missing') throw fsError('ENOENT', path);
    if (hit) return this.s.shownStat(path, hit);
    // A file we hold open through a durable handle waits for a reconnect like its I/O does: the
    // kernel asks for its attributes between reads (to see whether it changed), and failing that
    // would fail the read a reconnect was about to save.
    const held = this.s.filesAt(path).some((of) => of.durable);
    try {
      const st = await this.s.meta(`stat ${path}`, (tree) => tree.stat(this.s.sharePath(path)), { idempotent: true, ...(held ? { waitMs: this.s.ioTimeoutMs } : {}) });
      this.s.cache.put(path, st);
      return this.s.shownStat(path, st);
    } catch (e) {
      if (e instanceof FsError && e.errnoName === 'ENOENT') this.s.cache.put(path, 'missing');
      throw e;
    }
  }

  async getattr(path: string): Promise<FuseStat> {
    if (path === '/') return rootStat(this.s.owner, this.s.mountedAt);
    return toFuseStat(await this.stat(path), this.s.owner);
  }

  async readdir(path: string): Promise<{ names: string[]; stats: FuseStat[] }> {
    const entries = await this.list(path);
    const owner = this.s.owner;
    const self = path === '/' ? rootStat(owner, this.s.mountedAt) : await this.getattr(path).catch(() => rootStat(owner, this.s.mountedAt));
    const names = ['.', '..'];
    const stats = [self, self];
    for (const e of entries) {
      names.push(e.name);
      stats.push(toFuseStat(this.s.shownStat(childPath(path, e.name), e), owner));
    }
    return { names, stats };
  }

  /** One listing (every batch), kept for the attribute cache's lifetime. */
  private async list(path: string): Promise<FileStat[]> {
    const hit = this.s.cache.listing(path);
    if (hit) return [...hit.values()];
    const t0 = Date.now();
    const entries = await this.s.meta(`list ${path}`, (tree) => collect(tree, this.s.sharePath(path), this.s.log), { idempotent: true });
    this.s.cache.putListing(path, entries, Date.now() - t0);
    return entries;
  }

  async mkdir(path: string): Promise<void> {
    await this.s.checkWritable(`mkdir ${path}`);
    try {
      await this.s.meta(`mkdir ${path}`, (tree) => tree.mkdir(this.s.sharePath(path)));
    } finally {
      this.s.cache.invalidate(path);
    }
  }

  async rmdir(path: string): Promise<void> {
    await this.s.checkWritable(`rmdir ${path}`);
    try {
      await this.s.meta(`rmdir ${path}`, (tree) => tree.rmdir(this.s.sharePath(path)));
    } finally {
      this.s.cache.invalidateTree(path);
    }
  }

  async unlink(path: string): Promise<void> {
    await this.s.checkWritable(`unlink ${path}`);
    try {
      await this.s.meta(`unlink ${path}`, (tree) => tree.unlink(this.s.sharePath(path)));
    } finally {
      this.s.cache.invalidate(path);
    }
  }

  /** POSIX rename: replaces a file, or an empty folder with a folder; open files follow. */
  async rename(from: string, to: string): Promise<void> {
    await this.s.checkWritable(`rename ${from}`);
    await this.s.settleWrites(from, true);
    const go = (): Promise<void> => this.s.meta(`rename ${from}`, (tree) => tree.rename(this.s.sharePath(from), this.s.sharePath(to), { replace: true }));
    try {
      await go();
    } catch (e) {
      if (!(await this.replacesEmptyFolder(from, to, e))) throw e;
      await this.s.meta(`rename ${from}`, (tree) => tree.rmdir(this.s.sharePath(to)));
      await go();
    } finally {
      this.s.cache.invalidateTree(from);
      this.s.cache.invalidateTree(to);
    }
    for (const of of this.s.filesAt(from, true)) of.path = to + of.path.slice(from.length);
  }

  /** SMB will not replace a folder by rename; POSIX does when it is empty. */
  private async replacesEmptyFolder(from: string, to: string, e: unknown): Promise<boolean> {
    if (!(e instanceof FsError) || !['EACCES', 'EEXIST', 'ENOTEMPTY', 'EISDIR'].includes(e.errnoName)) return false;
    this.s.cache.invalidate(from);
    this.s.cache.invalidate(to);
    const [a, b] = await Promise.all([this.stat(from).catch(() => undefined), this.stat(to).catch(() => undefined)]);
    return a?.type === 'directory' && b?.type === 'directory';
  }

  async utimens(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    await this.s.checkWritable(`utimens ${path}`);
    // NaN: not given (UTIME_OMIT, or a FUSE build that cannot tell us): left as it is.
    const times = {
      ...(Number.isFinite(atimeMs) ? { accessed: new Date(atimeMs) } : {}),
      ...(Number.isFinite(mtimeMs) ? { modified: new Date(mtimeMs) } : {}),
    };
    if (times.accessed === undefined && times.modified === undefined) return;
    // A handle open for writing sets them itself, after its held writes (which would move mtime).
    const writer = this.s.filesAt(path).find((of) => of.canWrite);
    try {
      if (writer) {
        await writer.writer.settle();
        await writer.withHandle('utimens', (h) => h.setInfo({ times }));
      } else {
        await this.s.meta(`utimens ${path}`, (tree) => tree.setTimes(this.s.sharePath(path), times), { idempotent: true });
      }
    } finally {
      this.s.cache.invalidate(path);
    }
  }

  async truncate(path: string, size: number): Promise<void> {
    await this.s.checkWritable(`truncate ${path}`);
    await this.s.settleWrites(path);
    const writer = this.s.filesAt(path).find((of) => of.canWrite);
    try {
      if (writer) await writer.withHandle('truncate', (h) => h.setInfo({ size }));
      else await this.s.meta(`truncate ${path}`, (tree) => tree.truncate(this.s.sharePath(path), size), { idempotent: true });
    } finally {
      this.s.invalidateReaders(path);
      this.s.cache.invalidate(path);
    }
  }

  async statfs(): Promise<FuseStatfs> {
    const now = Date.now();
    if (this.space && now - this.space.at < 1000) return this.space.value;
    const info = await this.s.meta('statfs', (tree) => tree.statfs(), { idempotent: true });
    const value = toFuseStatfs(info, this.s.owner.readOnly);
    this.space = { at: now, value };
    return value;
  }

  async access(path: string, mode: number): Promise<void> {
    await this.getattr(path);
    if (mode & W_OK) await this.s.checkWritable(`access ${path}`);
  }

  /** SMB has no Unix modes: accepted (so cp -p, tar and git work) and not kept. */
  async chmod(path: string): Promise<void> {
    await this.getattr(path);
    await this.s.checkWritable(`chmod ${path}`);
  }

  async chown(path: string): Promise<void> {
    await this.getattr(path);
  }
}

/** Every entry of a folder; names the kernel cannot take (with `/` or NUL) are left out. */
async function collect(tree: SmbTree, sharePath: string, log: (m: string) => void): Promise<DirEntry[]> {
  const out: DirEntry[] = [];
  for await (const batch of tree.listDirectory(sharePath)) {
    for (const e of batch) {
      if (e.name === '.' || e.name === '..' || e.name === '') continue;
      if (e.name.includes('/') || e.name.includes('\0')) {
        log(`list ${sharePath}: left out a name the kernel cannot show (${JSON.stringify(e.name)})`);
        continue;
      }
      out.push(e);
    }
  }
  return out;
}

