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
//
// This file is the public face; the parts: queue-core.ts (state, setState, events), queue-runs.ts
// (running jobs and what their failures mean), queue-stops.ts (cancel, pause), queue-drives.ts
// (drives dropping and coming back), leftover-partials.ts (upload partials left on a share).
import { resolve as resolvePath } from 'node:path';
import { snap } from './job-index.js';
import { isTerminal, QueueCore } from './queue-core.js';
import { resumeDrive } from './queue-drives.js';
import type { TransferQueueOptions } from './queue-options.js';
import { QueueRuns } from './queue-runs.js';
import { forChildren, stopOrSet } from './queue-stops.js';
import { isShareName } from './safe-name.js';
import { TransferError } from './transfer-errors.js';
import type { ConflictDecision, EnqueueRequest, TransferEventName, TransferEvents, TransferJob, TransferQueue } from './types.js';

export { MAX_CONCURRENT_FILES, type TransferQueueOptions } from './queue-options.js';

export class LocalTransferQueue implements TransferQueue {
  private readonly core: QueueCore;
  private readonly runs: QueueRuns;
  private unsubscribe: (() => void) | undefined;

  constructor(opts: TransferQueueOptions) {
    this.core = new QueueCore(opts);
    this.runs = new QueueRuns(this.core);
  }

  static async open(opts: TransferQueueOptions): Promise<LocalTransferQueue> {
    const q = new LocalTransferQueue(opts);
    await q.start();
    return q;
  }

  /** Loads the saved jobs; those that were copying come back paused, then resume. */
  async start(): Promise<void> {
    const { jobs, problem } = await this.core.store.load();
    if (problem) this.core.emit('persist-error', { message: `transfer state not (fully) loaded: ${problem}` });
    this.core.jobs.load(jobs);
    for (const job of jobs) {
      if (job.state === 'running' && !(job.kind === 'folder' && job.expanded)) this.core.setState(job, 'paused', { pauseReason: 'interrupted' });
    }
    for (const job of jobs) {
      if (job.state === 'paused' && job.pauseReason !== 'user') this.core.setState(job, 'queued');
    }
    for (const job of jobs) if (job.kind === 'folder') this.core.settleFolder(job);
    for (const job of jobs) this.core.leftovers.note(job);
    this.unsubscribe = this.core.opts.provider.onDriveState((c) => {
      if (c.available) resumeDrive(this.core, c.driveId);
    });
    this.core.pump();
    // Partials an earlier run could not remove: tried once now, and again whenever a drive is back.
    for (const d of this.core.leftovers.drives()) void this.core.leftovers.sweep(d);
  }

  enqueue(req: EnqueueRequest): TransferJob {
    if (req.direction !== 'download' && req.direction !== 'upload') throw new TransferError('bad-request', `unknown direction ${String(req.direction)}`);
    for (const f of ['driveId', 'localPath'] as const) {
      if (typeof req[f] !== 'string' || req[f] === '') throw new TransferError('bad-request', `${f} is required`);
    }
    if (req.share !== undefined && !isShareName(req.share)) throw new TransferError('bad-request', 'share must be a share name (no separators, at most 80 characters)');
    // '' is the root of the share: a folder like any other.
    if (typeof req.remotePath !== 'string') throw new TransferError('bad-request', 'remotePath must be a share path ("" for the root)');
    return snap(this.runs.add({ ...req, localPath: resolvePath(req.localPath) }));
  }

  async cancel(id: string): Promise<void> {
    const job = this.core.jobs.need(id);
    if (!this.core.jobs.hasChildren(id)) return stopOrSet(this.core, job, 'cancel');
    // A folder: its files first (so that when the folder ends, nothing of it is left running).
    this.core.closing.add(id);
    try {
      await stopOrSet(this.core, job, 'cancel', false);
      await forChildren(this.core, job, (c) => stopOrSet(this.core, c, 'cancel'));
    } finally {
      this.core.closing.delete(id);
    }
    if (!isTerminal(job.state)) this.core.setState(job, 'cancelled');
  }

  async pause(id: string): Promise<void> {
    const job = this.core.jobs.need(id);
    this.core.closing.add(id);
    try {
      if (job.kind !== 'folder' || this.core.running.has(id)) await stopOrSet(this.core, job, 'pause');
      await forChildren(this.core, job, (c) => stopOrSet(this.core, c, 'pause'));
    } finally {
      this.core.closing.delete(id);
    }
    // The last of its files may have ended meanwhile.
    this.core.settleFolder(job);
  }

  resume(id: string): void {
    const job = this.core.jobs.need(id);
    if (job.state === 'paused') this.core.setState(job, 'queued');
    for (const cid of this.core.jobs.childIds(id)) {
      const c = this.core.jobs.get(cid);
      if (c?.state === 'paused') this.core.setState(c, 'queued');
    }
    this.core.pump();
  }

  retry(id: string): void {
    const job = this.core.jobs.need(id);
    const again = (j: TransferJob): void => {
      if (j.state !== 'failed' && j.state !== 'cancelled') return;
      // A subfolder entry that failed is listed again when it runs (job-runner.ts).
      this.core.setState(j, 'queued', { bytesDone: 0, resume: undefined, targetPath: undefined, decision: undefined, resumedFrom: undefined });
    };
    if (job.kind === 'folder' && job.expanded) {
      for (const cid of this.core.jobs.childIds(id)) again(this.core.jobs.get(cid)!);
      if (isTerminal(job.state)) this.core.setState(job, 'running');
      this.core.settleFolder(job);
    } else {
      again(job);
      // An entry of a folder that had ended: the folder is open again until the entry ends.
      const parent = this.core.jobs.parentOf(job);
      if (parent && isTerminal(parent.state) && !isTerminal(job.state)) this.core.setState(parent, 'running');
    }
    this.core.pump();
  }

  decide(id: string, decision: ConflictDecision): void {
    const job = this.core.jobs.need(id);
    if (job.state !== 'waiting-for-decision') throw new TransferError('bad-request', `job ${id} is not waiting for a decision`);
    this.core.setState(job, 'queued', { decision, targetPath: undefined });
    this.core.pump();
  }

  list(): TransferJob[] {
    return [...this.core.jobs.all()].map(snap);
  }

  get(id: string): TransferJob | undefined {
    const job = this.core.jobs.get(id);
    return job && snap(job);
  }

  children(id: string): TransferJob[] {
    return this.core.jobs.childIds(id).map((c) => snap(this.core.jobs.get(c)!));
  }

  on<K extends TransferEventName>(event: K, listener: (e: TransferEvents[K]) => void): () => void {
    this.core.emitter.on(event, listener);
    return () => this.core.emitter.off(event, listener);
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.core.idleWaiters.push(resolve);
      this.core.checkIdle();
    });
  }

  async dispose(): Promise<void> {
    this.core.disposed = true;
    this.unsubscribe?.();
    this.core.jobs.forgetListings();
    for (const t of this.core.retryTimers.values()) clearTimeout(t);
    this.core.retryTimers.clear();
    await Promise.all([...this.core.running.values()].map((r) => this.core.stopRunning(r, 'dispose')));
    await this.core.store.close();
  }
}
