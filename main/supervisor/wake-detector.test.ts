import { afterEach, describe, expect, it, vi } from 'vitest';
import { WakeDetector } from './wake-detector.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('wake detection', () => {
  it('a gap longer than 5 s between 1 s ticks is a wake; normal ticks are not', async () => {
    vi.useFakeTimers();
    const wakes: number[] = [];
    const w = new WakeDetector((ms) => wakes.push(ms));
    w.start();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(wakes).toEqual([]);
    vi.setSystemTime(Date.now() + 120_000); // suspended: the wall clock moved, timers did not
    await vi.advanceTimersByTimeAsync(1000);
    expect(wakes).toHaveLength(1);
    expect(wakes[0]).toBeGreaterThan(120_000);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(wakes).toHaveLength(1);
    w.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a 4 s stall (busy event loop) is not a wake', async () => {
    vi.useFakeTimers();
    const wakes: number[] = [];
    const w = new WakeDetector((ms) => wakes.push(ms));
    w.start();
    vi.setSystemTime(Date.now() + 3000);
    await vi.advanceTimersByTimeAsync(1000);
    expect(wakes).toEqual([]);
    w.stop();
  });
});
