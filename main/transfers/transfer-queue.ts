// The transfer queue: jobs copying files and folders between local disk and drives, a few at a
// time, persisted to `transfers.json` so they survive a restart. A job whose drive drops pauses
// and continues when the provider says the drive is back (or a bounded retry timer fires).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { resolve as resolvePath } from 'node:path';
import { DropBudget } from './drop-budget.js';
import type { ChildSpec } from './expand-folder.js';
import { cleanupJob, runJobOnce } from './job-runner.js';
import { ProgressMeter, type ProgressSample } from './progress.js';
import type { RunContext } from './run-context.js';
import { QueueStateFile } from './state-store.js';
import { isDriveDrop, toJobError, TransferError } from './transfer-errors.js';
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
  type TreeProvider,
} from './types.js';

export interface TransferQueueOptions {
  provider: TreeProvider;
  /** Folder of the state file (the app's config dir). */
  configDir: string;
  /** File jobs copying at once. Default 2. */
  maxConcurrent?: number;
  /** At most one progress event per job per this many ms. Default 100 (10/s). */
  progressIntervalMs?: number;
  /** A job paused by a dropped drive is tried again after this long if nobody says the drive is back. */
  offlineRetryMs?: number;
}

type StopReason = 'cancel' | 'pause' | 'dispose' | 'give-up';

interface Running {
  controller: AbortController;
  stop?: StopReason;
  done: Promise<void>;
  /** The drive's drop round this run started in (set once it has a tree; see drop-budget.ts). */
  round?: number;
  /** Why it was stopped when the stop is a failure ('give-up'). */
  error?: JobError;
  /** This run got further than any earlier run of the job. */
  progressed?: boolean;
}

const isTerminal = (s: JobState): boolean => TERMINAL_STATES.includes(s);
const snap = (job: TransferJob): TransferJob => structuredClone(job);

export class LocalTransferQueue implements TransferQueue {
  private readonly jobs = new Map<string, TransferJob>();
  private readonly childKeys = new Set<string>();
  private readonly running = new Map<string, Running>();
  private readonly rates = new Map<string, number>();
  private readonly emitter = new EventEmitter();
  private readonly store: QueueStateFile;
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly drops = new DropBudget();
  private idleWaiters: (() => void)[] = [];
  private unsubscribe: (() => void) | undefined;
  private disposed = false;
  private lastSave = 0;

  constructor(private readonly opts: TransferQueueOptions) {
    this.store = new QueueStateFile(opts.configDir);
  }

  static async open(opts: TransferQueueOptions): Promise<LocalTransferQueue> {
    const q = new LocalTransferQueue(opts);
    await q.start();
    return q;
  }

  /** Loads the state file; jobs that were copying come back paused, then resume. */
  async start(): Promise<void> {
    const { jobs, problem } = await this.store.load();
    if (problem) this.emit('persist-error', { message: `transfer state not loaded: ${problem}` });
    for (const job of jobs) {
      this.jobs.set(job.id, job);
      if (job.parentId) this.childKeys.add(childKey(job.parentId, job));
    }
    for (const job of jobs) {
      if (job.state === 'running' && !(job.kind === 'folder' && job.expanded)) this.setState(job, 'paused', { pauseReason: 'interrupted' });
    }
    for (const job of jobs) {
      if (job.state === 'paused' && job.pauseReason !== 'user') this.setState(job, 'queued');
    }
    this.unsubscribe = this.opts.provider.onDriveState((c) => {
      if (c.available) this.resumeDrive(c.driveId);
    });
    this.pump();
  }

  enqueue(req: EnqueueRequest): TransferJob {
    if (req.direction !== 'download' && req.direction !== 'upload') throw new TransferError('bad-request', `unknown direction ${String(req.direction)}`);
    for (const f of ['driveId', 'remotePath', 'localPath'] as const) {
      if (typeof req[f] !== 'string' || req[f] === '') throw new TransferError('bad-request', `${f} is required`);
    }
    return snap(this.add({ ...req, localPath: resolvePath(req.localPath) }));
  }

