// Runs one job once on a connected tree: finds out whether the source is a file or a folder,
// then copies the file or expands the folder into file jobs. A share's root ('') is a folder like
// any other.
import { lstat } from 'node:fs/promises';
import type { FileStat } from '../../protocol/index.js';
import { cleanupDownload, runDownload } from './download-file.js';
import { expandDownload, expandUpload, type AddChild } from './expand-folder.js';
import type { RunContext, RunOutcome } from './run-context.js';
import type { NamePlatform } from './safe-name.js';
import { TransferError } from './transfer-errors.js';
import { cleanupUpload, runUpload } from './upload-file.js';
import type { TransferJob, TransferTree } from './types.js';

export type JobOutcome = RunOutcome | { kind: 'expanded' };

/** Copies one file; the queue's tests swap it to measure the queue alone. */
export interface FileCopier {
  download(ctx: RunContext, src: FileStat): Promise<RunOutcome>;
  /** `known.absent`: nothing is under the remote name (its folder was just made). */
  upload(ctx: RunContext, known?: { absent?: boolean }): Promise<RunOutcome>;
}

export const fileCopier: FileCopier = { download: runDownload, upload: runUpload };

export interface RunDeps {
  copier: FileCopier;
  platform?: NamePlatform;
  /** What its folder's listing said of a file to download (saves a round trip per file). */
  listed?: FileStat;
  /** An upload into a remote folder its expansion made: nothing is under the name yet (saves a round trip per file). */
  absent?: boolean;
}

export async function runJobOnce(ctx: RunContext, addChild: AddChild, deps: RunDeps): Promise<JobOutcome> {
  const { job, tree } = ctx;
  if (job.refused) throw new TransferError('unsafe-name', job.refused, job.remotePath);
  const expand = { signal: ctx.signal, ...(deps.platform ? { platform: deps.platform } : {}) };
  if (job.kind === 'folder' && job.parentId !== undefined) {
    // A subfolder entry that failed when its folder was expanded (it could not be listed or
    // made), tried again: list it now; what it holds joins the folder.
    if (job.direction === 'download') await expandDownload(tree, job.remotePath, job.localPath, addChild, { ...expand, below: true });
    else await expandUpload(tree, job.localPath, job.remotePath, addChild, expand);
    return { kind: 'done' };
  }
  if (job.direction === 'download') {
    const src = deps.listed ?? (await tree.stat(job.remotePath));
    if (src.type === 'directory' && job.parentId === undefined) {
      job.kind = 'folder';
      await expandDownload(tree, job.remotePath, job.localPath, addChild, expand);
      return { kind: 'expanded' };
    }
    return deps.copier.download(ctx, src);
  }
  // A folder's file entry is a file (the upload opens it as one, without following a link).
  if (job.parentId === undefined && (await lstat(job.localPath)).isDirectory()) {
    job.kind = 'folder';
    await expandUpload(tree, job.localPath, job.remotePath, addChild, expand);
    return { kind: 'expanded' };
  }
  return deps.copier.upload(ctx, deps.absent ? { absent: true } : undefined);
}

/** Removes a job's partial file; `tree` is needed for uploads (skipped when the drive is away). */
export async function cleanupJob(job: TransferJob, tree: TransferTree | undefined, removeDeadlineMs?: number): Promise<void> {
  if (job.kind !== 'file') return;
  if (job.direction === 'download') {
    if (job.partial !== undefined) await cleanupDownload(job);
  } else if (tree && (job.partial !== undefined || job.leftovers !== undefined)) await cleanupUpload(job, tree, removeDeadlineMs);
}
