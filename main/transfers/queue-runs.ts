// Running jobs: the queue starts what is ready (a few at a time), runs each once on a connected
// tree (job-runner.ts), adds what a folder's expansion finds, and decides what a failure means:
// cancelled, paused (by the person, or because the drive dropped), or failed (with its partial
// removed, and any partial the server did not let us remove named in the failure).
import { randomUUID } from 'node:crypto';
import type { ChildSpec } from './expand-folder.js';
import { isoNow, snap } from './job-index.js';
import { fileCopier, runJobOnce } from './job-runner.js';
import { ProgressMeter } from './progress.js';
import type { QueueCore, Running } from './queue-core.js';
import { giveUpDrive, scheduleOfflineRetry } from './queue-drives.js';
import { MAX_CONCURRENT_FILES } from './queue-options.js';
import type { RunContext } from './run-context.js';
import { isDriveDrop, isSilentServer, toJobError } from './transfer-errors.js';
import type { EnqueueRequest, JobError, TransferJob, TransferTree } from './types.js';
import { leftoverNote } from './upload-file.js';

export class QueueRuns {
  constructor(private readonly core: QueueCore) {
    core.pump = () => this.pump();
  }

  add(req: EnqueueRequest, parent?: TransferJob, spec?: ChildSpec): TransferJob {
    const at = isoNow();
    const job: TransferJob = {
      id: randomUUID(),
      direction: req.direction,
      driveId: req.driveId,
      ...(req.share === undefined ? {} : { share: req.share }),
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
    this.core.jobs.insert(job, parent, spec?.error || spec?.folder ? undefined : { ...(job.direction === 'download' && spec?.listed ? { listed: spec.listed } : {}), ...(spec?.absent ? { absent: true } : {}) });
    this.core.store.changed(job);
    this.core.emit('added', { job: snap(job) });
    // An entry reported by the expansion: it ends here (failed with its reason, or done if it only has a notice).
    if (spec?.error) this.core.setState(job, 'failed', { error: spec.error });
    else if (spec?.folder) this.core.setState(job, 'done', { expanded: true });
    this.pump();
    return job;
  }
  /** Adds an entry below a folder job, unless an earlier expansion of it (before a restart) already did. */
  private addChild(parent: TransferJob, spec: ChildSpec, entry: Running): void {
    if (this.core.jobs.hasSeen(parent.id, spec.remotePath)) return;
    const req = { direction: parent.direction, driveId: parent.driveId, ...(parent.share === undefined ? {} : { share: parent.share }), conflict: parent.conflict, verifyHash: parent.verifyHash, ...(parent.flushToDisk === false ? { flushToDisk: false } : {}) };
    this.add({ ...req, remotePath: spec.remotePath, localPath: spec.localPath }, parent, spec);
    this.core.drops.progressed(parent.driveId);
    entry.progressed = true;
  }
  pump(): void {
    if (this.core.disposed) return;
    const max = this.core.opts.maxConcurrent ?? MAX_CONCURRENT_FILES;
    while (this.core.running.size < max) {
      const id = this.core.jobs.ready.first();
      if (id === undefined) break;
      this.launch(this.core.jobs.get(id)!);
    }
    this.core.checkIdle();
  }
  private launch(job: TransferJob): void {
    const entry: Running = { controller: new AbortController(), done: Promise.resolve() };
    this.core.running.set(job.id, entry);
    this.core.setState(job, 'running');
    entry.done = this.execute(job, entry).finally(() => {
      this.core.running.delete(job.id);
      if (job.kind === 'folder') this.core.settleFolder(job);
      this.pump();
    });
  }
  private async execute(job: TransferJob, entry: Running): Promise<void> {
    let tree: TransferTree | undefined;
    try {
      entry.round = this.core.drops.startRun(job.driveId);
      tree = await this.core.opts.provider.acquire(job.driveId, job.share);
      entry.controller.signal.throwIfAborted();
      const ctx = this.runContext(job, tree, entry);
      const hint = this.core.jobs.takeHint(job.id);
      const deps = {
        copier: this.core.opts.copier ?? fileCopier,
        ...(this.core.opts.namePlatform ? { platform: this.core.opts.namePlatform } : {}),
        ...(hint?.listed ? { listed: hint.listed } : {}),
        ...(hint?.absent ? { absent: true } : {}),
      };
      // A subfolder entry run again adds what it finds to its folder.
      const folder = this.core.jobs.parentOf(job) ?? job;
      const outcome = await runJobOnce(ctx, (c) => this.addChild(folder, c, entry), deps);
      if (outcome.kind === 'done') {
        this.core.progress(job, new ProgressMeter(job.bytesDone, job.bytesTotal).sample());
        this.core.setState(job, 'done');
      } else if (outcome.kind === 'skipped') {
        await this.core.cleanup(job, tree);
        this.core.setState(job, 'skipped');
      } else if (outcome.kind === 'conflict') {
        this.core.setState(job, 'waiting-for-decision', { conflictInfo: outcome.info });
      } else {
        job.expanded = true;
        this.core.store.changed(job);
      }
    } catch (e) {
      await this.failed(job, entry, e, tree);
    }
  }
  private runContext(job: TransferJob, tree: TransferTree, entry: Running): RunContext {
    let meter: ProgressMeter | undefined;
    const minIntervalMs = this.core.opts.progressIntervalMs ?? 100;
    return {
      job,
      tree,
      signal: entry.controller.signal,
      save: () => this.core.store.changed(job),
      durable: this.core.durable.slot(job.id),
      onBytes: (n) => {
        meter ??= new ProgressMeter(job.bytesDone, job.bytesTotal, { minIntervalMs });
        job.bytesDone += n;
        if (this.core.drops.reached(job.driveId, job.id, job.bytesDone)) entry.progressed = true;
        const sample = meter.add(n);
        if (sample) this.core.progress(job, sample);
      },
    };
  }
  private async failed(job: TransferJob, entry: Running, e: unknown, tree: TransferTree | undefined): Promise<void> {
    // A durable open is worth keeping only through a drop; a stop of ours closed it.
    if (entry.stop !== undefined || !isDriveDrop(e)) this.core.durable.forget(job.id);
    if (entry.stop === 'cancel') {
      await this.core.cleanup(job, tree);
      // A folder's expansion stopped: the folder itself ends once its files are stopped (cancel()).
      if (this.core.closing.has(job.id)) return;
      this.core.setState(job, 'cancelled');
    } else if (entry.stop === 'pause' || entry.stop === 'dispose') {
      this.core.setState(job, 'paused', { pauseReason: entry.stop === 'pause' ? 'user' : 'interrupted' });
    } else if (entry.stop === 'give-up') {
      await this.core.cleanup(job, tree);
      this.core.setState(job, 'failed', { error: withLeftovers(entry.error ?? toJobError(e), job) });
    } else if (isDriveDrop(e)) {
      // A run on a tree, or a reconnect the server accepted and then did not answer.
      const counts = entry.round !== undefined && (tree !== undefined || isSilentServer(e));
      const gaveUp = counts ? this.core.drops.dropped(job.driveId, entry.round!, entry.progressed === true) : undefined;
      if (gaveUp === undefined) {
        this.core.setState(job, 'paused', { pauseReason: 'drive-offline', error: toJobError(e) });
        scheduleOfflineRetry(this.core, job.driveId);
      } else {
        const last = toJobError(e);
        const error = { ...last, message: `gave up after ${gaveUp} reconnects without progress: ${last.message}` };
        await this.core.cleanup(job, tree);
        this.core.setState(job, 'failed', { error: withLeftovers(error, job) });
        giveUpDrive(this.core, job.driveId, error);
      }
    } else {
      await this.core.cleanup(job, tree);
      this.core.setState(job, 'failed', { error: withLeftovers(toJobError(e), job) });
    }
  }
}

/** A failure's words also say which partials stayed on the share (the failure list shows them). */
function withLeftovers(error: JobError, job: TransferJob): JobError {
  const note = leftoverNote(job);
  return note === '' ? error : { ...error, message: `${error.message}${note}` };
}
