import { PerformanceObserver, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { collectSealedIfDue, COLLECT_EVERY_BYTES, countAeadOutput, countSealedOutput } from './crypto-garbage.js';

/** Young-generation collections V8 reports while `fn` runs (and just after). */
async function minorCollectionsDuring(fn: () => void): Promise<number> {
  let minor = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (((e as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
  });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  // Entries are delivered asynchronously.
  await new Promise((r) => setTimeout(r, 50));
  obs.disconnect();
  return minor;
}

describe('countAeadOutput', () => {
  it('collects the young generation once per COLLECT_EVERY_BYTES of output, not before', async () => {
    // Start from a fresh count: one step past a boundary.
    countAeadOutput(COLLECT_EVERY_BYTES);
    const below = await minorCollectionsDuring(() => countAeadOutput(COLLECT_EVERY_BYTES - 1));
    const at = await minorCollectionsDuring(() => countAeadOutput(1));
    expect(below).toBe(0);
    expect(at).toBeGreaterThanOrEqual(1);
    const many = await minorCollectionsDuring(() => {
      for (let i = 0; i < 8; i++) countAeadOutput(COLLECT_EVERY_BYTES);
    });
    expect(many).toBeGreaterThanOrEqual(8);
  });
});

describe('countSealedOutput', () => {
  it('never collects while sealing; collectSealedIfDue collects once enough sealed output was sent', async () => {
    collectSealedIfDue(); // a fresh count
    const sealing = await minorCollectionsDuring(() => countSealedOutput(3 * COLLECT_EVERY_BYTES));
    expect(sealing).toBe(0);
    const drained = await minorCollectionsDuring(() => collectSealedIfDue());
    expect(drained).toBeGreaterThanOrEqual(1);
    // The count starts again: a drain after too little sealed output does nothing.
    const early = await minorCollectionsDuring(() => {
      countSealedOutput(COLLECT_EVERY_BYTES - 1);
      collectSealedIfDue();
    });
    expect(early).toBe(0);
  });
});
