// One file copied now, outside the queue: what the CLI's `get` and `put` (and, next, the UI and
// the mount) call. It runs the very download and upload the queue runs (download-file.ts,
// upload-file.ts) on a job that lives only for this call: partial `.NAME.sharekeeper-partial-RANDOM`
// created exclusively, no symbolic link followed, renamed into place only when complete and
// size-checked, small files in one compounded round trip. On any failure, abort included, the
// partial is removed (locally, or on the share for an upload) and nothing is left under the final
// name; an existing file there is untouched.
import { randomUUID } from 'node:crypto';
import type { FileStat } from '../../protocol/index.js';
import { cleanupDownload, runDownload } from './download-file.js';
import type { RunContext, RunOutcome } from './run-context.js';
import { TransferError } from './transfer-errors.js';
import type { TransferDirection, TransferJob, TransferTree } from './types.js';
import { cleanupUpload, leftoverNote, runUpload } from './upload-file.js';

export interface CopyFileOptions {
  /** Bytes copied so far and the file's size, after each chunk. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Aborting stops the copy and removes its partial; the call then rejects. */
  signal?: AbortSignal;
  /** Replace a file already at the destination (only once the copy is complete); otherwise that fails. Default true. */
  overwrite?: boolean;
  /** Also compare SHA-256 of the copy with a second read of the source. */
  verifyHash?: boolean;
  /**
   * fsync a download before it takes its final name (default true). The rename is atomic either
   * way; without it a power cut right after can leave the new name empty. A one-shot `get`, like
   * smbclient, leaves writeback to the kernel and is 2-3 times faster for large files here.
   */
  flushToDisk?: boolean;
  /** How long removing an upload's partial from the share may take (default upload-file.ts PARTIAL_REMOVE_DEADLINE_MS). */
  partialRemoveDeadlineMs?: number;
  /** The partial's path once it exists (local for a download, share-relative for an upload). */
  onPartial?: (path: string) => void;
}

export interface CopyFileResult {
  /** Where the file was written (local path for a download, share path for an upload). */
  path: string;
  bytes: number;
}

/** Downloads `remotePath` (a file) to exactly `localPath`, whose folder must exist. */
export async function downloadFile(tree: TransferTree, remotePath: string, localPath: string, opts: CopyFileOptions = {}): Promise<CopyFileResult> {
  const job = singleJob('download', remotePath, localPath, opts);
  const ctx = runContext(job, tree, opts);
  try {
    const src: FileStat = await tree.stat(remotePath);
    if (src.type === 'directory') throw new TransferError('not-a-file', `${remotePath} is a folder; one file is copied here`, remotePath);
    return outcome(job, await runDownload(ctx, src), job.targetPath ?? localPath);
  } finally {
    await cleanupDownload(job);
  }
}

/** Uploads `localPath` (a regular file, not a link) to exactly `remotePath` on the share. */
export async function uploadFile(tree: TransferTree, localPath: string, remotePath: string, opts: CopyFileOptions = {}): Promise<CopyFileResult> {
  const job = singleJob('upload', remotePath, localPath, opts);
  const ctx = runContext(job, tree, opts);
  let result: CopyFileResult;
  try {
    result = outcome(job, await runUpload(ctx), job.targetPath ?? remotePath);
  } catch (e) {
    // The copy did not finish: its partial is removed from the share, within a deadline; one the
    // server did not let us remove is named in the error, so the person knows it is there.
    if (!(await cleanupUpload(job, tree, opts.partialRemoveDeadlineMs)) && e instanceof Error) e.message += leftoverNote(job);
    throw e;
  }
  await cleanupUpload(job, tree, opts.partialRemoveDeadlineMs);
  return result;
}

function singleJob(direction: TransferDirection, remotePath: string, localPath: string, opts: CopyFileOptions): TransferJob {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    direction,
    driveId: '',
    remotePath,
    localPath,
    conflict: opts.overwrite === false ? 'skip' : 'overwrite',
    verifyHash: opts.verifyHash ?? false,
    ...(opts.flushToDisk === false ? { flushToDisk: false } : {}),
    kind: 'file',
    state: 'running',
    bytesDone: 0,
    bytesTotal: 0,
    createdAt: now,
    updatedAt: now,
  };
}

function runContext(job: TransferJob, tree: TransferTree, opts: CopyFileOptions): RunContext {
  let announced: string | undefined;
  return {
    job,
    tree,
    signal: opts.signal ?? new AbortController().signal,
    onBytes: (n) => {
      job.bytesDone += n;
      opts.onProgress?.(job.bytesDone, job.bytesTotal);
    },
    // Nothing to persist for a job that lives only for this call; the runners save after
    // recording their partial, which is when it is worth telling the caller.
    save: () => {
      if (job.partial !== undefined && job.partial !== announced) {
        announced = job.partial;
        opts.onPartial?.(job.partial);
      }
    },
  };
}

function outcome(job: TransferJob, result: RunOutcome, path: string): CopyFileResult {
  if (result.kind === 'done') return { path, bytes: job.bytesTotal };
  throw new TransferError('exists', `${path} already exists; it was left as it was`, path);
}
