// The queue and its drives' comings and goings: jobs paused because their drive dropped go back
// to the queue when the provider says it is back (or a bounded retry timer fires); a drive that
// keeps dropping without progress (drop-budget.ts) fails its jobs with the same reason.
import { cleanupJob } from './job-runner.js';
import { isTerminal, type QueueCore } from './queue-core.js';
import type { JobError } from './types.js';

export function resumeDrive(core: QueueCore, driveId: string): void {
  for (const id of core.jobs.offlineIds(driveId)) core.setState(core.jobs.get(id)!, 'queued');
  core.pump();
  if (!core.disposed) void core.leftovers.sweep(driveId);
}

/**
 * The drive accepts connections but gets nowhere (drop-budget.ts): every job of it that is
 * running, waiting to run or waiting to reconnect fails with the same reason; a person may
 * retry them. Jobs paused by the person or waiting for a decision are left as they are.
 */
export function giveUpDrive(core: QueueCore, driveId: string, error: JobError): void {
  for (const [id, entry] of core.running) {
    const job = core.jobs.get(id)!;
    if (job.driveId !== driveId || isTerminal(job.state)) continue;
    entry.error = error;
    // Not awaited: this runs inside another job's run, and that job must not wait on this one.
    void core.stopRunning(entry, 'give-up');
  }
  const waiting = [...core.jobs.offlineIds(driveId), ...[...core.jobs.ready.ids()].filter((id) => core.jobs.get(id)!.driveId === driveId)];
  for (const id of waiting) {
    const job = core.jobs.get(id)!;
    if (job.direction === 'download') void cleanupJob(job, undefined);
    core.setState(job, 'failed', { error });
  }
}

export function scheduleOfflineRetry(core: QueueCore, driveId: string): void {
  if (core.disposed || core.retryTimers.has(driveId)) return;
  const timer = setTimeout(() => {
    core.retryTimers.delete(driveId);
    resumeDrive(core, driveId);
  }, core.opts.offlineRetryMs ?? 10_000);
  timer.unref();
  core.retryTimers.set(driveId, timer);
}
