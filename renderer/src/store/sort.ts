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
  const sign = sort.dir === 'asc' ? 1 : -1;
  const byName = (a: EntryView, b: EntryView): number => collator.compare(a.name, b.name);
  const by: Record<SortKey, (a: EntryView, b: EntryView) => number> = {
    name: byName,
    size: (a, b) => a.size - b.size,
    modified: (a, b) => a.modified - b.modified,
    type: (a, b) => collator.compare(typeLabel(a), typeLabel(b)),
  };
  const cmp = by[sort.key];
  list.sort((a, b) => {
    if (a.type !== b.type) return a.type === 'directory' ? -1 : 1;
    const c = cmp(a, b) * sign;
    return c !== 0 ? c : byName(a, b);
  });
  return list;
}
