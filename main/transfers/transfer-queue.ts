// The transfer queue: jobs copying files and folders between local disk and drives, a few at a
// time, persisted (state-store.ts: a snapshot and an append-only journal) so they survive a
// restart. A job whose drive drops pauses and continues when the provider says the drive is back
// (or a bounded retry timer fires); a drive that keeps dropping without progress fails its jobs
// (drop-budget.ts).
//
// Cost: a state change is O(1) whatever the number of jobs. Jobs are indexed by what the queue
// asks of them (ready to run, paused for a drive, children of a folder), folder totals are kept
// as running sums (folder-tally.ts), events carry a shallow snapshot, and persistence appends one
// line per changed job per batch. Only list() and children() are proportional to what they return.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { resolve as resolvePath } from 'node:path';
import { DropBudget } from './drop-budget.js';
import { LeftoverPartials } from './leftover-partials.js';
import type { ChildSpec } from './expand-folder.js';
import { isoNow, JobIndex, snap } from './job-index.js';
import { cleanupJob, fileCopier, runJobOnce } from './job-runner.js';
import { ProgressMeter, type ProgressSample } from './progress.js';
import { MAX_CONCURRENT_FILES, type TransferQueueOptions } from './queue-options.js';
import type { RunContext } from './run-context.js';
import { QueueJournal } from './state-store.js';
import { isDriveDrop, isSilentServer, toJobError, TransferError } from './transfer-errors.js';
import { leftoverNote } from './upload-file.js';
import {
  TERMINAL_STATES,
  type ConflictDecision,
  type EnqueueRequest,
  type JobError,
  type JobState,
  type TransferEventName,
  type TransferEvents,
  type TransferJob,
  type TransferQueue,
  type TransferTree,
} from './types.js';

export { MAX_CONCURRENT_FILES, type TransferQueueOptions } from './queue-options.js';

type StopReason = 'cancel' | 'pause' | 'dispose' | 'give-up';

interface Running {
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

const isTerminal = (s: JobState): boolean => TERMINAL_STATES.includes(s);
export class LocalTransferQueue implements TransferQueue {
  private readonly jobs: JobIndex;
  /** Folders being cancelled or paused: not settled while their children are being stopped. */
  private readonly closing = new Set<string>();
  private readonly running = new Map<string, Running>();
  private readonly emitter = new EventEmitter();
  private readonly store: QueueJournal;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly drops = new DropBudget();
  private readonly leftovers: LeftoverPartials;
  private idleWaiters: (() => void)[] = [];
  private unsubscribe: (() => void) | undefined;
  private disposed = false;

