// Progress for one job: bytes done, a smoothed rate and an ETA, emitted at most every
// `minIntervalMs` so a fast copy does not flood listeners (and the UI) with one event per chunk.

export interface ProgressSample {
  bytesDone: number;
  bytesTotal: number;
  /** Bytes per second, exponentially smoothed. */
  rate: number;
  /** Seconds left at the current rate; undefined while the rate is unknown. */
  etaSeconds: number | undefined;
}

export interface ProgressMeterOptions {
  minIntervalMs?: number;
  /** Time constant of the smoothing, in ms. */
  smoothingMs?: number;
  now?: () => number;
}

export class ProgressMeter {
  private lastAt: number;
  private lastBytes: number;
  private rate = 0;
  private haveRate = false;
  private readonly minIntervalMs: number;
  private readonly smoothingMs: number;
  private readonly now: () => number;

  constructor(
    private bytesDone: number,
    private bytesTotal: number,
    opts: ProgressMeterOptions = {},
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.smoothingMs = opts.smoothingMs ?? 2000;
    this.now = opts.now ?? Date.now;
    this.lastAt = this.now();
    this.lastBytes = bytesDone;
  }

  get done(): number {
    return this.bytesDone;
  }

  /** The total changed (a folder whose files are still being found or sized). */
  setTotal(total: number): void {
    this.bytesTotal = total;
  }

  /** Counts `n` more bytes; returns a sample when one is due. */
  add(n: number): ProgressSample | undefined {
    this.bytesDone += n;
    return this.now() - this.lastAt >= this.minIntervalMs ? this.sample() : undefined;
  }

  /** A sample now, whatever the throttle says (for the last one). */
  sample(): ProgressSample {
    const at = this.now();
    const dt = at - this.lastAt;
    if (dt > 0) {
      const instant = ((this.bytesDone - this.lastBytes) * 1000) / dt;
      const alpha = this.haveRate ? 1 - Math.exp(-dt / this.smoothingMs) : 1;
      this.rate += alpha * (instant - this.rate);
      this.haveRate = true;
      this.lastAt = at;
      this.lastBytes = this.bytesDone;
    }
    const left = Math.max(0, this.bytesTotal - this.bytesDone);
    const etaSeconds = left === 0 ? 0 : this.rate > 0 ? left / this.rate : undefined;
    return { bytesDone: this.bytesDone, bytesTotal: this.bytesTotal, rate: this.rate, etaSeconds };
  }
}
