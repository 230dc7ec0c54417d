// Helpers shared by the commands that take a remote target.
import { NtStatus, SmbStatusError } from '../../../protocol/index.js';
import type { FileStat, Tree } from '../smb-api.js';
import { UsageError } from '../usage-error.js';
import { baseName, type SmbLocation } from '../../../main/drives/index.js';
import { parseTarget } from '../target.js';

export interface RemoteFile {
  target: SmbLocation;
  /** Share-relative path for the tree API. */
  path: string;
  /** The last path component ('' at the share root). */
  baseName: string;
}

export function remote(where: string, opts: { needPath: boolean }): RemoteFile {
  const target = parseTarget(where);
  if (target.share === undefined) throw new UsageError(`'${where}' names no share (expected //HOST/SHARE/PATH)`);
  if (opts.needPath && target.path === '') throw new UsageError(`'${where}' names a share, not a file or folder in it`);
  return { target, path: target.path, baseName: baseName(target) };
}

const NOT_FOUND: ReadonlySet<number> = new Set([
  NtStatus.STATUS_OBJECT_NAME_NOT_FOUND,
  NtStatus.STATUS_OBJECT_PATH_NOT_FOUND,
  NtStatus.STATUS_NO_SUCH_FILE,
]);

/** MS-ERREF 2.3.1: the statuses a server uses for "there is nothing at that path". */
export function isNotFound(e: unknown): boolean {
  return e instanceof SmbStatusError && NOT_FOUND.has(e.status);
}

/** Stat that answers undefined for a missing path and throws for anything else. */
export async function statIfExists(tree: Tree, path: string): Promise<FileStat | undefined> {
  try {
    return await tree.stat(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** True when the person typed a trailing separator, i.e. means "into this folder". */
export function endsWithSeparator(s: string): boolean {
  return /[/\\]$/.test(s);
}
