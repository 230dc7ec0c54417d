// One file from the share to local disk. Written to `.NAME.sharekeeper-partial-RANDOM` beside the
// destination (created exclusively, recorded in the job before the first byte) and renamed only
// when its size (and, if asked, its SHA-256 against a second read of the remote file) checks. A
// later run continues the recorded partial from its length when the remote file's size and
// last-write time are unchanged; otherwise it starts over. Every local open goes through
// local-fs.ts, so a symbolic link planted in the destination redirects nothing.
import { closeSync, fsync, futimesSync, lstatSync, renameSync, writeSync, type Stats } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileStat } from '../../protocol/index.js';
import { durableReader } from './durable-partial.js';
import { createExclusive, createExclusiveSync, handleReader, handleWriter, LOCAL_WRITE_BYTES, openRegular, SYNC_IO_BYTES } from './local-fs.js';
import { partialName, pickKeepBothName } from './naming.js';
import { copyThrough, counter, decisionFor, sha256Of, type RunContext, type RunOutcome } from './run-context.js';
import { TransferError } from './transfer-errors.js';
import type { TransferJob } from './types.js';
import { openUnbufferedWriter, UNBUFFERED_MIN_BYTES } from './unbuffered-writer.js';

export function localPartialPath(target: string): string {
  return join(dirname(target), partialName(basename(target)));
}

/** Removes what a download left behind (cancel, failure, skip): only the partial it recorded. */
export async function cleanupDownload(job: TransferJob): Promise<void> {
  if (job.partial === undefined) return;
  // unlink removes a link itself, never what it points to.
  await unlink(job.partial).catch(() => undefined);
  delete job.partial;
  delete job.resume;
}

export async function runDownload(ctx: RunContext, src: FileStat): Promise<RunOutcome> {
  const { job } = ctx;
  if (src.type !== 'file') throw new TransferError('not-a-file', `${job.remotePath} is not a file`, job.remotePath);
  job.bytesTotal = src.size;
  delete job.reclaimed;
  if (job.targetPath === undefined) {
    const chosen = await chooseTarget(job, src);
    if (typeof chosen !== 'string') return chosen;
    job.targetPath = chosen;
    ctx.save();
  }
  if (job.partial === undefined && src.size <= SYNC_IO_BYTES && ctx.tree.readFile && !job.verifyHash) return runSmall(ctx, src);
  const { fh, offset, partial } = await openPartial(ctx, src);
  try {
    job.resumedFrom = offset;
    job.bytesDone = offset;
    if (offset < src.size) await copyFrom(ctx, fh, offset);
    await finish(ctx, src, fh);
  } finally {
    await fh.close().catch(() => undefined);
  }
  const placed = await recheckTarget(job, src);
  if (placed) return placed;
  // rename replaces a link at the final name; it does not write through it.
  await rename(partial, job.targetPath!);
  delete job.partial;
  return { kind: 'done' };
}

/** Checked again at the end: something may have appeared under the name while we copied. */
async function recheckTarget(job: TransferJob, src: FileStat): Promise<RunOutcome | undefined> {
  if (decisionFor(job) === 'overwrite' || !exists(job.targetPath!)) return undefined;
  job.targetPath = undefined;
  const chosen = await chooseTarget(job, src);
  if (typeof chosen !== 'string') return chosen;
  job.targetPath = chosen;
  return undefined;
}

const fsyncFd = promisify(fsync);

/**
 * A small file (up to SYNC_IO_BYTES, local-fs.ts): read in one round trip (CREATE+READ+CLOSE
 * compounded), then the partial created exclusively, written, its times set and renamed into
 * place with direct system calls (no thread-pool trip for each). The same rules as the general
 * path: the partial is recorded before it exists, the size the server said is checked.
 */
async function runSmall(ctx: RunContext, src: FileStat): Promise<RunOutcome> {
  const { job } = ctx;
  const data = await ctx.tree.readFile!(job.remotePath);
  ctx.signal.throwIfAborted();
  if (data.length !== src.size) throw new TransferError('size-mismatch', `${job.remotePath}: got ${data.length} bytes, the server said ${src.size}`, job.remotePath);
  const partial = localPartialPath(job.localPath);
  job.partial = partial;
  job.resume = { sourceSize: src.size, sourceModified: src.modified.toISOString() };
  job.resumedFrom = 0;
  job.bytesDone = 0;
  ctx.save();
  const fd = createExclusiveSync(partial);
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, Math.min(LOCAL_WRITE_BYTES, data.length - at), at);
    if (job.flushToDisk !== false) await fsyncFd(fd);
    try {
      futimesSync(fd, src.accessed, src.modified);
    } catch {
      // As the general path: a file system that keeps no times still gets the file.
    }
  } finally {
    closeSync(fd);
  }
  ctx.onBytes(data.length);
  const placed = await recheckTarget(job, src);
  if (placed) return placed;
  renameSync(partial, job.targetPath!);
  delete job.partial;
  return { kind: 'done' };
}

