// Runs one job once on a connected tree: finds out whether the source is a file or a folder,
// then copies the file or expands the folder into file jobs.
import { lstat } from 'node:fs/promises';
import { cleanupDownload, runDownload } from './download-file.js';
import { expandDownload, expandUpload, type AddChild } from './expand-folder.js';
import type { RunContext, RunOutcome } from './run-context.js';
import { TransferError } from './transfer-errors.js';
import { cleanupUpload, runUpload } from './upload-file.js';
import type { TransferJob, TransferTree } from './types.js';

export type JobOutcome = RunOutcome | { kind: 'expanded' };

export async function runJobOnce(ctx: RunContext, addChild: AddChild): Promise<JobOutcome> {
  const { job, tree } = ctx;
  if (job.refused) throw new TransferError('unsafe-name', job.refused, job.remotePath);
  if (job.direction === 'download') {
    const src = await tree.stat(job.remotePath);
    if (src.type === 'directory' && job.parentId === undefined) {
      job.kind = 'folder';
      await expandDownload(tree, job.remotePath, job.localPath, addChild, ctx.signal);
      return { kind: 'expanded' };
    }
    return runDownload(ctx, src);
  }
  const src = await lstat(job.localPath);
  if (src.isDirectory() && job.parentId === undefined) {
    job.kind = 'folder';
    await expandUpload(tree, job.localPath, job.remotePath, addChild, ctx.signal);
    return { kind: 'expanded' };
  }
  return runUpload(ctx);
}

/** Removes a job's partial file; `tree` is needed for uploads (skipped when the drive is away). */
export async function cleanupJob(job: TransferJob, tree: TransferTree | undefined): Promise<void> {
  if (job.kind !== 'file') return;
  if (job.direction === 'download') await cleanupDownload(job);
  else if (tree) await cleanupUpload(job, tree);
}
