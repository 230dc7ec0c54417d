// The password prompt for a drive whose login was refused or that has none: each submit tries
// exactly once; a refusal keeps the prompt open with the reason.
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../main/api/types.js';
import { Dialog, ErrorLine } from '../../components/Dialog.js';
import { useApp } from '../../store/react.js';

export function PasswordDialog({ driveId, initialError }: { driveId: string; initialError?: ApiError | undefined }) {
  const drive = useApp((s) => s.drives.find((d) => d.id === driveId));
  const submitPassword = useApp((s) => s.submitPassword);
  const close = useApp((s) => s.closeDialog);
  const keychain = useApp((s) => s.keychain);
  const open = useApp((s) => s.open);
  const [password, setPassword] = useState('');
  const [save, setSave] = useState(true);
  const [error, setError] = useState<ApiError | undefined>(initialError);
  const [busy, setBusy] = useState(false);
  if (!drive) return null;

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    if (!drive || password === '') return;
    setBusy(true);
    const err = await submitPassword(drive.id, password, save);
    setBusy(false);
    if (err) {
      setError(err);
      setPassword('');
      return;
    }
    close();
    void open({ driveId: drive.id, share: drive.share, path: drive.rootPath });
  }

  return (
    <Dialog title={`Password for ${drive.name}`} onClose={close}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <p>
          {drive.domain ? `${drive.domain}\\` : ''}
          {drive.user} on {drive.host}
        </p>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required data-autofocus />
        </label>
        <label className="check">
          <input type="checkbox" checked={save && (keychain === undefined || keychain === 'available')} onChange={(e) => setSave(e.target.checked)} disabled={keychain !== undefined && keychain !== 'available'} /> Save password in the OS keychain
        </label>
        {keychain !== undefined && keychain !== 'available' ? (
          <p className="detail">The OS keychain is {keychain === 'locked' ? 'locked' : 'not available'}: the password is used for this session and asked for again next time; it is never written to a file.</p>
        ) : null}
        <ErrorLine error={error} />
        <div className="buttons">
          <span className="spacer" />
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || password === ''}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