/** The recorded partial when it may be continued, else a new one (the old one removed). */
async function openPartial(ctx: RunContext, src: FileStat): Promise<{ fh: FileHandle; offset: number; partial: string }> {
  const { job } = ctx;
  const r = job.resume;
  if (job.partial !== undefined && r && r.sourceSize === src.size && r.sourceModified === src.modified.toISOString()) {
    const opened = await openRegular(job.partial, 'write').catch(() => undefined);
    if (opened && opened.stat.size <= src.size) return { fh: opened.fh, offset: opened.stat.size, partial: job.partial };
    await opened?.fh.close();
  }
  await cleanupDownload(job);
  // Named after the requested name (not a keep-both choice), beside it.
  const partial = localPartialPath(job.localPath);
  const fh = await createExclusive(partial);
  job.partial = partial;
  job.resume = { sourceSize: src.size, sourceModified: src.modified.toISOString() };
  ctx.save();
  return { fh, offset: 0, partial };
}

async function chooseTarget(job: TransferJob, src: FileStat): Promise<string | RunOutcome> {
  const existing = lstatOrNothing(job.localPath);
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

/**
 * Files up to this size are read whole in one round trip (the tree's readFile compounds CREATE,
 * READ and CLOSE) and held in memory for the write: at MAX_CONCURRENT_FILES at once, a few MiB.
 */
export const SMALL_FILE_BYTES = 1024 * 1024;

async function copyFrom(ctx: RunContext, fh: FileHandle, offset: number): Promise<void> {
  const { tree, job } = ctx;
  if (offset === 0 && job.bytesTotal <= SMALL_FILE_BYTES && tree.readFile) {
    const data = await tree.readFile(job.remotePath);
    ctx.signal.throwIfAborted();
    for (let at = 0; at < data.length; ) at += (await fh.write(data, at, data.length - at, at)).bytesWritten;
    ctx.onBytes(data.length);
    return;
  }
  // Through a durable open where the queue keeps them: taken back after a drop (durable-partial.ts).
  const source = await durableReader(ctx.tree, job.remotePath, offset, ctx.durable, () => (job.reclaimed = true), ctx.signal);
  // At `offset` on our own handle: the partial holds exactly the bytes confirmed so far (writes are
  // in order). A large file goes past the page cache where it can (unbuffered-writer.ts says why).
  const unbuffered = job.bytesTotal - offset >= UNBUFFERED_MIN_BYTES ? await openUnbufferedWriter(job.partial!, fh, offset) : undefined;
  const sink = unbuffered ?? handleWriter(fh, offset);
  await copyThrough([source, counter(ctx.onBytes), sink], ctx.signal);
  ctx.durable?.forget();
}

async function finish(ctx: RunContext, src: FileStat, fh: FileHandle): Promise<void> {
  if (ctx.job.flushToDisk !== false) await fh.sync();
  const got = (await fh.stat()).size;
  if (got !== src.size) {
    throw new TransferError('size-mismatch', `${ctx.job.remotePath}: got ${got} bytes, the server said ${src.size}`, ctx.job.remotePath);
  }
  if (ctx.job.verifyHash) {
    const local = await sha256Of(handleReader(fh, 0), ctx.signal);
    const remote = await sha256Of(ctx.tree.createReadStream(ctx.job.remotePath), ctx.signal);
    if (local !== remote) throw new TransferError('hash-mismatch', `${ctx.job.remotePath}: SHA-256 of the copy differs from a second read`, ctx.job.remotePath);
  }
  await fh.utimes(src.accessed, src.modified).catch(() => undefined);
}

/** One system call on this thread (a trip through the thread pool costs more than the lstat); any failure reads as nothing there. */
function lstatOrNothing(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  return lstatOrNothing(path) !== undefined;
}
