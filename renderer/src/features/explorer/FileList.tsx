// The folder view: a virtualized grid (only the rows on screen exist, so 20,000 entries scroll
// like 20), sortable columns with folders first, multi-select with Shift/Ctrl, and the keyboard:
// arrows, Home/End, PageUp/PageDown, type-to-find, Enter, Backspace/Alt+Up, F2, Delete, Ctrl+A,
// F5, the context-menu key. Rows appear as batches arrive.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, type KeyboardEvent, type MouseEvent } from 'react';
import type { EntryView } from '../../../../main/api/types.js';
import { formatDate, formatSize } from '../../components/format.js';
import { useApp, useAppStore } from '../../store/react.js';
import { typeLabel, type SortKey } from '../../store/sort.js';

const ROW = 28;
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'size', label: 'Size' },
  { key: 'modified', label: 'Modified' },
  { key: 'type', label: 'Type' },
];

interface RowProps {
  entry: EntryView;
  index: number;
  start: number;
  selected: boolean;
  focused: boolean;
  onClick: (e: MouseEvent, index: number) => void;
  onDoubleClick: (index: number) => void;
  onContextMenu: (e: MouseEvent, index: number) => void;
}

/** One row; memoized so rows that stay on screen are not drawn again while scrolling. */
const Row = memo(function Row({ entry: e, index, start, selected, focused, onClick, onDoubleClick, onContextMenu }: RowProps) {
  return (
    <div
      id={`row-${index}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-index={index}
      data-name={e.name}
      className={`row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${e.hidden ? ' hidden-entry' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={(ev) => onClick(ev, index)}
      onDoubleClick={() => onDoubleClick(index)}
      onContextMenu={(ev) => onContextMenu(ev, index)}
    >
      <div role="gridcell" className="cell name">
        <span className={`icon ${e.type}`} aria-hidden="true" />
        {e.name}
      </div>
      <div role="gridcell" className="cell size">
        {e.type === 'directory' ? '' : formatSize(e.size)}
      </div>
      <div role="gridcell" className="cell modified">
        {formatDate(e.modified)}
      </div>
      <div role="gridcell" className="cell type">
        {typeLabel(e)}
      </div>
    </div>
  );
});

export function FileList() {
  const store = useAppStore();
  const sorted = useApp((s) => s.sorted);
  const focusIndex = useApp((s) => s.focusIndex);
  const selected = useApp((s) => s.selected);
  const sort = useApp((s) => s.sort);
  const loading = useApp((s) => s.loading);
  const setSort = useApp((s) => s.setSort);
  const scroller = useRef<HTMLDivElement>(null);
  const grid = useRef<HTMLDivElement>(null);
  const typed = useRef({ text: '', at: 0 });
  // No flushSync on scroll: React draws the new rows in its own time, the scroll itself never waits.
  const virtualizer = useVirtualizer({ count: sorted.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8, useFlushSync: false });
  const fromKeyboard = useRef(false);

  useEffect(() => {
    if (fromKeyboard.current && sorted.length > 0) virtualizer.scrollToIndex(focusIndex, { align: 'auto' });
    fromKeyboard.current = false;
  }, [focusIndex, sorted.length, virtualizer]);

  function activate(e: EntryView | undefined): void {
    if (!e) return;
    const s = store.getState();
    if (e.type === 'directory') void s.enter(e);
    else void s.download([e]);
  }

  const contextMenuAt = (index: number): void => {
    const row = grid.current?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    const r = row?.getBoundingClientRect() ?? grid.current?.getBoundingClientRect();
    store.getState().openContextMenu((r?.left ?? 0) + 40, (r?.top ?? 0) + ROW);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const s = store.getState();
    const n = s.sorted.length;
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW) - 1);
    const mode = e.shiftKey ? 'extend' : e.ctrlKey || e.metaKey ? 'keep' : 'move';
    const move = (i: number): void => {
      e.preventDefault();
      fromKeyboard.current = true;
      s.focusAt(i, mode);
    };
    if (e.altKey && e.key === 'ArrowUp') {
      e.preventDefault();
      return void s.goUp();
    }
    switch (e.key) {
      case 'ArrowDown':
        return move(s.focusIndex + 1);
      case 'ArrowUp':
        return move(s.focusIndex - 1);
      case 'Home':
        return move(0);
      case 'End':
        return move(n - 1);
      case 'PageDown':
        return move(s.focusIndex + page);
      case 'PageUp':
        return move(s.focusIndex - page);
      case 'Enter':
        e.preventDefault();
        return activate(s.sorted[s.focusIndex]);
      case 'Backspace':
        e.preventDefault();
        return void s.goUp();
      case 'F2': {
        e.preventDefault();
        const f = s.sorted[s.focusIndex];
        if (f) s.openDialog({ kind: 'rename', name: f.name });
        return;
      }
      case 'Delete': {
        e.preventDefault();
        const names = s.selectedEntries().map((x) => x.name);
        if (names.length > 0) s.openDialog({ kind: 'confirm-delete', names });
        return;
      }
      case 'F5':
        e.preventDefault();
        return void s.refresh();
      case 'ContextMenu':
        e.preventDefault();
        return contextMenuAt(s.focusIndex);
      case ' ':
        if (e.ctrlKey || e.metaKey) {
          e.preventDefault();
          return s.focusAt(s.focusIndex, 'toggle');
        }
    }
    if (e.shiftKey && e.key === 'F10') {
      e.preventDefault();
      return contextMenuAt(s.focusIndex);
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      return s.selectAll();
    }
    if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Type-to-find: letters typed within a moment make one prefix.
      const now = Date.now();
      const t = typed.current;
      t.text = now - t.at > 800 ? e.key : t.text + e.key;
      t.at = now;
      const prefix = t.text.toLowerCase();
      const start = t.text.length === 1 ? s.focusIndex + 1 : s.focusIndex;
      for (let k = 0; k < n; k++) {
        const i = (start + k) % n;
        if (s.sorted[i]?.name.toLowerCase().startsWith(prefix)) {
          e.preventDefault();
          fromKeyboard.current = true;
          return s.focusAt(i);
        }
      }
    }
  };

  const onRowClick = useCallback(
    (e: MouseEvent, index: number): void => {
      grid.current?.focus();
      store.getState().focusAt(index, e.shiftKey ? 'extend' : e.ctrlKey || e.metaKey ? 'toggle' : 'move');
    },
    [store],
  );

  const onRowDoubleClick = useCallback((index: number): void => activate(store.getState().sorted[index]), [store]);

  const onRowContextMenu = useCallback(
    (e: MouseEvent, index: number): void => {
      e.preventDefault();
      const s = store.getState();
      const name = s.sorted[index]?.name;
      if (name !== undefined && !s.selected.has(name)) s.focusAt(index);
      grid.current?.focus();
      s.openContextMenu(e.clientX, e.clientY);
    },
    [store],
  );

  const items = virtualizer.getVirtualItems();
  const focused = sorted[focusIndex];
  return (
    <div
      ref={grid}
      className="grid"
      role="grid"
      aria-label="Files"
      aria-rowcount={sorted.length + 1}
      aria-multiselectable="true"
      aria-busy={loading}
      tabIndex={0}
      aria-activedescendant={focused ? `row-${focusIndex}` : undefined}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => {
        if (e.target === e.currentTarget || (e.target as HTMLElement).classList.contains('grid-body')) {
          e.preventDefault();
          store.getState().openContextMenu(e.clientX, e.clientY);
        }
      }}
    >
      <div role="rowgroup" className="grid-head">
        <div role="row" aria-rowindex={1} className="row head">
          {COLUMNS.map((c) => (
            <div key={c.key} role="columnheader" className={`cell ${c.key}`} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
              <button tabIndex={-1} onClick={() => setSort(c.key)}>
                {c.label}
                <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
              </button>
            </div>
          ))}
        </div>
      </div>
      {!loading && sorted.length === 0 ? <p className="empty grid-empty">This folder is empty.</p> : null}
      {/* The rows' group is the scroll area, focusable so a long folder can be scrolled from the
          keyboard (axe scrollable-region-focusable); keys bubble to the grid's handler, a click
          focuses the grid. */}
      <div ref={scroller} role="rowgroup" className="grid-scroll" data-testid="file-scroll" tabIndex={0}>
        <div className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((v) => {
            const e = sorted[v.index] as EntryView;
            return <Row key={v.key} entry={e} index={v.index} start={v.start} selected={selected.has(e.name)} focused={v.index === focusIndex} onClick={onRowClick} onDoubleClick={onRowDoubleClick} onContextMenu={onRowContextMenu} />;
          })}
        </div>
      </div>
    </div>
  );
}
