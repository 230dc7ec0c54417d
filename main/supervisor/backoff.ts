// Capped exponential backoff with jitter between reconnect attempts. Jitter spreads the retries of
// many clients that lost the same server at the same moment, so they do not return in one wave.

export interface BackoffOptions {
  /** Delay before the first retry, ms (default 500). */
  initialMs?: number;
  /** Upper bound of any delay, ms (default 30 000). */
  maxMs?: number;
  /** Growth per failed attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is random, 0..1 (default 0.5: delay in [d/2, d]). */
  jitter?: number;
}

/** Delay before retry number `failures` (1 = after the first failure); `random` returns [0, 1). */
export function backoffDelay(failures: number, random: () => number, opts: BackoffOptions = {}): number {
  const initial = opts.initialMs ?? 500;
  const max = opts.maxMs ?? 30_000;
  const factor = opts.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  // The exponent is capped so a drive that has failed for days does not overflow to Infinity.
  const exponent = Math.min(Math.max(0, failures - 1), 60);
  const base = Math.min(max, initial * Math.pow(factor, exponent));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base * (1 - jitter) + base * jitter * r);
}

/** Counts failures since the last success or trigger. */
export class Backoff {
  private failures = 0;

  constructor(
    private readonly random: () => number,
    private readonly opts: BackoffOptions = {},
  ) {}

  get failureCount(): number {
    return this.failures;
  }

  /** Records a failure and returns the delay before the next attempt. */
  next(): number {
    this.failures++;
    return backoffDelay(this.failures, this.random, this.opts);
  }

  reset(): void {
    this.failures = 0;
  }
}
