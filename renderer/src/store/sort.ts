// Folder listing order: folders first, then by the chosen column; names compare as people
// expect (numbers by value, case ignored), ties broken by name so the order is stable.
import type { EntryView } from '../../../main/api/types.js';

export type SortKey = 'name' | 'size' | 'modified' | 'type';
export interface SortState {
  key: SortKey;
  dir: 'asc' | 'desc';
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function typeLabel(e: EntryView): string {
  if (e.type === 'directory') return 'Folder';
  const ext = extensionOf(e.name);
  return ext === '' ? 'File' : `${ext.toUpperCase()} file`;
}

export function sortEntries(entries: readonly EntryView[], sort: SortState, showHidden: boolean): EntryView[] {
  const list = showHidden ? entries.slice() : entries.filter((e) => !e.hidden);
  list.sort(comparator(sort));
  return list;
}

/**
 * A batch that arrived, sorted on its own and merged into the list already sorted, instead of
 * sorting the whole folder again each time (20,000 entries in 20 batches). The merge gallops: each
 * batch entry's place is found by an exponential then binary search from the last one's, so a
 * batch of b into n costs about b·log(n/b) comparisons (the collator's compare is what costs),
 * not n; the runs in between are copied. Ties keep the entry already listed first, as a plain
 * merge would.
 */
export function mergeSorted(sorted: readonly EntryView[], batch: readonly EntryView[], sort: SortState, showHidden: boolean): EntryView[] {
  const cmp = comparator(sort);
  const b = showHidden ? batch.slice() : batch.filter((e) => !e.hidden);
  b.sort(cmp);
  const out: EntryView[] = new Array(sorted.length + b.length);
  let i = 0;
  let k = 0;
  for (const e of b) {
    const at = placeAfterEqual(sorted, e, i, cmp);
    while (i < at) out[k++] = sorted[i++] as EntryView;
    out[k++] = e;
  }
  while (i < sorted.length) out[k++] = sorted[i++] as EntryView;
  return out;
}

/** The first index from `from` on whose entry sorts after `e` (equal ones stay before it). */
function placeAfterEqual(sorted: readonly EntryView[], e: EntryView, from: number, cmp: (a: EntryView, b: EntryView) => number): number {
  const n = sorted.length;
  // Gallop: 1, 2, 4, ... past `from` until an entry sorts after e (or the end).
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < n && cmp(sorted[hi] as EntryView, e) <= 0) {
    lo = hi + 1;
    hi = from + step;
    step *= 2;
  }
  if (hi > n) hi = n;
  // Binary search in [lo, hi): everything before lo sorts <= e, sorted[hi] (if any) after it.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(sorted[mid] as EntryView, e) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function comparator(sort: SortState): (a: EntryView, b: EntryView) => number {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: EntryView, b: EntryView): number => collator.compare(a.name, b.name);
  const by: Record<SortKey, (a: EntryView, b: EntryView) => number> = {
    name: byName,
    size: (a, b) => a.size - b.size,
    modified: (a, b) => a.modified - b.modified,
    type: (a, b) => collator.compare(typeLabel(a), typeLabel(b)),
  };
  const cmp = by[sort.key];
  return (a, b) => {
    if (a.type !== b.type) return a.type === 'directory' ? -1 : 1;
    const c = cmp(a, b) * sign;
    return c !== 0 ? c : byName(a, b);
  };
}