  async cancel(id: string): Promise<void> {
    const job = this.need(id);
    await this.stopOrSet(job, 'cancel');
    for (const child of this.childrenOf(job)) await this.stopOrSet(child, 'cancel');
  }

  async pause(id: string): Promise<void> {
    const job = this.need(id);
    if (job.kind !== 'folder' || this.running.has(id)) await this.stopOrSet(job, 'pause');
    for (const child of this.childrenOf(job)) await this.stopOrSet(child, 'pause');
  }

  resume(id: string): void {
    const job = this.need(id);
    for (const j of [job, ...this.childrenOf(job)]) if (j.state === 'paused') this.setState(j, 'queued');
    this.pump();
  }

  retry(id: string): void {
    const job = this.need(id);
    const again = (j: TransferJob): void => {
      if (j.state !== 'failed' && j.state !== 'cancelled') return;
      this.setState(j, 'queued', { bytesDone: 0, resume: undefined, targetPath: undefined, decision: undefined, resumedFrom: undefined });
    };
    if (job.kind === 'folder' && job.expanded) {
      for (const child of this.childrenOf(job)) again(child);
      if (isTerminal(job.state)) this.setState(job, 'running');
    } else {
      again(job);
    }
    this.pump();
  }

  decide(id: string, decision: ConflictDecision): void {
    const job = this.need(id);
    if (job.state !== 'waiting-for-decision') throw new TransferError('bad-request', `job ${id} is not waiting for a decision`);
    this.setState(job, 'queued', { decision, targetPath: undefined });
    this.pump();
  }

  list(): TransferJob[] {
    return [...this.jobs.values()].map(snap);
  }

  get(id: string): TransferJob | undefined {
    const job = this.jobs.get(id);
    return job && snap(job);
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
    for (const t of this.retryTimers.values()) clearTimeout(t);
    this.retryTimers.clear();
    await Promise.all([...this.running.values()].map((r) => this.stopRunning(r, 'dispose')));
    await this.store.save(this.serialize()).catch((e: Error) => this.emit('persist-error', { message: e.message }));
  }

  private add(req: EnqueueRequest, parentId?: string, refused?: string): TransferJob {
    const at = new Date().toISOString();
    const job: TransferJob = {
      id: randomUUID(),
      direction: req.direction,
      driveId: req.driveId,
      remotePath: req.remotePath,
      localPath: req.localPath,
      conflict: req.conflict ?? 'ask',
      verifyHash: req.verifyHash ?? false,
      kind: 'file',
      ...(parentId ? { parentId } : {}),
      ...(refused ? { refused } : {}),
      state: 'queued',
      bytesDone: 0,
      bytesTotal: 0,
      createdAt: at,
      updatedAt: at,
    };
    this.jobs.set(job.id, job);
    if (parentId) this.childKeys.add(childKey(parentId, job));
    this.emit('added', { job: snap(job) });
    this.persist();
    this.pump();
    return job;
  }

  /** Adds a file job below a folder job, unless a re-expansion after a restart already has it. */
  private addChild(parent: TransferJob, spec: ChildSpec): void {
    if (this.childKeys.has(childKey(parent.id, spec))) return;
    const req = { direction: parent.direction, driveId: parent.driveId, conflict: parent.conflict, verifyHash: parent.verifyHash, ...spec };
    this.add(req, parent.id, spec.refused);
    this.drops.progressed(parent.driveId);
  }

  private pump(): void {
    if (this.disposed) return;
    const max = this.opts.maxConcurrent ?? 2;
    for (const job of this.jobs.values()) {
      if (this.running.size >= max) break;
      if (job.state === 'queued') this.launch(job);
    }
    this.checkIdle();
  }

  private launch(job: TransferJob): void {
    const entry: Running = { controller: new AbortController(), done: Promise.resolve() };
    this.running.set(job.id, entry);
    this.setState(job, 'running');
    entry.done = this.execute(job, entry).finally(() => {
      this.running.delete(job.id);
      this.rates.delete(job.id);
      this.pump();
    });
  }

