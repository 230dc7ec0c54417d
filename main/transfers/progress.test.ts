import { describe, expect, it } from 'vitest';
import { ProgressMeter } from './progress.js';

describe('ProgressMeter', () => {
  it('throttles samples to one per interval', () => {
    let t = 0;
    const m = new ProgressMeter(0, 1000, { minIntervalMs: 100, now: () => t });
    let samples = 0;
    for (let i = 0; i < 100; i++) {
      t += 10;
      if (m.add(1)) samples++;
    }
    expect(samples).toBe(10);
  });

  it('reports a rate and an ETA that follow a steady copy', () => {
    let t = 0;
    const m = new ProgressMeter(0, 10_000, { minIntervalMs: 100, now: () => t });
    let last;
    for (let i = 0; i < 50; i++) {
      t += 100;
      last = m.add(100) ?? last; // 1000 B/s
    }
    expect(last!.rate).toBeCloseTo(1000, 0);
    expect(last!.bytesDone).toBe(5000);
    expect(last!.etaSeconds).toBeCloseTo(5, 0);
  });

  it('smooths a burst rather than jumping to it', () => {
    let t = 0;
    const m = new ProgressMeter(0, 1e9, { minIntervalMs: 100, smoothingMs: 2000, now: () => t });
    for (let i = 0; i < 30; i++) {
      t += 100;
      m.add(100);
    }
    t += 100;
    const s = m.add(100_000)!; // one 100x burst
    expect(s.rate).toBeGreaterThan(1000);
    expect(s.rate).toBeLessThan(100_000);
  });

  it('starts from a resumed offset and has no ETA before a rate', () => {
    const m = new ProgressMeter(500, 1000, { now: () => 0 });
    const s = m.sample();
    expect(s.bytesDone).toBe(500);
    expect(s.etaSeconds).toBeUndefined();
  });
});
