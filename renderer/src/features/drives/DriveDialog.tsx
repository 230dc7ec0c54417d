// Add or edit a drive: smb:// or \\server\share, user, password (saved to the OS keychain when
// asked), alternate addresses (LAN/VPN), signing and encryption requirements, and the legacy
// switch for old servers (SMB1 and NTLMv1/LM sign-in) with what it costs said plainly.
import { useState, type FormEvent } from 'react';
import type { ApiError, DriveInput } from '../../../../main/api/types.js';
import { Dialog, ErrorLine } from '../../components/Dialog.js';
import { useApp } from '../../store/react.js';

export function DriveDialog({ driveId }: { driveId?: string }) {
  const existing = useApp((s) => s.drives.find((d) => d.id === driveId));
  const addDrive = useApp((s) => s.addDrive);
  const updateDrive = useApp((s) => s.updateDrive);
  const removeDrive = useApp((s) => s.removeDrive);
  const close = useApp((s) => s.closeDialog);
  const keychain = useApp((s) => s.keychain);
  const openDialog = useApp((s) => s.openDialog);
  const open = useApp((s) => s.open);
  const [name, setName] = useState(existing?.name ?? '');
  const [target, setTarget] = useState(existing?.unc ?? '');
  const [user, setUser] = useState(existing?.user ?? '');
  const [domain, setDomain] = useState(existing?.domain ?? '');
  const [password, setPassword] = useState('');
  const [save, setSave] = useState(true);
  const [alternates, setAlternates] = useState((existing?.alternates ?? []).join('\n'));
  const [signing, setSigning] = useState(existing?.options.requireSigning ?? false);
  const [encryption, setEncryption] = useState(existing?.options.requireEncryption ?? false);
  const [legacy, setLegacy] = useState(existing?.options.allowLegacy ?? false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const portOf = (t: string): string => (existing && existing.port !== 445 && t === existing.unc ? existing.target : t);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const input: DriveInput = {
      name: name.trim(),
      target: portOf(target.trim()),
      alternates: alternates.split('\n').map((a) => a.trim()).filter((a) => a !== ''),
      requireSigning: signing,
      requireEncryption: encryption,
      ...(legacy ? { allowLegacy: true } : {}),
      ...(user.trim() === '' ? {} : { user: user.trim() }),
      ...(domain.trim() === '' ? {} : { domain: domain.trim() }),
    };
    const r = existing ? await updateDrive(existing.id, input, password || undefined, save) : await addDrive(input, password || undefined, save);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const d = r.value;
    if (d.status.kind === 'auth-failed' && d.user !== undefined) {
      openDialog({ kind: 'password', driveId: d.id, error: { code: 'wrong-password', message: d.status.reason === 'credentials-missing' ? 'This drive needs a password' : 'Wrong user name or password', detail: d.status.message } });
    } else close();
    if (d.status.kind === 'connected' && !existing) void open({ driveId: d.id, share: d.share, path: d.rootPath });
  }

  async function remove(): Promise<void> {
    if (!existing) return;
    const r = await removeDrive(existing.id);
    if (!r.ok) return setError(r.error);
    close();
  }

  return (
    <Dialog title={existing ? `Edit ${existing.name}` : 'Add drive'} onClose={close}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="Team share" />
        </label>
        <label>
          Address
          <input value={target} onChange={(e) => setTarget(e.target.value)} required placeholder="\\server\share or smb://server/share" spellCheck={false} />
        </label>
        <div className="row">
          <label>
            User
            <input value={user} onChange={(e) => setUser(e.target.value)} autoComplete="username" placeholder="empty for guest" />
          </label>
          <label>
            Domain
            <input value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="optional" />
          </label>
        </div>
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" placeholder={existing?.hasSavedPassword ? '(saved; type to replace)' : ''} />
        </label>
        <label className="check">
          <input type="checkbox" checked={save && (keychain === undefined || keychain === 'available')} onChange={(e) => setSave(e.target.checked)} disabled={keychain !== undefined && keychain !== 'available'} /> Save password in the OS keychain
        </label>
        {keychain !== undefined && keychain !== 'available' ? (
          <p className="detail">The OS keychain is {keychain === 'locked' ? 'locked' : 'not available'}: the password is used for this session and asked for again next time; it is never written to a file.</p>
        ) : null}
        <label>
          Alternate addresses (one per line: a LAN address, a VPN name…)
          <textarea value={alternates} onChange={(e) => setAlternates(e.target.value)} rows={2} spellCheck={false} />
        </label>
        <fieldset>
          <legend>Security</legend>
          <label className="check">
            <input type="checkbox" checked={signing} onChange={(e) => setSigning(e.target.checked)} /> Require signing
          </label>
          <label className="check">
            <input type="checkbox" checked={encryption} onChange={(e) => setEncryption(e.target.checked)} /> Require encryption
          </label>
          <div className="legacy">
            <label className="check">
              <input type="checkbox" checked={legacy} onChange={(e) => setLegacy(e.target.checked)} aria-describedby="legacy-warning" /> Allow old servers (SMB1 and NTLMv1/LM sign-in)
            </label>
            <p id="legacy-warning" className={legacy ? 'detail warning' : 'detail'}>
              A password sent this way can be recovered from a capture of the network traffic. Turn this on only for a server that can do nothing newer.
            </p>
          </div>
        </fieldset>
        <ErrorLine error={error} />
        <div className="buttons">
          {existing ? (
            <button type="button" className="danger" onClick={() => void remove()}>
              Remove drive
            </button>
          ) : null}
          <span className="spacer" />
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Connecting…' : existing ? 'Save' : 'Add'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
