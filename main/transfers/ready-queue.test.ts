import { describe, expect, it } from 'vitest';
import { ReadyQueue } from './ready-queue.js';

describe('ReadyQueue', () => {
  it('gives the first ready id, skipping removed ones, and takes one back at the end', () => {
    const q = new ReadyQueue();
    for (const id of ['a', 'b', 'c']) q.add(id);
    q.delete('a');
    expect(q.first()).toBe('b');
    q.delete('b');
    q.add('a');
    expect(q.first()).toBe('c');
    q.delete('c');
    expect(q.first()).toBe('a');
    expect(q.size).toBe(1);
    q.delete('a');
    expect(q.first()).toBeUndefined();
  });

  it('takes the first of 100,000 one by one in linear time', () => {
    const q = new ReadyQueue();
    const time = (n: number): number => {
      for (let i = 0; i < n; i++) q.add(`id${i}`);
      const t0 = performance.now();
      for (let id = q.first(); id !== undefined; id = q.first()) q.delete(id);
      return (performance.now() - t0) / n;
    };
    time(10_000);
    const small = time(10_000);
    const large = time(100_000);
    expect(large).toBeLessThan(Math.max(4 * small, 0.002));
  });
});
