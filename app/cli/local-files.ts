// Local-side safety for downloads: a remote name may only ever become one plain file name inside
// the folder the person chose, and a download is written under a temporary name in that folder and
// renamed into place only once complete and of the expected size. A failed or interrupted download
// leaves nothing under the final name (and a pre-existing file there is left untouched).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable, Transform } from 'node:stream';
import { rmSync } from 'node:fs';
import { LocalFileError } from './usage-error.js';

/** Refuses anything that is not a single, ordinary file name. */
export function assertSafeLocalName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new LocalFileError(`refusing unsafe remote name ${JSON.stringify(name)}: it would not stay inside the local folder`);
  }
}

/**
 * Where `get REMOTE LOCAL` writes: into LOCAL when it is a folder (or ends with a separator),
 * keeping the remote base name; else LOCAL itself, whose folder must exist.
 */
export async function resolveDownloadPath(local: string, remoteBaseName: string): Promise<string> {
  assertSafeLocalName(remoteBaseName);
  const info = await stat(local).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw new LocalFileError(`cannot use ${local}: ${e.message}`, local, e);
  });
  if (info?.isDirectory()) return join(local, remoteBaseName);
  if (/[/\\]$/.test(local)) throw new LocalFileError(`local folder ${local} does not exist`, local);
  if (info && !info.isFile()) throw new LocalFileError(`${local} exists and is not a regular file`, local);
  const parent = dirname(local);
  const parentInfo = await stat(parent).catch(() => undefined);
  if (!parentInfo?.isDirectory()) throw new LocalFileError(`local folder ${parent} does not exist`, parent);
  return local;
}

/** `.NAME.sharekeeper-partial-<random>` beside the final file, so the rename stays on one file system. */
export function partialPath(finalPath: string, random: string = randomBytes(6).toString('hex')): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.sharekeeper-partial-${random}`);
}

/** Temporary files being written right now, so a SIGINT handler can remove them before exiting. */
export const pendingPartials = new Set<string>();

export function removePendingPartialsSync(): void {
  for (const p of pendingPartials) rmSync(p, { force: true });
  pendingPartials.clear();
}

export interface AtomicWriteOptions {
  /** The size the finished file must have; a mismatch fails the download. */
  expectedSize: number | undefined;
  /** Pass-through stages between source and file (the progress counter). */
  through?: Transform[];
}

/** Streams `source` into `finalPath` via a temporary file; returns the number of bytes written. */
export async function downloadAtomically(source: Readable, finalPath: string, opts: AtomicWriteOptions): Promise<number> {
  const temp = partialPath(finalPath);
  pendingPartials.add(temp);
  try {
    // 'wx': never follow or reuse something already at the temporary name.
    // A deep buffer lets fs batch chunks into writev calls while the network keeps reading.
    const sink = createWriteStream(temp, { flags: 'wx', highWaterMark: 8 * 1024 * 1024 });
    await pipeline([source, ...(opts.through ?? []), sink]);
    const size = (await stat(temp)).size;
    if (opts.expectedSize !== undefined && size !== opts.expectedSize) {
      throw new LocalFileError(`download incomplete: got ${size} of ${opts.expectedSize} bytes; ${finalPath} was not written`, finalPath);
    }
    await rename(temp, finalPath);
    return size;
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw asLocalError(e, finalPath);
  } finally {
    pendingPartials.delete(temp);
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