  constructor(private readonly opts: TransferQueueOptions) {
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

  static async open(opts: TransferQueueOptions): Promise<LocalTransferQueue> {
    const q = new LocalTransferQueue(opts);
    await q.start();
    return q;
  }

  /** Loads the saved jobs; those that were copying come back paused, then resume. */
  async start(): Promise<void> {
    const { jobs, problem } = await this.store.load();
    if (problem) this.emit('persist-error', { message: `transfer state not (fully) loaded: ${problem}` });
    this.jobs.load(jobs);
    for (const job of jobs) {
      if (job.state === 'running' && !(job.kind === 'folder' && job.expanded)) this.setState(job, 'paused', { pauseReason: 'interrupted' });
    }
    for (const job of jobs) {
      if (job.state === 'paused' && job.pauseReason !== 'user') this.setState(job, 'queued');
    }
    for (const job of jobs) if (job.kind === 'folder') this.settleFolder(job);
    for (const job of jobs) this.leftovers.note(job);
    this.unsubscribe = this.opts.provider.onDriveState((c) => {
      if (c.available) this.resumeDrive(c.driveId);
    });
    this.pump();
    // Partials an earlier run could not remove: tried once now, and again whenever a drive is back.
    for (const d of this.leftovers.drives()) void this.leftovers.sweep(d);
  }

  enqueue(req: EnqueueRequest): TransferJob {
    if (req.direction !== 'download' && req.direction !== 'upload') throw new TransferError('bad-request', `unknown direction ${String(req.direction)}`);
    for (const f of ['driveId', 'localPath'] as const) {
      if (typeof req[f] !== 'string' || req[f] === '') throw new TransferError('bad-request', `${f} is required`);
    }
    // '' is the root of the share: a folder like any other.
    if (typeof req.remotePath !== 'string') throw new TransferError('bad-request', 'remotePath must be a share path ("" for the root)');
    return snap(this.add({ ...req, localPath: resolvePath(req.localPath) }));
  }

  async cancel(id: string): Promise<void> {
    const job = this.jobs.need(id);
    if (!this.jobs.hasChildren(id)) return this.stopOrSet(job, 'cancel');
    // A folder: its files first (so that when the folder ends, nothing of it is left running).
    this.closing.add(id);
    try {
      await this.stopOrSet(job, 'cancel', false);
      await this.forChildren(job, (c) => this.stopOrSet(c, 'cancel'));
    } finally {
      this.closing.delete(id);
    }
    if (!isTerminal(job.state)) this.setState(job, 'cancelled');
  }

  async pause(id: string): Promise<void> {
    const job = this.jobs.need(id);
    this.closing.add(id);
    try {
      if (job.kind !== 'folder' || this.running.has(id)) await this.stopOrSet(job, 'pause');
      await this.forChildren(job, (c) => this.stopOrSet(c, 'pause'));
    } finally {
      this.closing.delete(id);
    }
    // The last of its files may have ended meanwhile.
    this.settleFolder(job);
  }

  resume(id: string): void {
    const job = this.jobs.need(id);
    if (job.state === 'paused') this.setState(job, 'queued');
    for (const cid of this.jobs.childIds(id)) {
      const c = this.jobs.get(cid);
      if (c?.state === 'paused') this.setState(c, 'queued');
    }
    this.pump();
  }

  retry(id: string): void {
    const job = this.jobs.need(id);
    const again = (j: TransferJob): void => {
      if (j.state !== 'failed' && j.state !== 'cancelled') return;
      // A subfolder entry that failed is listed again when it runs (job-runner.ts).
      this.setState(j, 'queued', { bytesDone: 0, resume: undefined, targetPath: undefined, decision: undefined, resumedFrom: undefined });
    };
    if (job.kind === 'folder' && job.expanded) {
      for (const cid of this.jobs.childIds(id)) again(this.jobs.get(cid)!);
      if (isTerminal(job.state)) this.setState(job, 'running');
      this.settleFolder(job);
    } else {
      again(job);
      // An entry of a folder that had ended: the folder is open again until the entry ends.
      const parent = this.jobs.parentOf(job);
      if (parent && isTerminal(parent.state) && !isTerminal(job.state)) this.setState(parent, 'running');
    }
    this.pump();
  }

  decide(id: string, decision: ConflictDecision): void {
    const job = this.jobs.need(id);
    if (job.state !== 'waiting-for-decision') throw new TransferError('bad-request', `job ${id} is not waiting for a decision`);
    this.setState(job, 'queued', { decision, targetPath: undefined });
    this.pump();
  }

  list(): TransferJob[] {
    return [...this.jobs.all()].map(snap);
  }

  get(id: string): TransferJob | undefined {
    const job = this.jobs.get(id);
    return job && snap(job);
  }

  children(id: string): TransferJob[] {
    return this.jobs.childIds(id).map((c) => snap(this.jobs.get(c)!));
  }

  on<K extends TransferEventName>(event: K, listener: (e: TransferEvents[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.unsubscribe?.();
    this.jobs.forgetListings();
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.all([...this.running.values()].map((r) => this.stopRunning(r, 'dispose')));
    await this.store.close();
  }

  private add(req: EnqueueRequest, parent?: TransferJob, spec?: ChildSpec): TransferJob {
    const at = isoNow();
    const job: TransferJob = {
      id: randomUUID(),
      direction: req.direction,
      driveId: req.driveId,
      remotePath: req.remotePath,
      localPath: req.localPath,
      conflict: req.conflict ?? 'ask',
      verifyHash: req.verifyHash ?? false,
      ...(req.flushToDisk === false ? { flushToDisk: false } : {}),
      kind: spec?.folder ? 'folder' : 'file',
      ...(parent ? { parentId: parent.id } : {}),
      ...(spec?.notice ? { notice: spec.notice } : {}),
      // A refused name stays refused when the entry is retried.
      ...(spec?.error?.code === 'unsafe-name' ? { refused: spec.error.message } : {}),
      state: 'queued',
      bytesDone: 0,
      bytesTotal: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.jobs.insert(job, parent, spec?.error || spec?.folder ? undefined : spec?.listed);
    this.store.changed(job);
    this.emit('added', { job: snap(job) });
    // An entry reported by the expansion: it ends here (failed with its reason, or done if it only has a notice).
    if (spec?.error) this.setState(job, 'failed', { error: spec.error });
    else if (spec?.folder) this.setState(job, 'done', { expanded: true });
    this.pump();
    return job;
  }

  /** Adds an entry below a folder job, unless an earlier expansion of it (before a restart) already did. */
  private addChild(parent: TransferJob, spec: ChildSpec, entry: Running): void {
    if (this.jobs.hasSeen(parent.id, spec.remotePath)) return;
    const req = { direction: parent.direction, driveId: parent.driveId, conflict: parent.conflict, verifyHash: parent.verifyHash, ...(parent.flushToDisk === false ? { flushToDisk: false } : {}) };
    this.add({ ...req, remotePath: spec.remotePath, localPath: spec.localPath }, parent, spec);
    this.drops.progressed(parent.driveId);
    entry.progressed = true;
  }

  private pump(): void {
    if (this.disposed) return;
    const max = this.opts.maxConcurrent ?? MAX_CONCURRENT_FILES;
    while (this.running.size < max) {
      const id = this.jobs.ready.first();
      if (id === undefined) break;
      this.launch(this.jobs.get(id)!);
    }
    this.checkIdle();
  }

  private launch(job: TransferJob): void {
    const entry: Running = { controller: new AbortController(), done: Promise.resolve() };
    this.running.set(job.id, entry);
    this.setState(job, 'running');
    entry.done = this.execute(job, entry).finally(() => {
      this.running.delete(job.id);
      if (job.kind === 'folder') this.settleFolder(job);
      this.pump();
    });
  }

  private async execute(job: TransferJob, entry: Running): Promise<void> {
    let tree: TransferTree | undefined;
    try {
      entry.round = this.drops.startRun(job.driveId);
      tree = await this.opts.provider.acquire(job.driveId);
      entry.controller.signal.throwIfAborted();
      const ctx = this.runContext(job, tree, entry);
      const listed = this.jobs.takeListed(job.id);
      const deps = { copier: this.opts.copier ?? fileCopier, ...(this.opts.namePlatform ? { platform: this.opts.namePlatform } : {}), ...(listed ? { listed } : {}) };
      // A subfolder entry run again adds what it finds to its folder.
      const folder = this.jobs.parentOf(job) ?? job;
      const outcome = await runJobOnce(ctx, (c) => this.addChild(folder, c, entry), deps);
      if (outcome.kind === 'done') {
        this.progress(job, new ProgressMeter(job.bytesDone, job.bytesTotal).sample());
        this.setState(job, 'done');
      } else if (outcome.kind === 'skipped') {
        await this.cleanup(job, tree);
        this.setState(job, 'skipped');
      } else if (outcome.kind === 'conflict') {
        this.setState(job, 'waiting-for-decision', { conflictInfo: outcome.info });
      } else {
        job.expanded = true;
        this.store.changed(job);
      }
    } catch (e) {
      await this.failed(job, entry, e, tree);
    }
  }

  private runContext(job: TransferJob, tree: TransferTree, entry: Running): RunContext {
    let meter: ProgressMeter | undefined;
    const minIntervalMs = this.opts.progressIntervalMs ?? 100;
    return {
      job,
      tree,
      signal: entry.controller.signal,
      save: () => this.store.changed(job),
      onBytes: (n) => {
        meter ??= new ProgressMeter(job.bytesDone, job.bytesTotal, { minIntervalMs });
        job.bytesDone += n;
        if (this.drops.reached(job.driveId, job.id, job.bytesDone)) entry.progressed = true;
        const sample = meter.add(n);
        if (sample) this.progress(job, sample);
      },
    };
  }

  private async failed(job: TransferJob, entry: Running, e: unknown, tree: TransferTree | undefined): Promise<void> {
    if (entry.stop === 'cancel') {
      await this.cleanup(job, tree);
      // A folder's expansion stopped: the folder itself ends once its files are stopped (cancel()).
      if (this.closing.has(job.id)) return;
      this.setState(job, 'cancelled');
    } else if (entry.stop === 'pause' || entry.stop === 'dispose') {
      this.setState(job, 'paused', { pauseReason: entry.stop === 'pause' ? 'user' : 'interrupted' });
    } else if (entry.stop === 'give-up') {
      await this.cleanup(job, tree);
      this.setState(job, 'failed', { error: withLeftovers(entry.error ?? toJobError(e), job) });
    } else if (isDriveDrop(e)) {
      // A run on a tree, or a reconnect the server accepted and then did not answer.
      const counts = entry.round !== undefined && (tree !== undefined || isSilentServer(e));
      const gaveUp = counts ? this.drops.dropped(job.driveId, entry.round!, entry.progressed === true) : undefined;
      if (gaveUp === undefined) {
        this.setState(job, 'paused', { pauseReason: 'drive-offline', error: toJobError(e) });
        this.scheduleOfflineRetry(job.driveId);
      } else {
        const last = toJobError(e);
        const error = { ...last, message: `gave up after ${gaveUp} reconnects without progress: ${last.message}` };
        await this.cleanup(job, tree);
        this.setState(job, 'failed', { error: withLeftovers(error, job) });
        this.giveUpDrive(job.driveId, error);
      }
    } else {
      await this.cleanup(job, tree);
      this.setState(job, 'failed', { error: withLeftovers(toJobError(e), job) });
    }
  }

  /** Removes what a job left (bounded for an upload's partial on the share); never throws. */
  private async cleanup(job: TransferJob, tree: TransferTree | undefined): Promise<void> {
    await cleanupJob(job, tree, this.opts.partialRemoveDeadlineMs).catch(() => undefined);
  }

  /** Stops a running job (waiting for it to settle) or moves a waiting one straight to its state. */
  private async stopOrSet(job: TransferJob, stop: 'cancel' | 'pause', setState = true): Promise<void> {
    const entry = this.running.get(job.id);
    if (entry) return this.stopRunning(entry, stop);
    if (isTerminal(job.state) || !setState) return;
    if (stop === 'pause') {
      if (job.state !== 'paused' && !(job.kind === 'folder' && job.expanded)) this.setState(job, 'paused', { pauseReason: 'user' });
      return;
    }
    if (job.partial !== undefined) {
      if (job.direction === 'download') await cleanupJob(job, undefined);
      else await this.cleanupUploadQuietly(job);
    }
    if (!isTerminal(job.state)) this.setState(job, 'cancelled');
  }

  private async stopRunning(entry: Running, stop: StopReason): Promise<void> {
    entry.stop ??= stop;
    entry.controller.abort(new TransferError('bad-request', `job ${stop}`));
    await entry.done;
  }

  /** Runs `f` on each child: the running ones at once (their runs wind down together), then the rest. */
  private async forChildren(folder: TransferJob, f: (c: TransferJob) => Promise<void>): Promise<void> {
    const ids = this.jobs.childIds(folder.id);
    await Promise.all(ids.filter((id) => this.running.has(id)).map((id) => f(this.jobs.get(id)!)));
    for (const id of ids) await f(this.jobs.get(id)!);
  }

  /** A paused upload may have left a remote partial; remove it if the drive answers soon. */
  private async cleanupUploadQuietly(job: TransferJob): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 5000)));
    const tree = await Promise.race([this.opts.provider.acquire(job.driveId).catch(() => undefined), deadline]);
    clearTimeout(timer);
    if (tree) await this.cleanup(job, tree);
  }

