// Notices that the machine slept: a timer that should tick every second finds that much more
// time passed between two ticks (timers do not run while suspended, the wall clock does).
import { systemClock, Ticker, type Clock } from './timers.js';

export interface WakeDetectorOptions {
  clock?: Clock;
  /** Tick period, ms (default 1000). */
  periodMs?: number;
  /** A gap between ticks longer than this means we slept, ms (default 5000). */
  gapMs?: number;
}

export class WakeDetector {
  private readonly ticker: Ticker;
  private readonly clock: Clock;
  private readonly gapMs: number;
  private lastTick = 0;

  constructor(
    private readonly onWake: (sleptMs: number) => void,
    opts: WakeDetectorOptions = {},
  ) {
    this.clock = opts.clock ?? systemClock;
    this.gapMs = opts.gapMs ?? 5000;
    this.ticker = new Ticker(this.clock, opts.periodMs ?? 1000, () => this.tick());
  }

  start(): void {
    this.lastTick = this.clock.now();
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  private tick(): void {
    const now = this.clock.now();
    const gap = now - this.lastTick;
    this.lastTick = now;
    if (gap > this.gapMs) this.onWake(gap);
  }
}
