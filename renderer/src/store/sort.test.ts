// Merging each arriving batch into the sorted list gives the same order as sorting everything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EntryView } from '../../../main/api/types.js';
import { mergeSorted, sortEntries, type SortState } from './sort.js';

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
});
