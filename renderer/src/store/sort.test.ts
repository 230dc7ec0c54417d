// Merging each arriving batch into the sorted list gives the same order as sorting everything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryView } from '../../../main/api/types.js';
import { comparator, mergeSorted, sortEntries, type SortState } from './sort.js';

const entryArb = fc.record({
  name: fc.string({ minLength: 1, maxLength: 6 }),
  type: fc.constantFrom('file' as const, 'directory' as const),
  size: fc.nat(1000),
  modified: fc.nat(1000),
  hidden: fc.boolean(),
});

describe('sorting as batches arrive', () => {
  it('merge of sorted batches == sort of the whole, for every column, direction and hidden setting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(entryArb, { maxLength: 30 }), { maxLength: 6 }),
        fc.constantFrom<SortState['key']>('name', 'size', 'modified', 'type'),
        fc.constantFrom<SortState['dir']>('asc', 'desc'),
        fc.boolean(),
        (batches, key, dir, showHidden) => {
          // Unique names, as in a folder.
          const seen = new Set<string>();
          const clean = batches.map((b) => b.filter((e) => !seen.has(e.name) && seen.add(e.name)));
          const sort = { key, dir };
          let merged: EntryView[] = [];
          for (const b of clean) merged = mergeSorted(merged, b, sort, showHidden);
          expect(merged.map((e) => e.name)).toEqual(sortEntries(clean.flat(), sort, showHidden).map((e) => e.name));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a batch goes into a long sorted list with about b·log(n/b) comparisons, not n', () => {
    let reads = 0;
    const counted = (name: string): EntryView => ({ get name() {
      reads++;
      return name;
    }, type: 'file', size: 0, modified: 0, hidden: false });
    const n = 10_000;
    const sorted = sortEntries(Array.from({ length: n }, (_, i) => counted(`f${String(i * 2).padStart(6, '0')}`)), { key: 'name', dir: 'asc' }, true);
    const batch = Array.from({ length: 100 }, (_, i) => counted(`f${String(i * 200 + 1).padStart(6, '0')}`));
    const batchOnly = (() => {
      reads = 0;
      batch.slice().sort(comparator({ key: 'name', dir: 'asc' }));
      return reads;
    })();
    reads = 0;
    const out = mergeSorted(sorted, batch, { key: 'name', dir: 'asc' }, true);
    const mergeReads = reads - batchOnly;
    expect(out.map((e) => e.name)).toEqual([...sorted, ...batch].map((e) => e.name).sort());
    // Each comparison reads two names: a plain merge would make ~n comparisons (2n reads).
    expect(mergeReads).toBeLessThan(2 * 100 * 2 * 10);
    expect(mergeReads).toBeGreaterThan(0);
  });
});
