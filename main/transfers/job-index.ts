// The queue's jobs and the indexes it asks them through, so that no question costs a scan of
// every job: ready to run (FIFO), paused because their drive dropped (per drive), a folder's
// children (in the order found) and the remote paths it has already added, the listing entry of a
// file not yet downloaded, and the folder sums (folder-tally.ts). moved() keeps them in step with
// a job's state; every operation here is O(1) or proportional to what it returns.
import type { FileStat } from '../../protocol/index.js';
import { FolderTallies } from './folder-tally.js';
import { ReadyQueue } from './ready-queue.js';
import { TransferError } from './transfer-errors.js';
import type { JobState, TransferJob } from './types.js';

/** What listeners and callers get: a copy of the fields (nested values are replaced, never changed, by the queue). */
export const snap = (job: TransferJob): TransferJob => Object.freeze({ ...job });

let lastMs = -1;
let lastIso = '';
/** One ISO string per millisecond, shared by every job stamped in it. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/**
 * What a folder's expansion learnt of an entry that saves its first run a round trip: the
 * listing entry of a file to download, or that an upload's remote folder was made just now (so
 * nothing is under its name yet).
 */
export interface FirstRunHint {
  listed?: FileStat;
  absent?: boolean;
}

export class JobIndex {
  private readonly jobs = new Map<string, TransferJob>();
  /** Folder → its children's ids, in the order found. */
  private readonly kids = new Map<string, string[]>();
  /** Folder → remote paths of its children (an expansion after a restart adds no duplicates). */
  private readonly seen = new Map<string, Set<string>>();
  /** Queued jobs in the order they became ready. */
  readonly ready = new ReadyQueue();
  /** Drive → its jobs paused because it dropped. */
  private readonly offline = new Map<string, Set<string>>();
  /** What a folder's expansion knew of a file job, until its first run (see FirstRunHint). */
  private readonly hints = new Map<string, FirstRunHint>();
  readonly tallies: FolderTallies;

  constructor(progressIntervalMs: number) {
    this.tallies = new FolderTallies(progressIntervalMs);
  }

  get size(): number {
    return this.jobs.size;
  }

  all(): IterableIterator<TransferJob> {
    return this.jobs.values();
  }

  get(id: string): TransferJob | undefined {
    return this.jobs.get(id);
  }

  need(id: string): TransferJob {
    const job = this.jobs.get(id);
    if (!job) throw new TransferError('bad-request', `no transfer job ${id}`);
    return job;
  }

  parentOf(job: TransferJob): TransferJob | undefined {
    return job.parentId === undefined ? undefined : this.jobs.get(job.parentId);
  }

  /** Loaded jobs: all known first, then indexed (a child may come before its folder in a journal). */
  load(jobs: readonly TransferJob[]): void {
    for (const job of jobs) this.jobs.set(job.id, job);
    for (const job of jobs) {
      this.moved(job, undefined, false);
      const parent = this.parentOf(job);
      if (parent) this.link(parent, job);
    }
  }

  /** A new job (below `parent` for a folder's entry). */
  insert(job: TransferJob, parent: TransferJob | undefined, hint?: FirstRunHint): void {
    this.jobs.set(job.id, job);
    this.moved(job, undefined, false);
    if (parent) this.link(parent, job);
    if (hint && (hint.listed !== undefined || hint.absent === true)) this.hints.set(job.id, hint);
  }

  /** Call after `job.state` changed from `from` (`wasOffline`: it was paused for its drive). */
  moved(job: TransferJob, from: JobState | undefined, wasOffline: boolean): void {
    if (from === 'queued') this.ready.delete(job.id);
    if (wasOffline) this.offline.get(job.driveId)?.delete(job.id);
    if (job.state === 'queued') this.ready.add(job.id);
    if (job.state === 'paused' && job.pauseReason === 'drive-offline') this.offlineOf(job.driveId).add(job.id);
    if (job.state !== 'queued' && job.state !== 'running') this.hints.delete(job.id);
  }

  childIds(id: string): readonly string[] {
    return this.kids.get(id) ?? [];
  }

  hasChildren(id: string): boolean {
    return this.kids.has(id);
  }

  /** Whether the folder already has an entry for this remote path. */
  hasSeen(folderId: string, remotePath: string): boolean {
    return this.seen.get(folderId)?.has(remotePath) === true;
  }

  /** The ids paused because this drive dropped (a copy: callers change their states). */
  offlineIds(driveId: string): string[] {
    return [...(this.offline.get(driveId) ?? [])];
  }

  /** What the expansion knew of a file, once (its first run uses it; later runs ask again). */
  takeHint(id: string): FirstRunHint | undefined {
    const h = this.hints.get(id);
    this.hints.delete(id);
    return h;
  }

  forgetListings(): void {
    this.hints.clear();
  }

  private link(parent: TransferJob, child: TransferJob): void {
    let kids = this.kids.get(parent.id);
    if (!kids) this.kids.set(parent.id, (kids = []));
    kids.push(child.id);
    let seen = this.seen.get(parent.id);
    if (!seen) this.seen.set(parent.id, (seen = new Set()));
    seen.add(child.remotePath);
    this.tallies.update(parent, child);
  }

  private offlineOf(driveId: string): Set<string> {
    let s = this.offline.get(driveId);
    if (!s) this.offline.set(driveId, (s = new Set()));
    return s;
  }
}
