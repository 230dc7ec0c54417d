// Cancel and pause: a running job is stopped and waited for; one that is waiting moves straight
// to its state. A folder's running files wind down together, then the rest.
import { cleanupJob } from './job-runner.js';
import { isTerminal, type QueueCore } from './queue-core.js';
import type { TransferJob } from './types.js';

/** Stops a running job (waiting for it to settle) or moves a waiting one straight to its state. */
export async function stopOrSet(core: QueueCore, job: TransferJob, stop: 'cancel' | 'pause', setState = true): Promise<void> {
  const entry = core.running.get(job.id);
  if (entry) return core.stopRunning(entry, stop);
  if (isTerminal(job.state) || !setState) return;
  if (stop === 'pause') {
    if (job.state !== 'paused' && !(job.kind === 'folder' && job.expanded)) core.setState(job, 'paused', { pauseReason: 'user' });
    return;
  }
  if (job.partial !== undefined) {
    if (job.direction === 'download') await cleanupJob(job, undefined);
    else await cleanupUploadQuietly(core, job);
  }
  if (!isTerminal(job.state)) core.setState(job, 'cancelled');
}

/** Runs `f` on each child: the running ones at once (their runs wind down together), then the rest. */
export async function forChildren(core: QueueCore, folder: TransferJob, f: (c: TransferJob) => Promise<void>): Promise<void> {
  const ids = core.jobs.childIds(folder.id);
  await Promise.all(ids.filter((id) => core.running.has(id)).map((id) => f(core.jobs.get(id)!)));
  for (const id of ids) await f(core.jobs.get(id)!);
}

/** A paused upload may have left a remote partial; remove it if the drive answers soon. */
async function cleanupUploadQuietly(core: QueueCore, job: TransferJob): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 5000)));
  const tree = await Promise.race([core.opts.provider.acquire(job.driveId, job.share).catch(() => undefined), deadline]);
  clearTimeout(timer);
  const kept = core.durable.slot(job.id).get();
  core.durable.forget(job.id);
  if (!tree) return;
  // Our own durable open the server still keeps (share none) would stand in the way of the removal.
  if (kept && tree.reclaim) {
    await tree.reclaim(kept.durable).then(
      (h) => h.close(),
      () => undefined,
    );
  }
  await core.cleanup(job, tree);
}
