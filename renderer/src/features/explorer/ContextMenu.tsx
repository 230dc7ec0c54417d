// The context menu of the file list: a real menu (arrow keys, Escape, Enter), acting on the
// selection (or the focused row).
import { useEffect, useRef } from 'react';
import { useApp, useAppStore } from '../../store/react.js';

interface Item {
  label: string;
  run: () => void;
  disabled?: boolean;
}

export function ContextMenu({ onUpload }: { onUpload: () => void }) {
  const store = useAppStore();
  const at = useApp((s) => s.contextMenu);
  const localPicker = useApp((s) => s.localPicker);
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [at]);
  useEffect(() => {
    if (!at) return;
    const close = (e: globalThis.MouseEvent): void => {
      if (!ref.current?.contains(e.target as Node)) store.getState().closeContextMenu();
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [at, store]);
  if (!at) return null;
  const s = store.getState();
  const sel = s.selectedEntries();
  const one = sel.length === 1 ? sel[0] : undefined;
  const done = (f: () => void) => () => {
    s.closeContextMenu();
    f();
    document.querySelector<HTMLElement>('[role="grid"]')?.focus();
  };
  const items: Item[] = [
    { label: 'Open', run: done(() => one && void s.enter(one)), disabled: one?.type !== 'directory' },
    { label: 'Download', run: done(() => void s.download(sel)), disabled: sel.length === 0 },
    ...(localPicker ? [{ label: 'Download to folder…', run: done(() => void s.downloadWithQueue(sel)), disabled: sel.length === 0 }] : []),
    { label: 'Rename…', run: done(() => one && s.openDialog({ kind: 'rename', name: one.name })), disabled: one === undefined },
    { label: 'Delete…', run: done(() => s.openDialog({ kind: 'confirm-delete', names: sel.map((e) => e.name) })), disabled: sel.length === 0 },
    { label: 'New folder…', run: done(() => s.openDialog({ kind: 'new-folder' })) },
    { label: 'Upload files…', run: done(onUpload) },
    { label: 'Refresh', run: done(() => void s.refresh()) },
  ];
  const onKeyDown = (e: React.KeyboardEvent): void => {
    const list = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])];
    const i = list.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'ArrowDown') list[(i + 1) % list.length]?.focus();
    else if (e.key === 'ArrowUp') list[(i - 1 + list.length) % list.length]?.focus();
    else if (e.key === 'Escape' || e.key === 'Tab') {
      s.closeContextMenu();
      document.querySelector<HTMLElement>('[role="grid"]')?.focus();
    } else return;
    e.preventDefault();
  };
  const x = Math.min(at.x, window.innerWidth - 220);
  const y = Math.min(at.y, window.innerHeight - items.length * 30 - 12);
  return (
    <ul ref={ref} className="menu" role="menu" aria-label="File actions" style={{ left: x, top: y }} onKeyDown={onKeyDown}>
      {items.map((it) => (
        <li
          key={it.label}
          role="menuitem"
          tabIndex={-1}
          aria-disabled={it.disabled ? 'true' : undefined}
          onClick={() => !it.disabled && it.run()}
          onKeyDown={(e) => {
            if ((e.key === 'Enter' || e.key === ' ') && !it.disabled) {
              e.preventDefault();
              it.run();
            }
          }}
        >
          {it.label}
        </li>
      ))}
    </ul>
  );
}
