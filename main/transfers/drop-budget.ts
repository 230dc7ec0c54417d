// How many times a drive may drop under its jobs without any of them getting anywhere before
// they give up. A server that accepts connections, completes the handshake and then never answers
// a request (issue 7) would otherwise make a job time out, pause, reconnect and hang again forever.
//
// - Only runs that got a connected tree count, and reconnects the server accepted and then did not
//   answer (transfer-errors.ts isSilentServer): a drive that cannot be reached at all keeps its
//   jobs paused until it is back (a drive that is away, not a server that misbehaves).
// - Runs that drop together (one outage under several jobs copying at once) count once: each run
//   remembers the drive's round when it started, and a drop counts only if no other drop was
//   counted since.
// - Progress by any job on the drive (a byte beyond the furthest point that job reached before,
//   or a new file found in a folder) starts the count again.

/** Consecutive drops of a drive without progress after which its jobs fail with the last reason. */
export const MAX_DROPS_WITHOUT_PROGRESS = 5;

interface DriveCount {
  drops: number;
  round: number;
}

export class DropBudget {
  private readonly drives = new Map<string, DriveCount>();
  private readonly furthest = new Map<string, number>();

  constructor(readonly limit = MAX_DROPS_WITHOUT_PROGRESS) {}

  /** A run starts on a connected tree of `driveId`: the round it belongs to. */
  startRun(driveId: string): number {
    return this.count(driveId).round;
  }

  /** Job `jobId` of `driveId` got to `bytesDone`; counts as progress when no run got further before. */
  reached(driveId: string, jobId: string, bytesDone: number): boolean {
    if (bytesDone <= (this.furthest.get(jobId) ?? 0)) return false;
    this.furthest.set(jobId, bytesDone);
    this.progressed(driveId);
    return true;
  }

  /** Something other than bytes moved on (a folder found a new file). */
  progressed(driveId: string): void {
    this.count(driveId).drops = 0;
  }

  /**
   * A run that started in `round` ended with its drive dropping; `progressed` when that run itself
   * got further than any before it. Returns the number of drops without progress once it reaches
   * the limit (the count then starts again for later jobs), otherwise undefined: pause and continue.
   */
  dropped(driveId: string, round: number, progressed: boolean): number | undefined {
    const c = this.count(driveId);
    if (round !== c.round) return undefined;
    c.round++;
    if (progressed) {
      c.drops = 0;
      return undefined;
    }
    c.drops++;
    if (c.drops < this.limit) return undefined;
    const n = c.drops;
    c.drops = 0;
    return n;
  }

  /** The job ended: forget how far it got. */
  forget(jobId: string): void {
    this.furthest.delete(jobId);
  }

  private count(driveId: string): DriveCount {
    let c = this.drives.get(driveId);
    if (!c) this.drives.set(driveId, (c = { drops: 0, round: 0 }));
    return c;
  }
}
