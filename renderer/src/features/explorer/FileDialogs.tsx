// New folder, rename (F2) and delete (with confirmation): small dialogs over the browser slice.
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../../main/api/types.js';
import { Dialog, ErrorLine } from '../../components/Dialog.js';
import { useApp } from '../../store/react.js';

function NameDialog(props: { title: string; initial: string; action: string; run: (name: string) => Promise<ApiError | undefined> }) {
  const close = useApp((s) => s.closeDialog);
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const n = name.trim();
    if (n === '' || /[\\/]/.test(n)) return setError({ code: 'invalid-name', message: 'A name cannot be empty or contain / or \\' });
    setBusy(true);
    const err = await props.run(n);
    setBusy(false);
    if (err) setError(err);
    else close();
  }
  return (
    <Dialog title={props.title} onClose={close}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <label>
          Name
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-autofocus
            onFocus={(e) => {
              const dot = e.target.value.lastIndexOf('.');
              e.target.setSelectionRange(0, dot > 0 ? dot : e.target.value.length);
            }}
          />
        </label>
        <ErrorLine error={error} />
        <div className="buttons">
          <span className="spacer" />
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {props.action}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function NewFolderDialog() {
  const mkdir = useApp((s) => s.mkdir);
  return <NameDialog title="New folder" initial="New folder" action="Create" run={mkdir} />;
}

export function RenameDialog({ name }: { name: string }) {
  const rename = useApp((s) => s.rename);
  return <NameDialog title={`Rename ${name}`} initial={name} action="Rename" run={(to) => rename(name, to)} />;
}

export function DeleteDialog({ names }: { names: string[] }) {
  const close = useApp((s) => s.closeDialog);
  const del = useApp((s) => s.deleteEntries);
  const [error, setError] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const what = names.length === 1 ? `"${names[0]}"` : `${names.length} items`;
  return (
    <Dialog title={`Delete ${what}?`} onClose={close}>
      <p>This deletes {what} on the server{names.length > 1 ? '' : ''}, with everything inside folders. It cannot be undone.</p>
      <ErrorLine error={error} />
      <div className="buttons">
        <span className="spacer" />
        <button onClick={close} data-autofocus>
          Cancel
        </button>
        <button
          className="danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void del(names).then((err) => {
              setBusy(false);
              if (err) setError(err);
              else close();
            });
          }}
        >
          Delete
        </button>
      </div>
    </Dialog>
  );
}
