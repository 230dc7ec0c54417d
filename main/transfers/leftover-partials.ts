// Upload partials that could not be removed from the share when their job ended (the server did
// not answer within the removal deadline, upload-file.ts cleanupUpload): the job keeps them in
// `leftovers` (persisted), and this removes them once the drive answers again: when the queue
// starts and whenever the provider says the drive is back. Each removal is bounded too.
import { PARTIAL_REMOVE_DEADLINE_MS, cleanupUpload } from './upload-file.js';
import type { TransferJob, TransferTree, TreeProvider } from './types.js';

export interface LeftoverDeps {
  provider: TreeProvider;
  job(id: string): TransferJob | undefined;
  /** The job changed (persist it). */
  changed(job: TransferJob): void;
  /** Whether the job may be cleaned up now (not running or waiting to run: those clean up themselves). */
  idle(job: TransferJob): boolean;
  deadlineMs?: number;
}

export class LeftoverPartials {
  private readonly byDrive = new Map<string, Set<string>>();
  private readonly sweeping = new Set<string>();

  constructor(private readonly deps: LeftoverDeps) {}

  /** Remembers a job whose partials are still on the share. */
  note(job: TransferJob): void {
    if (job.direction !== 'upload' || (job.leftovers ?? []).length === 0) return;
    let ids = this.byDrive.get(job.driveId);
    if (!ids) this.byDrive.set(job.driveId, (ids = new Set()));
    ids.add(job.id);
  }

  /** Tries to remove the remembered partials of one drive (one sweep per drive at a time). */
  async sweep(driveId: string): Promise<void> {
    const ids = this.byDrive.get(driveId);
    if (!ids || ids.size === 0 || this.sweeping.has(driveId)) return;
    this.sweeping.add(driveId);
    // One tree per share the drive's jobs work on (undefined: the drive's own), asked for once.
    const trees = new Map<string | undefined, Promise<TransferTree | undefined>>();
    const treeOf = (share: string | undefined): Promise<TransferTree | undefined> => {
      const key = share?.toLowerCase();
      let t = trees.get(key);
      if (t === undefined) trees.set(key, (t = this.acquire(driveId, share)));
      return t;
    };
    try {
      for (const id of [...ids]) {
        const job = this.deps.job(id);
        if (!job || (job.leftovers ?? []).length === 0) {
          ids.delete(id);
          continue;
        }
        // The tree first, as a job that just ended may still be winding down its run.
        const tree = await treeOf(job.share);
        if (!tree || !this.deps.idle(job)) continue;
        const left = { ...job, partial: undefined } as TransferJob;
        delete left.partial;
        await cleanupUpload(left, tree, this.deadline());
        if (left.leftovers === undefined) {
          delete job.leftovers;
          ids.delete(id);
        } else job.leftovers = left.leftovers;
        this.deps.changed(job);
      }
    } finally {
      this.sweeping.delete(driveId);
    }
  }

  drives(): string[] {
    return [...this.byDrive.keys()];
  }

  private deadline(): number {
    return this.deps.deadlineMs ?? PARTIAL_REMOVE_DEADLINE_MS;
  }

  /** A tree of the drive (or of another share of its server) if it answers within the deadline. */
  private async acquire(driveId: string, share: string | undefined): Promise<TransferTree | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), this.deadline())));
    try {
      return await Promise.race([this.deps.provider.acquire(driveId, share).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
