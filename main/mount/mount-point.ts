// Where a drive is mounted, and the checks before mounting there: the folder is made when it is
// missing; an existing one must be an empty folder of the user's own, not already a mount (a
// stale FUSE mount of ours, left by a crashed process, is cleared first). Never someone else's
// folder, never one with files in it: they would be hidden under the mount.
import { lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { FUSE_TYPE, readMounts, unmountFuse } from './mount-table.js';

export class MountPointError extends Error {
  constructor(
    readonly mountPoint: string,
    message: string,
  ) {
    super(`${mountPoint}: ${message}`);
    this.name = 'MountPointError';
  }
}

/** A drive name as one folder name: no separators, no control characters, not `.` or `..`. */
export function folderName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[/\\\u0000-\u001f\u007f]/g, '_').trim();
  return clean === '' || clean === '.' || clean === '..' ? '_' : clean;
}

/** ~/ShareKeeper/NAME. */
export function defaultMountPoint(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const home = env['HOME'] && isAbsolute(env['HOME']) ? env['HOME'] : homedir();
  return join(home, 'ShareKeeper', folderName(name));
}

export interface PrepareOptions {
  /** The user the folder must belong to (default: this process's). */
  uid?: number;
}

/** Makes `dir` ready to mount on, or says why it cannot be. Returns the absolute path. */
export async function prepareMountPoint(dir: string, opts: PrepareOptions = {}): Promise<string> {
  const path = resolve(dir);
  const uid = opts.uid ?? process.getuid?.();
  const mounted = (await readMounts()).find((m) => m.mountPoint === path);
  if (mounted?.fsType === FUSE_TYPE) {
    // Ours. A live one answers stat; a stale one (its process died) says ENOTCONN.
    const alive = await stat(path).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOTCONN',
    );
    if (alive) throw new MountPointError(path, 'a ShareKeeper drive is already mounted here');
    await unmountFuse(path);
  } else if (mounted) {
    throw new MountPointError(path, `something else is mounted here (${mounted.fsType} ${mounted.source})`);
  }
  const st = await lstat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new MountPointError(path, e.message);
  });
  if (st === undefined) {
    await mkdir(path, { recursive: true, mode: 0o755 }).catch((e: Error) => {
      throw new MountPointError(path, `cannot create the folder: ${e.message}`);
    });
    return path;
  }
  if (!st.isDirectory()) throw new MountPointError(path, 'not a folder');
  if (uid !== undefined && st.uid !== uid) throw new MountPointError(path, `the folder belongs to another user (uid ${st.uid})`);
  const entries = await readdir(path);
  if (entries.length > 0) throw new MountPointError(path, `the folder is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); its files would be hidden by the mount`);
  return path;
}
