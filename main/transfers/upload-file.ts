// One file from local disk to the share: written to `.NAME.sharekeeper-partial-RANDOM` in the
// destination folder (created with FILE_CREATE so it is new, and recorded in the job), checked
// (size, optional SHA-256 of a re-read), then renamed into place (SET_INFO
// FileRenameInformation, MS-FSCC 2.4.37, ReplaceIfExists only when overwriting). The source is
// opened without following a symbolic link (local-fs.ts) and read through that one handle.
//
// Resume: an interrupted upload continues at the recorded remote partial's size (the write
// stream's `start` opens with FILE_OPEN_IF, MS-SMB2 2.2.13, and writes from there) when the local
// source is unchanged since the partial was started; otherwise it starts over.
import type { FileHandle as LocalHandle } from 'node:fs/promises';
import { closeSync, fstatSync, readSync, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { SmbError, SmbWriteStream, type FileHandle, type FileStat } from '../../protocol/index.js';
import { openWithin, partialWriter, reclaimPatiently } from './durable-partial.js';
import { SMALL_FILE_BYTES } from './download-file.js';
import { handleReader, openRegular, openRegularSync, SYNC_IO_BYTES, uploadReadBytes } from './local-fs.js';
import { isPartialName, partialName, pickKeepBothName, remoteBaseName, remoteDirName, remoteJoin } from './naming.js';
import { copyThrough, counter, decisionFor, sha256Of, type RunContext, type RunOutcome } from './run-context.js';
import { assertSafeRemoteName } from './safe-name.js';
import { isCollision, isDriveDrop, isNotFound, TransferError } from './transfer-errors.js';
import type { ConflictInfo, TransferJob, TransferTree } from './types.js';

export function remotePartialPath(remotePath: string): string {
  return remoteJoin(remoteDirName(remotePath), partialName(remoteBaseName(remotePath)));
}

/** How long removing a partial from the share may take before it is left for later. */
export const PARTIAL_REMOVE_DEADLINE_MS = 5000;

/**
 * Removes `partial` from the share within `deadlineMs`: true when it is gone (or was never
 * there), false when the server refused, failed or did not answer in time (a stalled server must
 * not hold a cancel or a failure for the whole request timeout). The caller keeps a partial that
 * was not removed recorded, so a later cleanup removes it.
 */
export async function removeRemotePartial(tree: TransferTree, partial: string, deadlineMs = PARTIAL_REMOVE_DEADLINE_MS): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
  const removal = tree.unlink(partial).then(
    () => true,
    (e: unknown) => isNotFound(e),
  );
  try {
    return await Promise.race([removal, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Removes the remote partial the job recorded, and any left by earlier runs, each within the
 * deadline; true when nothing is left. One that could not be removed moves to job.leftovers (it
 * is persisted with the job), so a later cleanup, a retry or the drive coming back removes it.
 */
export async function cleanupUpload(job: TransferJob, tree: TransferTree, deadlineMs = PARTIAL_REMOVE_DEADLINE_MS): Promise<boolean> {
  const paths = [...(job.partial === undefined ? [] : [job.partial]), ...(job.leftovers ?? [])];
  delete job.partial;
  delete job.resume;
  if (paths.length === 0) return true;
  // Only names we make up: a state file someone edited cannot make us delete anything else.
  const ours = paths.filter((p) => isPartialName(remoteBaseName(p)));
  const gone = await Promise.all(ours.map((p) => removeRemotePartial(tree, p, deadlineMs)));
  const left = ours.filter((_, i) => !gone[i]);
  if (left.length === 0) delete job.leftovers;
  else job.leftovers = left;
  return left.length === 0;
}

/** Words for people: the partials of a job still on the share (empty when none). */
export function leftoverNote(job: Pick<TransferJob, 'leftovers'>): string {
  const left = job.leftovers ?? [];
  if (left.length === 0) return '';
  return `; ${left.join(', ')} could not be removed from the share in time (removed once the drive answers)`;
}

export async function remoteStat(tree: TransferTree, path: string): Promise<FileStat | undefined> {
  try {
    return await tree.stat(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function runUpload(ctx: RunContext, known: { absent?: boolean } = {}): Promise<RunOutcome> {
  const { job } = ctx;
  assertSafeRemoteName(basename(job.localPath));
  if (remoteBaseName(job.remotePath) === '') throw new TransferError('bad-request', 'a file is uploaded under a name, not onto the root of the share', job.remotePath);
  const small = ctx.tree.writeFile && !job.verifyHash ? openSmallSource(job.localPath) : undefined;
  if (small) {
    try {
      return await uploadSmall(ctx, small.fd, small.stat, known);
    } finally {
      closeSync(small.fd);
    }
  }
  const { fh, stat: src } = await openRegular(job.localPath, 'read');
  try {
    const chosen = await pickTarget(ctx, src, known);
    if (chosen) return chosen;
    const back = await takeBack(ctx, src);
    const { partial, from } = await startPartial(ctx, src, { ...(back?.from === undefined ? {} : { at: back.from }), ...(back?.abandon === undefined ? {} : { abandon: back.abandon }) });
    if (from === 0 && src.size <= SMALL_FILE_BYTES && ctx.tree.writeFile) {
      // One round trip (CREATE+WRITE+CLOSE compounded) for a small file, read whole first.
      const data = Buffer.alloc(src.size);
      for (let at = 0; at < data.length; ) {
        const { bytesRead } = await fh.read(data, at, data.length - at, at);
        if (bytesRead === 0) throw new TransferError('source-changed', `${job.localPath} changed while it was copied`, job.localPath);
        at += bytesRead;
      }
      await ctx.tree.writeFile(partial, data, { overwrite: false });
      // Stopped while the one round trip was out: the partial is not renamed into place.
      ctx.signal.throwIfAborted();
      ctx.onBytes(data.length);
      // writeFile returns once the server acknowledged every byte of a file it created new (FILE_CREATE): its size is known.
      await check(ctx, fh, partial, src.size, data.length);
      return await place(ctx, partial, src);
    }
    const sink = await partialWriter(ctx.tree, partial, from, ctx.durable, back?.handle);
    const source = handleReader(fh, from, uploadReadBytes(sink instanceof SmbWriteStream ? sink.chunk : undefined));
    await copyThrough([source, counter(ctx.onBytes), sink], ctx.signal);
    ctx.durable?.forget();
    await check(ctx, fh, partial, src.size);
    return await place(ctx, partial, src);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Sets job.targetPath (the policy asked when the name is taken); an outcome when it ends the job here. */
async function pickTarget(ctx: RunContext, src: LocalStat, known: { absent?: boolean }): Promise<RunOutcome | undefined> {
  const { job } = ctx;
  job.bytesTotal = src.size;
  // Known to be free (its folder was just made): the rename without replace still checks.
  if (job.targetPath === undefined && known.absent === true) job.targetPath = job.remotePath;
  if (job.targetPath !== undefined) return undefined;
  const chosen = await chooseTarget(ctx, src);
  if (typeof chosen !== 'string') return chosen;
  job.targetPath = chosen;
  ctx.save();
  return undefined;
}

/** A source of at most SYNC_IO_BYTES opened with direct system calls (local-fs.ts), or undefined (closed again) for a larger one. */
function openSmallSource(path: string): { fd: number; stat: Stats } | undefined {
  const opened = openRegularSync(path);
  if (opened.stat.size <= SYNC_IO_BYTES) return opened;
  closeSync(opened.fd);
  return undefined;
}

/**
 * A small file read with direct system calls and written in one round trip (CREATE+WRITE+CLOSE
 * compounded) to a new partial, which is then renamed into place: the general path's rules, a
 * new partial each time (there is little to continue), no thread-pool trip per local call.
 */
async function uploadSmall(ctx: RunContext, fd: number, src: Stats, known: { absent?: boolean }): Promise<RunOutcome> {
  const { job } = ctx;
  const chosen = await pickTarget(ctx, src, known);
  if (chosen) return chosen;
  const changed = (): TransferError => new TransferError('source-changed', `${job.localPath} changed while it was copied`, job.localPath);
  const data = Buffer.alloc(src.size);
  for (let at = 0; at < data.length; ) {
    const n = readSync(fd, data, at, data.length - at, at);
    if (n === 0) throw changed();
    at += n;
  }
  ctx.durable?.forget();
  const { partial } = await startPartial(ctx, src, { fresh: true });
  await ctx.tree.writeFile!(partial, data, { overwrite: false });
  // Stopped while the one round trip was out: the partial is not renamed into place.
  ctx.signal.throwIfAborted();
  ctx.onBytes(data.length);
  if (fstatSync(fd).size !== src.size) throw changed();
  return place(ctx, partial, src);
}

/** How long opening a partial again may wait on the server before the partial is left for a new one. */
export const REOPEN_WAIT_MS = 5000;

/**
 * After a drop: the durable open the last run wrote the recorded partial through, taken back
 * (durable-partial.ts), and the confirmed offset to go on from. Nothing touches the partial before
 * the reclaim: another open of it could make the server let the durable one go. When the server
 * refuses the reclaim, the partial is opened again (reopenPartial).
 */
async function takeBack(ctx: RunContext, src: LocalStat): Promise<{ handle?: FileHandle; from?: number; abandon?: string } | undefined> {
  const { job, tree } = ctx;
  const kept = ctx.durable?.get();
  delete job.reclaimed;
  if (!kept) return undefined;
  ctx.durable?.forget();
  const r = job.resume;
  if (kept.path !== job.partial || !r || r.sourceSize !== src.size || r.sourceModified !== src.mtime.toISOString() || kept.confirmed > src.size) return undefined;
  if (tree.reclaim && kept.noReclaim !== true) {
    try {
      const handle = await reclaimPatiently(tree, kept.durable, ctx.signal);
      if (handle) {
        job.reclaimed = true;
        return { handle, from: kept.confirmed };
      }
    } catch (e) {
      // Gone again before the answer: kept for the next run, which tries the reclaim again only
      // when the connection broke (a server that let it time out is not asked twice).
      if (isDriveDrop(e)) {
        ctx.durable?.set(e instanceof SmbError && e.code === 'timeout' ? { ...kept, noReclaim: true } : kept);
        throw e;
      }
    }
  }
  return reopenPartial(ctx, kept.path, kept.confirmed);
}

/**
 * Opens the partial again to continue at `confirmed`, if the server answers at once. A refused
 * reclaim means either the server let the open go (it did not keep it through the drop, or its
 * timeout ran out) or it still holds it for the old connection it has not seen die. In that case
 * the new open waits on an oplock break the dead connection never acknowledges (Samba 4.17 answers
 * STATUS_PENDING, then nothing for 30 s). After REOPEN_WAIT_MS it is cancelled and the partial is
 * left (`abandon`: removed later as a leftover) for a new one.
 */
async function reopenPartial(ctx: RunContext, partial: string, confirmed: number): Promise<{ handle?: FileHandle; from?: number; abandon?: string } | undefined> {
  if (!ctx.tree.open) return undefined;
  try {
    const handle = await openWithin(ctx.tree, partial, { access: 'write', disposition: 'open', share: 'none', durable: true }, REOPEN_WAIT_MS, ctx.signal);
    if (handle === 'held') return { abandon: partial };
    if (handle.openStat.size >= confirmed) return { handle, from: confirmed };
    await handle.close();
    return undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** How startPartial goes on: where takeBack said, a partial not to open again, or always a new one. */
interface PartialStart {
  /** Goes on in the recorded partial here, even at 0: its open is in hand. */
  at?: number;
  /** A partial not to open again (recorded as a leftover instead). */
  abandon?: string;
  fresh?: true;
}

/** The recorded partial and where to continue it, or a new partial from 0. */
async function startPartial(ctx: RunContext, src: LocalStat, how: PartialStart = {}): Promise<{ partial: string; from: number }> {
  const { job, tree } = ctx;
  const { at, abandon } = how;
  if (abandon !== undefined && job.partial === abandon) delete job.partial;
  const from = job.partial === undefined || how.fresh ? 0 : (at ?? (await resumeOffset(tree, job, job.partial, src)));
  if (job.partial === undefined || how.fresh || (from === 0 && at === undefined)) {
    await cleanupUpload(job, tree);
    if (abandon !== undefined) job.leftovers = [...(job.leftovers ?? []), abandon];
    job.partial = remotePartialPath(job.remotePath);
  }
  job.resume = { sourceSize: src.size, sourceModified: src.mtime.toISOString() };
  job.resumedFrom = from;
  job.bytesDone = from;
  ctx.save();
  return { partial: job.partial as string, from };
}

/**
 * WRITEs travel several at a time, so when the drive dropped a later one may have landed while an
 * earlier one did not: the partial's size can sit above a hole. Writing again is harmless, so
 * continue a safe margin (more than a whole window of WRITEs) before its end.
 */
const RESUME_MARGIN = 16 * 1024 * 1024;

/** Where the partial left off, if it belongs to this same source; 0 to start over. */
async function resumeOffset(tree: TransferTree, job: TransferJob, partial: string, src: LocalStat): Promise<number> {
  const r = job.resume;
  if (!r || r.sourceSize !== src.size || r.sourceModified !== src.mtime.toISOString()) return 0;
  const there = await remoteStat(tree, partial);
  return there && there.type === 'file' && there.size <= src.size ? Math.max(0, there.size - RESUME_MARGIN) : 0;
}

async function check(ctx: RunContext, fh: LocalHandle, partial: string, size: number, written?: number): Promise<void> {
  const got = written ?? (await ctx.tree.stat(partial)).size;
  if (got !== size) throw new TransferError('size-mismatch', `${ctx.job.remotePath}: the server has ${got} bytes, we sent ${size}`, ctx.job.remotePath);
  const now = await fh.stat();
  if (now.size !== size) throw new TransferError('source-changed', `${ctx.job.localPath} changed while it was copied`, ctx.job.localPath);
  if (ctx.job.verifyHash) {
    const local = await sha256Of(handleReader(fh, 0), ctx.signal);
    const remote = await sha256Of(ctx.tree.createReadStream(partial), ctx.signal);
    if (local !== remote) throw new TransferError('hash-mismatch', `${ctx.job.remotePath}: SHA-256 of the uploaded copy differs`, ctx.job.remotePath);
  }
}

/** Renames the checked partial into place; a name taken meanwhile goes through the policy again. */
async function place(ctx: RunContext, partial: string, src: LocalStat): Promise<RunOutcome> {
  const { job, tree } = ctx;
  const replace = decisionFor(job) === 'overwrite';
  try {
    await tree.rename(partial, job.targetPath!, { replace });
    delete job.partial;
    return { kind: 'done' };
  } catch (e) {
    if (!isCollision(e) || replace) throw e;
  }
  job.targetPath = undefined;
  const chosen = await chooseTarget(ctx, src);
  if (typeof chosen !== 'string') return chosen;
  job.targetPath = chosen;
  await tree.rename(partial, chosen, { replace: decisionFor(job) === 'overwrite' });
  delete job.partial;
  return { kind: 'done' };
}

interface LocalStat {
  size: number;
  mtime: Date;
}

async function chooseTarget(ctx: RunContext, src: LocalStat): Promise<string | RunOutcome> {
  const { job, tree } = ctx;
  const existing = await remoteStat(tree, job.remotePath);
  if (!existing) return job.remotePath;
  const decision = decisionFor(job);
  if (decision === undefined) return { kind: 'conflict', info: conflictInfo(job.remotePath, existing, src) };
  if (decision === 'skip') return { kind: 'skipped' };
  if (decision === 'overwrite') {
    if (existing.type === 'directory') throw new TransferError('not-a-file', `${job.remotePath} is a folder; it is not replaced by a file`, job.remotePath);
    return job.remotePath;
  }
  const dir = remoteDirName(job.remotePath);
  const name = await pickKeepBothName(remoteBaseName(job.remotePath), async (c) => (await remoteStat(tree, remoteJoin(dir, c))) !== undefined);
  return remoteJoin(dir, name);
}

function conflictInfo(path: string, existing: FileStat, src: LocalStat): ConflictInfo {
  return {
    path,
    existing: { size: existing.size, modified: existing.modified.toISOString(), type: existing.type },
    incoming: { size: src.size, modified: src.mtime.toISOString() },
  };
}
