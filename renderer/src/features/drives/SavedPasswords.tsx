// Which drives have a password in the OS keychain, and forgetting one. The password itself never
// reaches the renderer.
import { useEffect, useState } from 'react';
import type { ApiError, SavedPasswordView } from '../../../../main/api/types.js';
import { Dialog, ErrorLine } from '../../components/Dialog.js';
import { useAppStore } from '../../store/react.js';
import { useApi } from '../../api/context.js';

export function SavedPasswords() {
  const api = useApi();
  const close = useAppStore().getState().closeDialog;
  const [items, setItems] = useState<SavedPasswordView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const load = async (): Promise<void> => {
    const r = await api.credentials.list();
    if (r.ok) setItems(r.value);
    else setError(r.error);
  };
  useEffect(() => {
    void load();
  }, []);
  const forget = async (driveId: string): Promise<void> => {
    const r = await api.credentials.forget({ driveId });
    if (!r.ok) setError(r.error);
    await load();
  };
  return (
    <Dialog title="Saved passwords" onClose={close}>
      {items === null ? <p>Loading…</p> : null}
      {items?.length === 0 ? <p>No drive logs in with a user name.</p> : null}
      <ul className="plain-list">
        {items?.map((i) => (
          <li key={i.driveId}>
            <span>
              <strong>{i.driveName}</strong> — {i.account}: {i.saved ? 'saved in the keychain' : 'not saved (asked when needed)'}
            </span>
            <button onClick={() => void forget(i.driveId)} disabled={!i.saved} aria-label={`Forget the password of ${i.driveName}`}>
              Forget
            </button>
          </li>
        ))}
      </ul>
      <ErrorLine error={error} />
      <div className="buttons">
        <span className="spacer" />
        <button onClick={close}>Close</button>
      </div>
    </Dialog>
  );
}
