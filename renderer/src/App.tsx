// The window: drives on the left, the browser on the right, transfers below, dialogs on top.
import { useApp } from './store/react.js';
import { DriveDialog } from './features/drives/DriveDialog.js';
import { DriveList } from './features/drives/DriveList.js';
import { PasswordDialog } from './features/drives/PasswordDialog.js';
import { SavedPasswords } from './features/drives/SavedPasswords.js';
import { StartAtLogin } from './features/drives/StartAtLogin.js';
import { Explorer } from './features/explorer/Explorer.js';
import { DeleteDialog, NewFolderDialog, RenameDialog } from './features/explorer/FileDialogs.js';
import { TransferPanel } from './features/transfers/TransferPanel.js';

function Dialogs() {
  const d = useApp((s) => s.dialog);
  if (d === null) return null;
  switch (d.kind) {
    case 'add-drive':
      return <DriveDialog />;
    case 'edit-drive':
      return <DriveDialog driveId={d.driveId} />;
    case 'password':
      return <PasswordDialog driveId={d.driveId} initialError={d.error} />;
    case 'saved-passwords':
      return <SavedPasswords />;
    case 'new-folder':
      return <NewFolderDialog />;
    case 'rename':
      return <RenameDialog name={d.name} />;
    case 'confirm-delete':
      return <DeleteDialog names={d.names} />;
  }
}

function Notices() {
  const notices = useApp((s) => s.notices);
  const dismiss = useApp((s) => s.dismissNotice);
  return (
    <div className="notices" aria-live="assertive">
      {notices.map((n) => (
        <div key={n.id} className="notice" role="alert">
          <div>
            <div>{n.error.message}</div>
            {n.error.detail ? <div className="detail">{n.error.detail}</div> : null}
          </div>
          <button onClick={() => dismiss(n.id)} aria-label="Dismiss">
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function App() {
  const linkUp = useApp((s) => s.linkUp);
  const openDialog = useApp((s) => s.openDialog);
  return (
    <div className="app">
      <header className="topbar">
        <h1>ShareKeeper</h1>
        {!linkUp ? (
          <span className="link-down" role="status">
            Reconnecting to ShareKeeper…
          </span>
        ) : null}
        <span className="spacer" />
        <StartAtLogin />
        <button onClick={() => openDialog({ kind: 'saved-passwords' })}>Saved passwords</button>
      </header>
      <div className="body">
        <DriveList />
        <Explorer />
      </div>
      <TransferPanel />
      <Dialogs />
      <Notices />
    </div>
  );
}
