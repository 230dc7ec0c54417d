// One file from the share to local disk. Written to `.NAME.sharekeeper-partial` beside the
// destination and renamed only when its size (and, if asked, its SHA-256 against a second read of
// the remote file) checks. A later run continues the partial from its length when the remote
// file's size and last-write time are unchanged; otherwise it starts over.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, open, rename, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileStat } from '../../protocol/index.js';
import { partialName, pickKeepBothName } from './naming.js';
import { copyThrough, counter, decisionFor, sha256Of, type RunContext, type RunOutcome } from './run-context.js';
import { TransferError } from './transfer-errors.js';
import type { TransferJob } from './types.js';

export function localPartialPath(target: string): string {
  return join(dirname(target), partialName(basename(target)));
}

/** Removes what a download left behind (cancel, failure, skip). */
export async function cleanupDownload(job: TransferJob): Promise<void> {
  await unlink(localPartialPath(job.localPath)).catch(() => undefined);
}

export async function runDownload(ctx: RunContext, src: FileStat): Promise<RunOutcome> {
  const { job } = ctx;
  if (src.type !== 'file') throw new TransferError('not-a-file', `${job.remotePath} is not a file`, job.remotePath);
  job.bytesTotal = src.size;
  if (job.targetPath === undefined) {
    const chosen = await chooseTarget(job, src);
    if (typeof chosen !== 'string') return chosen;
    job.targetPath = chosen;
    ctx.save();
  }
  // Named after the requested name, so a later keep-both choice still finds it.
  const partial = localPartialPath(job.localPath);
  const offset = await resumeOffset(job, src, partial);
  if (offset === 0) {
    await (await open(partial, 'w')).close();
    job.resume = { sourceSize: src.size, sourceModified: src.modified.toISOString() };
    ctx.save();
  }
  job.resumedFrom = offset;
  job.bytesDone = offset;
  if (offset < src.size) await copyFrom(ctx, partial, offset);
  await finish(ctx, src, partial);
  // Checked again at the end: something may have appeared under the name while we copied.
  if (decisionFor(job) !== 'overwrite' && (await exists(job.targetPath))) {
    job.targetPath = undefined;
    const chosen = await chooseTarget(job, src);
    if (typeof chosen !== 'string') return chosen;
    job.targetPath = chosen;
  }
  await rename(partial, job.targetPath);
  return { kind: 'done' };
}

async function chooseTarget(job: TransferJob, src: FileStat): Promise<string | RunOutcome> {
  const existing = await lstat(job.localPath).catch(() => undefined);
  if (!existing) return job.localPath;
  const decision = decisionFor(job);
  if (decision === undefined) return { kind: 'conflict', info: conflictInfo(job.localPath, existing, src) };
  if (decision === 'skip') return { kind: 'skipped' };
  if (decision === 'overwrite') {
    if (existing.isDirectory()) throw new TransferError('not-a-file', `${job.localPath} is a folder; it is not replaced by a file`, job.localPath);
    return job.localPath;
  }
  const dir = dirname(job.localPath);
  const name = await pickKeepBothName(basename(job.localPath), async (c) => exists(join(dir, c)));
  return join(dir, name);
}

function conflictInfo(path: string, existing: { size: number; mtime: Date; isDirectory(): boolean }, src: FileStat) {
  return {
    path,
    existing: { size: existing.size, modified: existing.mtime.toISOString(), type: existing.isDirectory() ? ('directory' as const) : ('file' as const) },
    incoming: { size: src.size, modified: src.modified.toISOString() },
  };
}

/** Length of a partial we may continue, or 0 to start over. */
async function resumeOffset(job: TransferJob, src: FileStat, partial: string): Promise<number> {
  const r = job.resume;
  if (!r || r.sourceSize !== src.size || r.sourceModified !== src.modified.toISOString()) return 0;
  const have = await stat(partial).catch(() => undefined);
  if (!have || !have.isFile() || have.size > src.size) return 0;
  return have.size;
}

async function copyFrom(ctx: RunContext, partial: string, offset: number): Promise<void> {
  const source = ctx.tree.createReadStream(ctx.job.remotePath, { start: offset });
  // 'r+' at `offset`: the partial holds exactly the bytes confirmed so far (writes are in order).
  const sink = createWriteStream(partial, { flags: 'r+', start: offset });
  await copyThrough([source, counter(ctx.onBytes), sink], ctx.signal);
}

async function finish(ctx: RunContext, src: FileStat, partial: string): Promise<void> {
  const fh = await open(partial, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  const got = (await stat(partial)).size;
  if (got !== src.size) {
    throw new TransferError('size-mismatch', `${ctx.job.remotePath}: got ${got} bytes, the server said ${src.size}`, ctx.job.remotePath);
  }
  if (ctx.job.verifyHash) {
    const local = await sha256Of(createReadStream(partial), ctx.signal);
    const remote = await sha256Of(ctx.tree.createReadStream(ctx.job.remotePath), ctx.signal);
    if (local !== remote) throw new TransferError('hash-mismatch', `${ctx.job.remotePath}: SHA-256 of the copy differs from a second read`, ctx.job.remotePath);
  }
  await utimes(partial, src.accessed, src.modified).catch(() => undefined);
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
