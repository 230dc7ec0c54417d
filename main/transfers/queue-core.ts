// The transfer queue's shared state and its one way of changing a job's state (setState): the
// indexes, the runs in progress, events, persistence. The queue's parts (queue-runs.ts: running
// jobs; queue-stops.ts: cancel and pause; queue-drives.ts: drives that drop and come back) work
// on this; transfer-queue.ts is the public face.
import { EventEmitter } from 'node:events';
import { DropBudget } from './drop-budget.js';
import { DurableOpens } from './durable-partial.js';
import { isoNow, JobIndex, snap } from './job-index.js';
import { cleanupJob } from './job-runner.js';
import { LeftoverPartials } from './leftover-partials.js';
import type { ProgressSample } from './progress.js';
import type { TransferQueueOptions } from './queue-options.js';
import { QueueJournal } from './state-store.js';
import { TransferError } from './transfer-errors.js';
import { TERMINAL_STATES, type JobError, type JobState, type TransferEventName, type TransferEvents, type TransferJob, type TransferTree } from './types.js';

export type StopReason = 'cancel' | 'pause' | 'dispose' | 'give-up';

export interface Running {
  controller: AbortController;
  stop?: StopReason;
  done: Promise<void>;
  /** The drive's drop round this run started in (see drop-budget.ts). */
  round?: number;
  /** Why it was stopped when the stop is a failure ('give-up'). */
  error?: JobError;
  /** This run got further than any earlier run of the job. */
  progressed?: boolean;
}

export const isTerminal = (s: JobState): boolean => TERMINAL_STATES.includes(s);

export class QueueCore {
  readonly jobs: JobIndex;
  /** Folders being cancelled or paused: not settled while their children are being stopped. */
  readonly closing = new Set<string>();
  readonly running = new Map<string, Running>();
  readonly emitter = new EventEmitter();
  readonly store: QueueJournal;
  readonly retryTimers = new Map<string, NodeJS.Timeout>();
  readonly drops = new DropBudget();
  readonly leftovers: LeftoverPartials;
  /** Durable opens of uploads, kept across a drop (durable-partial.ts). */
  readonly durable = new DurableOpens();
  idleWaiters: (() => void)[] = [];
  disposed = false;
  /** Starts what can run (set by queue-runs.ts). */
  pump: () => void = () => undefined;

  constructor(readonly opts: TransferQueueOptions) {
    this.jobs = new JobIndex(opts.progressIntervalMs ?? 100);
    this.store = new QueueJournal(
      opts.configDir,
      { all: () => this.jobs.all(), count: () => this.jobs.size },
      { ...(opts.flushIntervalMs === undefined ? {} : { flushIntervalMs: opts.flushIntervalMs }), onError: (message) => this.emit('persist-error', { message }) },
    );
    this.emitter.setMaxListeners(0);
    this.leftovers = new LeftoverPartials({
      provider: opts.provider,
      job: (id) => this.jobs.get(id),
      changed: (job) => this.store.changed(job),
      idle: (job) => !this.running.has(job.id) && job.state !== 'queued',
      ...(opts.partialRemoveDeadlineMs === undefined ? {} : { deadlineMs: opts.partialRemoveDeadlineMs }),
    });
  }

  setState(job: TransferJob, to: JobState, extra: Partial<TransferJob> = {}): void {
    const from = job.state;
    const wasOffline = from === 'paused' && job.pauseReason === 'drive-offline';
    delete job.pauseReason;
    delete job.conflictInfo;
    delete job.error;
    Object.assign(job, extra, { state: to, updatedAt: isoNow() });
    for (const k of Object.keys(extra) as (keyof TransferJob)[]) if (job[k] === undefined) delete job[k];
    this.jobs.moved(job, from, wasOffline);
    if (isTerminal(to)) this.drops.forget(job.id);
    this.leftovers.note(job);
    const parent = this.jobs.parentOf(job);
    if (parent) this.jobs.tallies.update(parent, job);
    this.store.changed(job);
    const copy = snap(job);
    this.emit('state', { job: copy, from, to });
    if (to === 'done') this.emit('done', { job: copy });
    if (to === 'failed') this.emit('failed', { job: copy });
    if (to === 'paused') this.emit('paused', { job: copy, reason: job.pauseReason ?? 'user' });
    if (from === 'paused' && to === 'queued') this.emit('resumed', { job: copy });
    if (parent && isTerminal(to) !== isTerminal(from)) this.settleFolder(parent);
    this.checkIdle();
  }

  /** A folder ends once each of its entries has: done, or failed if any failed or was cancelled. */
  settleFolder(folder: TransferJob): void {
    if (!folder.expanded || folder.state !== 'running' || this.running.has(folder.id) || this.closing.has(folder.id)) return;
    if (!this.jobs.tallies.allEnded(folder.id)) return;
    const t = this.jobs.tallies.get(folder.id);
    if (t) this.emit('progress', { id: folder.id, ...t.meter.sample() });
    if (!t || t.bad === 0) this.setState(folder, 'done');
    else this.setState(folder, 'failed', { error: { code: 'partial', message: `${t.bad} of ${t.total} entries were not copied` } });
  }

  progress(job: TransferJob, s: ProgressSample): void {
    this.emit('progress', { id: job.id, ...s });
    this.store.changed(job);
    const parent = this.jobs.parentOf(job);
    if (!parent) return;
    const folder = this.jobs.tallies.update(parent, job);
    if (folder) {
      this.emit('progress', { id: parent.id, ...folder });
      this.store.changed(parent);
    }
  }

  /** Stops a running job and waits until its run has settled. */
  async stopRunning(entry: Running, stop: StopReason): Promise<void> {
    entry.stop ??= stop;
    entry.controller.abort(new TransferError('bad-request', `job ${stop}`));
    await entry.done;
  }

  /** Removes what a job left (bounded for an upload's partial on the share); never throws. */
  async cleanup(job: TransferJob, tree: TransferTree | undefined): Promise<void> {
    await cleanupJob(job, tree, this.opts.partialRemoveDeadlineMs).catch(() => undefined);
  }

  checkIdle(): void {
    if (this.running.size > 0 || this.jobs.ready.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  emit<K extends TransferEventName>(event: K, payload: TransferEvents[K]): void {
    this.emitter.emit(event, payload);
  }
}
