// The file system a mount serves: FsOps over one drive's SmbTree (see fuse-binding.ts), made of
// the metadata half (meta-ops.ts) and the file half (file-ops.ts) over shared state (fs-state.ts).
// Plain TypeScript: the tests call it as the kernel would, through a fake FUSE.
import { accessAllowsChanges, SmbStatusError, NtStatus, type SmbTree } from '../../protocol/index.js';
import { FileOps } from './file-ops.js';
import { FsState, type SmbFsOptions } from './fs-state.js';
import type { FsOps, FuseStat, FuseStatfs } from './fuse-binding.js';
import { MetaOps } from './meta-ops.js';

export type { SmbFsOptions } from './fs-state.js';

/**
 * Whether a share refuses writes, asked without changing anything. The tree connect said what this
 * user may do there (MS-SMB2 2.2.10 MaximalAccess): no right to change anything is a read-only
 * share. A tree that does not say (SMB1 without the extended response) is asked by opening the
 * drive's folder for FILE_WRITE_ATTRIBUTES and setting no time (all zero: MS-FSCC 2.4.7 "do not
 * change"), which a read-only share refuses.
 */
export async function probeReadOnly(tree: SmbTree, rootSharePath: string): Promise<boolean> {
  if (tree.maximalAccess !== undefined) return !accessAllowsChanges(tree.maximalAccess);
  try {
    await tree.setTimes(rootSharePath, {});
    return false;
  } catch (e) {
    if (e instanceof SmbStatusError && (e.status === NtStatus.STATUS_ACCESS_DENIED || e.status === NtStatus.STATUS_MEDIA_WRITE_PROTECTED)) return true;
    return false;
  }
}

export class SmbFileSystem implements FsOps {
  readonly state: FsState;
  private readonly metaOps: MetaOps;
  private readonly fileOps: FileOps;

  constructor(opts: SmbFsOptions) {
    this.state = new FsState(opts, probeReadOnly);
    this.metaOps = new MetaOps(this.state);
    this.fileOps = new FileOps(this.state, this.metaOps);
  }

  /** Connects (if it can within the deadline) and learns whether the share is read-only. */
  async warmUp(): Promise<void> {
    await this.state.checkWritable('mount').catch(() => undefined);
  }

  /** Releases every open file (their held writes are sent first). */
  async closeAll(): Promise<void> {
    this.state.watch.stop();
    await this.fileOps.releaseAll();
  }

  getattr(path: string): Promise<FuseStat> {
    return this.metaOps.getattr(path);
  }
  readdir(path: string): Promise<{ names: string[]; stats: FuseStat[] }> {
    return this.metaOps.readdir(path);
  }
  open(path: string, flags: number): Promise<number> {
    return this.fileOps.open(path, flags);
  }
  create(path: string, _mode?: number): Promise<number> {
    return this.fileOps.create(path);
  }
  read(_path: string, fd: number, buf: Buffer, length: number, position: number): Promise<number> {
    return this.fileOps.read(fd, buf, length, position);
  }
  write(_path: string, fd: number, buf: Buffer, length: number, position: number): Promise<number> {
    return this.fileOps.write(fd, buf, length, position);
  }
  flush(_path: string, fd: number): Promise<void> {
    return this.fileOps.flush(fd);
  }
  fsync(_path: string, fd: number): Promise<void> {
    return this.fileOps.fsync(fd);
  }
  release(_path: string, fd: number): Promise<void> {
    return this.fileOps.release(fd);
  }
  truncate(path: string, size: number): Promise<void> {
    return this.metaOps.truncate(path, size);
  }
  ftruncate(_path: string, fd: number, size: number): Promise<void> {
    return this.fileOps.ftruncate(fd, size);
  }
  unlink(path: string): Promise<void> {
    return this.metaOps.unlink(path);
  }
  mkdir(path: string, _mode?: number): Promise<void> {
    return this.metaOps.mkdir(path);
  }
  rmdir(path: string): Promise<void> {
    return this.metaOps.rmdir(path);
  }
  rename(from: string, to: string): Promise<void> {
    return this.metaOps.rename(from, to);
  }
  utimens(path: string, atimeMs: number, mtimeMs: number): Promise<void> {
    return this.metaOps.utimens(path, atimeMs, mtimeMs);
  }
  statfs(_path?: string): Promise<FuseStatfs> {
    return this.metaOps.statfs();
  }
  access(path: string, mode: number): Promise<void> {
    return this.metaOps.access(path, mode);
  }
  chmod(path: string, _mode?: number): Promise<void> {
    return this.metaOps.chmod(path);
  }
  chown(path: string, _uid?: number, _gid?: number): Promise<void> {
    return this.metaOps.chown(path);
  }
}
