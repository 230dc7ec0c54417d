// The drive list: each drive with its live status, reason and "since", Reconnect per drive and
// Reconnect all, a way to give a password when one was refused, and edit.
import { useEffect, useState } from 'react';
import type { DriveView } from '../../../../main/api/types.js';
import { formatSince } from '../../components/format.js';
import { STATUS_LABEL, statusTone } from '../../components/status.js';
import { useApp } from '../../store/react.js';

function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function DriveItem({ drive, active, now }: { drive: DriveView; active: boolean; now: number }) {
  const open = useApp((s) => s.open);
  const reconnect = useApp((s) => s.reconnect);
  const busy = useApp((s) => s.reconnecting[drive.id] === true);
  const openDialog = useApp((s) => s.openDialog);
  const openShares = useApp((s) => s.openShares);
  const st = drive.status;
  const needsPassword = st.kind === 'auth-failed' && drive.user !== undefined;
  return (
    <li className={`drive${active ? ' active' : ''}`} data-drive={drive.name} data-status={st.kind} aria-current={active ? 'true' : undefined}>
      <button className="drive-open" onClick={() => void open({ driveId: drive.id, share: drive.share, path: drive.rootPath })} aria-describedby={`status-${drive.id}`}>
        <span className={`dot ${statusTone(st.kind)}`} aria-hidden="true" />
        <span className="drive-name">{drive.name}</span>
        <span className="drive-unc">{drive.unc}</span>
      </button>
      <div className="drive-status" id={`status-${drive.id}`}>
        <span className="status-label">{STATUS_LABEL[st.kind]}</span>
        <span className="since" title={new Date(st.since).toLocaleString()}>
          {' '}
          · {formatSince(st.since, now)}
        </span>
        {st.kind !== 'connected' ? <div className="reason">{st.message}</div> : null}
      </div>
      <div className="drive-actions">
        {needsPassword ? (
          <button onClick={() => openDialog({ kind: 'password', driveId: drive.id })}>Enter password…</button>
        ) : (
          <button onClick={() => void reconnect(drive.id)} disabled={busy} aria-label={`Reconnect ${drive.name}`}>
            {busy ? 'Reconnecting…' : 'Reconnect'}
          </button>
        )}
        <button onClick={() => void openShares(drive.id)} aria-label={`Shares on ${drive.host}`}>
          Shares
        </button>
        <button onClick={() => openDialog({ kind: 'edit-drive', driveId: drive.id })} aria-label={`Edit ${drive.name}`}>
          Edit
        </button>
      </div>
    </li>
  );
}

export function DriveList() {
  const drives = useApp((s) => s.drives);
  const activeId = useApp((s) => s.location?.driveId);
  const reconnectAll = useApp((s) => s.reconnectAll);
  const openDialog = useApp((s) => s.openDialog);
  const now = useNow(15_000);
  return (
    <nav className="sidebar" aria-label="Drives">
      <div className="sidebar-head">
        <h2>Drives</h2>
        <button onClick={() => openDialog({ kind: 'add-drive' })}>Add drive…</button>
        <button onClick={() => void reconnectAll()} disabled={drives.length === 0}>
          Reconnect all
        </button>
      </div>
      {drives.length === 0 ? <p className="empty">No drives yet. Add one with its \\server\share address.</p> : null}
      <ul className="drive-list">
        {drives.map((d) => (
          <DriveItem key={d.id} drive={d} active={d.id === activeId} now={now} />
        ))}
      </ul>
    </nav>
  );
}
