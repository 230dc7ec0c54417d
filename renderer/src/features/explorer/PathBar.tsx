// The breadcrumb: \\host › share › folder › … as buttons; click the empty part (or Ctrl+L) to
// type a path instead.
import { useEffect, useRef, useState } from 'react';
import type { DriveView, Location } from '../../../../main/api/types.js';
import { useApp } from '../../store/react.js';
import { parseTypedPath } from './typed-path.js';

export function PathBar({ drive, location }: { drive: DriveView; location: Location }) {
  const open = useApp((s) => s.open);
  const sharesMode = useApp((s) => s.browseMode === 'shares');
  const openShares = useApp((s) => s.openShares);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const unc = `\\\\${drive.host}\\${location.share}${location.path ? `\\${location.path.replace(/\//g, '\\')}` : ''}`;

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        startEditing();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  useEffect(() => {
    if (editing) input.current?.select();
  }, [editing]);

  function startEditing(): void {
    setText(unc);
    setProblem(null);
    setEditing(true);
  }

  function go(): void {
    const r = parseTypedPath(text, drive, location);
    if (!r.ok) return setProblem(r.message);
    setEditing(false);
    void open(r.location);
  }

  if (editing) {
    return (
      <div className="pathbar">
        <input
          ref={input}
          aria-label="Path"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') go();
            if (e.key === 'Escape') setEditing(false);
          }}
          onBlur={() => setEditing(false)}
        />
        {problem ? (
          <span className="error-inline" role="alert">
            {problem}
          </span>
        ) : null}
      </div>
    );
  }
  const parts = location.path === '' ? [] : location.path.split('/');
  return (
    <nav className="pathbar" aria-label="Path">
      <ol className="crumbs" onClick={(e) => e.target === e.currentTarget && startEditing()}>
        <li>
          <button onClick={() => void openShares(drive.id)} aria-label={`Shares on ${drive.host}`}>
            \\{drive.host}
          </button>
        </li>
        {sharesMode ? null : (
          <li>
            <button onClick={() => void open({ ...location, path: '' })} aria-current={parts.length === 0 ? 'location' : undefined}>
              {location.share}
            </button>
          </li>
        )}
        {(sharesMode ? [] : parts).map((p, i) => (
          <li key={i}>
            <button onClick={() => void open({ ...location, path: parts.slice(0, i + 1).join('/') })} aria-current={i === parts.length - 1 ? 'location' : undefined}>
              {p}
            </button>
          </li>
        ))}
        <li className="crumb-edit">
          <button onClick={startEditing} aria-label="Type a path" title="Type a path (Ctrl+L)">
            ✎
          </button>
        </li>
      </ol>
    </nav>
  );
}