  private async execute(job: TransferJob, entry: Running): Promise<void> {
    let tree: TransferTree | undefined;
    try {
      tree = await this.opts.provider.acquire(job.driveId);
      entry.round = this.drops.startRun(job.driveId);
      entry.controller.signal.throwIfAborted();
      const ctx = this.runContext(job, tree, entry);
      const outcome = await runJobOnce(ctx, (c) => this.addChild(job, c));
      if (outcome.kind === 'done') {
        this.progress(job, new ProgressMeter(job.bytesDone, job.bytesTotal).sample());
        this.setState(job, 'done');
      } else if (outcome.kind === 'skipped') {
        await cleanupJob(job, tree);
        this.setState(job, 'skipped');
      } else if (outcome.kind === 'conflict') {
        this.setState(job, 'waiting-for-decision', { conflictInfo: outcome.info });
      } else {
        job.expanded = true;
        this.persist();
        this.settleFolder(job);
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
      save: () => this.persist(),
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
      await cleanupJob(job, tree);
      this.setState(job, 'cancelled');
    } else if (entry.stop === 'pause' || entry.stop === 'dispose') {
      this.setState(job, 'paused', { pauseReason: entry.stop === 'pause' ? 'user' : 'interrupted' });
    } else if (entry.stop === 'give-up') {
      await cleanupJob(job, tree).catch(() => undefined);
      this.setState(job, 'failed', { error: entry.error ?? toJobError(e) });
    } else if (isDriveDrop(e)) {
      const gaveUp = entry.round === undefined ? undefined : this.drops.dropped(job.driveId, entry.round, entry.progressed === true);
      if (gaveUp === undefined) {
        this.setState(job, 'paused', { pauseReason: 'drive-offline', error: toJobError(e) });
        this.scheduleOfflineRetry(job.driveId);
      } else {
        const last = toJobError(e);
        const error = { ...last, message: `gave up after ${gaveUp} reconnects without progress: ${last.message}` };
        await cleanupJob(job, tree).catch(() => undefined);
        this.setState(job, 'failed', { error });
        await this.giveUpDrive(job.driveId, error);
      }
    } else {
      await cleanupJob(job, tree).catch(() => undefined);
      this.setState(job, 'failed', { error: toJobError(e) });
    }
  }

  /** Stops a running job (waiting for it to settle) or moves a waiting one straight to its state. */
  private async stopOrSet(job: TransferJob, stop: 'cancel' | 'pause'): Promise<void> {
    const entry = this.running.get(job.id);
    if (entry) return this.stopRunning(entry, stop);
    if (isTerminal(job.state)) return;
    if (stop === 'pause') {
      if (job.state !== 'paused' && !(job.kind === 'folder' && job.expanded)) this.setState(job, 'paused', { pauseReason: 'user' });
      return;
    }
    if (job.direction === 'download') await cleanupJob(job, undefined);
    else await this.cleanupUploadQuietly(job);
    this.setState(job, 'cancelled');
  }

  private async stopRunning(entry: Running, stop: StopReason): Promise<void> {
    entry.stop ??= stop;
    entry.controller.abort(new TransferError('bad-request', `job ${stop}`));
    await entry.done;
  }

  /** A paused upload may have left a remote partial; remove it if the drive answers soon. */
  private async cleanupUploadQuietly(job: TransferJob): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 5000)));
    const tree = await Promise.race([this.opts.provider.acquire(job.driveId).catch(() => undefined), deadline]);
    clearTimeout(timer);
    if (tree) await cleanupJob(job, tree).catch(() => undefined);
  }

  private setState(job: TransferJob, to: JobState, extra: Partial<TransferJob> = {}): void {
    const from = job.state;
    delete job.pauseReason;
    delete job.conflictInfo;
    delete job.error;
    Object.assign(job, extra, { state: to, updatedAt: new Date().toISOString() });
    for (const k of Object.keys(extra) as (keyof TransferJob)[]) if (job[k] === undefined) delete job[k];
    if (isTerminal(to)) this.drops.forget(job.id);
    const copy = snap(job);
    this.emit('state', { job: copy, from, to });
    if (to === 'done') this.emit('done', { job: copy });
    if (to === 'failed') this.emit('failed', { job: copy });
    if (to === 'paused') this.emit('paused', { job: copy, reason: job.pauseReason ?? 'user' });
    if (from === 'paused' && to === 'queued') this.emit('resumed', { job: copy });
    const parent = job.parentId ? this.jobs.get(job.parentId) : undefined;
    if (parent && isTerminal(to)) this.settleFolder(parent);
    this.persist();
    this.checkIdle();
  }

  /** A folder is done once each of its files is; failed if any failed or was cancelled. */
  private settleFolder(folder: TransferJob): void {
    if (!folder.expanded || folder.state !== 'running' || this.running.has(folder.id)) return;
    const children = this.childrenOf(folder);
    if (!children.every((c) => isTerminal(c.state))) return;
    const bad = children.filter((c) => c.state === 'failed' || c.state === 'cancelled').length;
    if (bad === 0) this.setState(folder, 'done');
    else this.setState(folder, 'failed', { error: { code: 'partial', message: `${bad} of ${children.length} files were not copied` } });
  }

  private progress(job: TransferJob, s: ProgressSample): void {
    this.rates.set(job.id, s.rate);
    this.emit('progress', { id: job.id, ...s });
    const parent = job.parentId ? this.jobs.get(job.parentId) : undefined;
    if (parent) {
      let done = 0;
      let total = 0;
      let rate = 0;
      for (const c of this.childrenOf(parent)) {
        done += c.bytesDone;
        total += c.bytesTotal;
        rate += this.rates.get(c.id) ?? 0;
      }
      Object.assign(parent, { bytesDone: done, bytesTotal: total });
      this.emit('progress', { id: parent.id, bytesDone: done, bytesTotal: total, rate, etaSeconds: rate > 0 ? (total - done) / rate : undefined });
    }
    if (Date.now() - this.lastSave > 2000) this.persist();
  }

  /**
   * The drive accepts connections but gets nowhere (drop-budget.ts): every job of it that is
   * waiting to run or to reconnect fails with the same reason; a person may retry them.
   * Jobs paused by the person or waiting for a decision are left as they are.
   */
  private async giveUpDrive(driveId: string, error: JobError): Promise<void> {
    for (const job of [...this.jobs.values()]) {
      if (job.driveId !== driveId || isTerminal(job.state) || (job.kind === 'folder' && job.expanded)) continue;
      const entry = this.running.get(job.id);
      if (entry) {
        // Not awaited: this runs inside another job's run, and that job must not wait on this one.
        entry.error = error;
        void this.stopRunning(entry, 'give-up');
      } else if (job.state === 'queued' || (job.state === 'paused' && job.pauseReason === 'drive-offline')) {
        if (job.direction === 'download') await cleanupJob(job, undefined);
        this.setState(job, 'failed', { error });
      }
    }
  }

  private resumeDrive(driveId: string): void {
    for (const job of this.jobs.values()) {
      if (job.driveId === driveId && job.state === 'paused' && job.pauseReason === 'drive-offline') this.setState(job, 'queued');
    }
    this.pump();
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

  private childrenOf(job: TransferJob): TransferJob[] {
    return [...this.jobs.values()].filter((j) => j.parentId === job.id);
  }

  private need(id: string): TransferJob {
    const job = this.jobs.get(id);
    if (!job) throw new TransferError('bad-request', `no transfer job ${id}`);
    return job;
  }

  private checkIdle(): void {
    if (this.running.size > 0 || [...this.jobs.values()].some((j) => j.state === 'queued')) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  private persist(): void {
    this.lastSave = Date.now();
    this.store.save(this.serialize()).catch((e: Error) => this.emit('persist-error', { message: e.message }));
  }

  private serialize(): TransferJob[] {
    return [...this.jobs.values()].map(snap);
  }

  private emit<K extends TransferEventName>(event: K, payload: TransferEvents[K]): void {
    this.emitter.emit(event, payload);
  }
}

function childKey(parentId: string, c: { remotePath: string; localPath: string }): string {
  return `${parentId}\0${c.remotePath}\0${c.localPath}`;
}
