import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Backoff, backoffDelay } from './backoff.js';

describe('backoff', () => {
  it('doubles from 0.5 s to a 30 s cap without jitter', () => {
    const d = [1, 2, 3, 4, 5, 6, 7, 8, 100, 10_000].map((n) => backoffDelay(n, () => 0, { jitter: 0 }));
    expect(d).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  });

  it('jitter keeps every delay within [d*(1-j), d] and under the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r, j) => {
        const full = backoffDelay(n, () => 0, { jitter: 0 });
        const d = backoffDelay(n, () => r, { jitter: j });
        return d <= full && d >= Math.floor(full * (1 - j)) && d <= 30_000 && Number.isFinite(d);
      }),
    );
  });

  it('counts failures and resets', () => {
    const b = new Backoff(() => 1, { jitter: 0.5 });
    expect([b.next(), b.next(), b.next()]).toEqual([500, 1000, 2000]);
    b.reset();
    expect(b.failureCount).toBe(0);
    expect(b.next()).toBe(500);
  });
});
