// The browser pane: toolbar, path bar, and either the server's shares or the open folder; drop
// files or folders on it to upload them there.
import { useRef, useState, type DragEvent } from 'react';
import { ErrorLine } from '../../components/Dialog.js';
import { useApp, useAppStore } from '../../store/react.js';
import type { UploadItem } from '../../store/transfers-slice.js';
import { ContextMenu } from './ContextMenu.js';
import { droppedItems } from './drop.js';
import { FileList } from './FileList.js';
import { PathBar } from './PathBar.js';

function ShareList() {
  const shares = useApp((s) => s.shares);
  const loading = useApp((s) => s.sharesLoading);
  const location = useApp((s) => s.location);
  const open = useApp((s) => s.open);
  if (location === null) return null;
  const disks = shares.filter((s) => s.type === 'disk' && !s.special);
  return (
    <div className="shares">
      {loading ? <p className="status-line">Loading shares…</p> : null}
      <ul className="share-list" aria-label="Shares">
        {disks.map((s) => (
          <li key={s.name}>
            <button onClick={() => void open({ driveId: location.driveId, share: s.name, path: '' })}>
              <span className="icon directory" aria-hidden="true" />
              <span className="share-name">{s.name}</span>
              {s.comment ? <span className="share-comment">{s.comment}</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {!loading && disks.length === 0 ? <p className="empty">No shares to show.</p> : null}
    </div>
  );
}

export function Explorer() {
  const store = useAppStore();
  const location = useApp((s) => s.location);
  const drive = useApp((s) => s.drives.find((d) => d.id === s.location?.driveId));
  const mode = useApp((s) => s.browseMode);
  const count = useApp((s) => s.sorted.length);
  const total = useApp((s) => s.entries.length);
  const loading = useApp((s) => s.loading);
  const error = useApp((s) => s.listError);
  const selectedCount = useApp((s) => s.selected.size);
  const showHidden = useApp((s) => s.showHidden);
  const watchEnded = useApp((s) => s.watchEnded);
  const streams = useApp((s) => s.mode === 'serve');
  const fileInput = useRef<HTMLInputElement>(null);
  const [dropping, setDropping] = useState(false);

  if (location === null || drive === undefined) {
    return (
      <main className="explorer empty-state" aria-label="Browser">
        <p>Choose a drive on the left to browse it.</p>
      </main>
    );
  }
  const s = () => store.getState();
  const upload = (): void => {
    if (streams) fileInput.current?.click();
    else void s().uploadPicked();
  };
  const onDrop = async (e: DragEvent): Promise<void> => {
    e.preventDefault();
    setDropping(false);
    if (mode !== 'folder') return;
    // The desktop app: the dropped Files go to the preload, which names their paths to main.
    if (!streams) return s().uploadDropped([...e.dataTransfer.files]);
    const items: UploadItem[] = await droppedItems(e.dataTransfer);
    await s().uploadFiles(items);
  };
  return (
    <main
      className={`explorer${dropping ? ' dropping' : ''}`}
      aria-label="Browser"
      onDragOver={(e) => {
        if (mode === 'folder' && e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDropping(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDropping(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <div className="toolbar" role="toolbar" aria-label="Folder actions">
        <button onClick={() => void s().goUp()} aria-label="Up to the parent folder" title="Up (Backspace, Alt+Up)" disabled={mode === 'shares'}>
          ↑ Up
        </button>
        <button onClick={() => void s().refresh()} title="Refresh (F5)">
          ⟳ Refresh
        </button>
        <button onClick={() => s().openDialog({ kind: 'new-folder' })} disabled={mode !== 'folder'}>
          New folder
        </button>
        <button onClick={upload} disabled={mode !== 'folder'}>
          Upload…
        </button>
        <button onClick={() => void s().download(s().selectedEntries())} disabled={mode !== 'folder' || count === 0}>
          Download
        </button>
        <button onClick={() => s().openDialog({ kind: 'confirm-delete', names: s().selectedEntries().map((x) => x.name) })} disabled={mode !== 'folder' || count === 0}>
          Delete
        </button>
        <label className="check">
          <input type="checkbox" checked={showHidden} onChange={() => s().toggleHidden()} /> Hidden items
        </label>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-hidden="true"
          tabIndex={-1}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])].map((f) => ({ file: f, relativePath: f.name }));
            e.target.value = '';
            void s().uploadFiles(files);
          }}
        />
      </div>
      <PathBar drive={drive} location={location} />
      {mode === 'folder' && watchEnded !== null ? (
        <p className="watch-note" role="status" aria-label="Automatic refresh stopped">
          This folder no longer refreshes by itself: {watchEnded.message} — press F5
        </p>
      ) : null}
      {mode === 'shares' ? <ShareList /> : <FileList />}
      <div className="status-line" role="status" aria-live="polite">
        {mode === 'folder' ? `${count} item${count === 1 ? '' : 's'}${total !== count ? ` (${total - count} hidden)` : ''}${loading ? ' — loading…' : ''}${selectedCount > 1 ? ` — ${selectedCount} selected` : ''}` : ''}
      </div>
      <ErrorLine error={error} />
      <ContextMenu onUpload={upload} />
    </main>
  );
}