  private setState(job: TransferJob, to: JobState, extra: Partial<TransferJob> = {}): void {
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
  private settleFolder(folder: TransferJob): void {
    if (!folder.expanded || folder.state !== 'running' || this.running.has(folder.id) || this.closing.has(folder.id)) return;
    if (!this.jobs.tallies.allEnded(folder.id)) return;
    const t = this.jobs.tallies.get(folder.id);
    if (t) this.emit('progress', { id: folder.id, ...t.meter.sample() });
    if (!t || t.bad === 0) this.setState(folder, 'done');
    else this.setState(folder, 'failed', { error: { code: 'partial', message: `${t.bad} of ${t.total} entries were not copied` } });
  }

  private progress(job: TransferJob, s: ProgressSample): void {
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

  private resumeDrive(driveId: string): void {
    for (const id of this.jobs.offlineIds(driveId)) this.setState(this.jobs.get(id)!, 'queued');
    this.pump();
    if (!this.disposed) void this.leftovers.sweep(driveId);
  }

  /**
   * The drive accepts connections but gets nowhere (drop-budget.ts): every job of it that is
   * running, waiting to run or waiting to reconnect fails with the same reason; a person may
   * retry them. Jobs paused by the person or waiting for a decision are left as they are.
   */
  private giveUpDrive(driveId: string, error: JobError): void {
    for (const [id, entry] of this.running) {
      const job = this.jobs.get(id)!;
      if (job.driveId !== driveId || isTerminal(job.state)) continue;
      entry.error = error;
      // Not awaited: this runs inside another job's run, and that job must not wait on this one.
      void this.stopRunning(entry, 'give-up');
    }
    const waiting = [...this.jobs.offlineIds(driveId), ...[...this.jobs.ready.ids()].filter((id) => this.jobs.get(id)!.driveId === driveId)];
    for (const id of waiting) {
      const job = this.jobs.get(id)!;
      if (job.direction === 'download') void cleanupJob(job, undefined);
      this.setState(job, 'failed', { error });
    }
  }

  private scheduleOfflineRetry(driveId: string): void {
    if (this.disposed || this.retryTimers.has(driveId)) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(driveId);
      this.resumeDrive(driveId);
    }, this.opts.offlineRetryMs ?? 10_000);
    timer.unref();
    this.retryTimers.set(driveId, timer);
  }

  private checkIdle(): void {
    if (this.running.size > 0 || this.jobs.ready.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private emit<K extends TransferEventName>(event: K, payload: TransferEvents[K]): void {
    this.emitter.emit(event, payload);
  }
}

/** A failure's words also say which partials stayed on the share (the failure list shows them). */
function withLeftovers(error: JobError, job: TransferJob): JobError {
  const note = leftoverNote(job);
  return note === '' ? error : { ...error, message: `${error.message}${note}` };
}
