// What a folder job knows of its entries without looking at them: how many there are, how many
// ended and how many of those failed, and their bytes. Each child's change moves the counts by
// what changed (the child's last counted values are kept), so settling a folder or reporting its
// progress costs the same for 10 entries as for 100,000.
import { ProgressMeter, type ProgressSample } from './progress.js';
import { TERMINAL_STATES, type JobState, type TransferJob } from './types.js';

export interface FolderTally {
  total: number;
  ended: number;
  bad: number;
  bytesDone: number;
  bytesTotal: number;
  meter: ProgressMeter;
}

interface Counted {
  done: number;
  total: number;
  ended: boolean;
  bad: boolean;
}

const ended = (s: JobState): boolean => TERMINAL_STATES.includes(s);
const bad = (s: JobState): boolean => s === 'failed' || s === 'cancelled';

export class FolderTallies {
  private readonly tallies = new Map<string, FolderTally>();
  private readonly counted = new Map<string, Counted>();

  constructor(private readonly minIntervalMs: number) {}

  get(folderId: string): FolderTally | undefined {
    return this.tallies.get(folderId);
  }

  /**
   * Counts the child as it is now (first call: adds it). Writes the sums onto `folder`, and
   * returns a progress sample for the folder when one is due.
   */
  update(folder: TransferJob, child: TransferJob): ProgressSample | undefined {
    const t = this.tally(folder);
    let c = this.counted.get(child.id);
    if (!c) {
      t.total++;
      this.counted.set(child.id, (c = { done: 0, total: 0, ended: false, bad: false }));
    }
    const doneDelta = child.bytesDone - c.done;
    t.bytesDone += doneDelta;
    t.bytesTotal += child.bytesTotal - c.total;
    const isEnded = ended(child.state);
    const isBad = bad(child.state);
    t.ended += Number(isEnded) - Number(c.ended);
    t.bad += Number(isBad) - Number(c.bad);
    Object.assign(c, { done: child.bytesDone, total: child.bytesTotal, ended: isEnded, bad: isBad });
    folder.bytesDone = t.bytesDone;
    folder.bytesTotal = t.bytesTotal;
    if (doneDelta < 0) {
      // Started over (a retry): the rate so far means nothing any more.
      t.meter = new ProgressMeter(t.bytesDone, t.bytesTotal, { minIntervalMs: this.minIntervalMs });
      return undefined;
    }
    t.meter.setTotal(t.bytesTotal);
    return t.meter.add(doneDelta);
  }

  /** Every entry has ended (and there is at least the expansion's word that there are no more). */
  allEnded(folderId: string): boolean {
    const t = this.tallies.get(folderId);
    return t === undefined || t.ended >= t.total;
  }

  private tally(folder: TransferJob): FolderTally {
    let t = this.tallies.get(folder.id);
    if (!t) {
      t = { total: 0, ended: 0, bad: 0, bytesDone: 0, bytesTotal: 0, meter: new ProgressMeter(0, 0, { minIntervalMs: this.minIntervalMs }) };
      this.tallies.set(folder.id, t);
    }
    return t;
  }
}
