// Time as the supervisor sees it. Injected so unit tests drive it with fake timers; the default is
// the real clock. Every timer the supervisor starts is unref'd (a drive that waits to retry never
// keeps a CLI or a test process alive) and cleared by dispose().
export interface TimerHandle {
  readonly __timer: unique symbol;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t as unknown as TimerHandle;
  },
  clearTimeout: (h) => {
    if (h !== undefined) clearTimeout(h as unknown as NodeJS.Timeout);
  },
};

/** A repeating tick built on setTimeout, so a slow callback never piles up ticks. */
export class Ticker {
  private handle: TimerHandle | undefined;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly periodMs: number,
    private readonly onTick: () => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    this.handle = this.clock.setTimeout(() => {
      if (!this.running) return;
      this.onTick();
      if (this.running) this.schedule();
    }, this.periodMs);
  }
}
