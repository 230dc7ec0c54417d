// Local-side checks for get/put: a remote name may only ever become one plain file name inside
// the folder the person chose (main/'s safeLocalName, the rule folder copies use too), and Node's
// fs errors become LocalFileError naming the path. The copy itself is main/'s (downloadFile,
// uploadFile).
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { safeLocalName, UnsafeNameError } from '../../main/transfers/index.js';
import { LocalFileError } from './usage-error.js';

/**
 * Where `get REMOTE LOCAL` writes: into LOCAL when it is a folder (or ends with a separator),
 * keeping the remote base name (made safe as a local name); else LOCAL itself, whose folder must exist.
 */
export async function resolveDownloadPath(local: string, remoteBaseName: string): Promise<string> {
  const name = localNameFor(remoteBaseName);
  const info = await stat(local).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new LocalFileError(`cannot use ${local}: ${e.message}`, local, e);
  });
  if (info?.isDirectory()) return join(local, name);
  if (/[/\\]$/.test(local)) throw new LocalFileError(`local folder ${local} does not exist`, local);
  if (info && !info.isFile()) throw new LocalFileError(`${local} exists and is not a regular file`, local);
  const parent = dirname(local);
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory()) throw new LocalFileError(`local folder ${parent} does not exist`, parent);
  return local;
}

function localNameFor(remoteBaseName: string): string {
  try {
    return safeLocalName(remoteBaseName);
  } catch (e) {
    if (e instanceof UnsafeNameError) throw new LocalFileError(`${e.message}; it would not stay inside the local folder`);
    throw e;
  }
}

/** Node's fs errors become LocalFileError naming the path; SMB errors from the source pass through. */
export function asLocalError(e: unknown, path: string): unknown {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err.code === 'string' && typeof err.syscall === 'string') {
    return new LocalFileError(`${path}: ${err.code} (${err.syscall})`, path, e);
  }
  return e;
}
