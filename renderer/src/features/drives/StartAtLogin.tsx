// The desktop app's "Start at login" setting (serve has none, so it is not shown there).
import { useEffect, useState } from 'react';
import { useApi } from '../../api/context.js';
import { useApp } from '../../store/react.js';

export function StartAtLogin() {
  const api = useApi();
  const mode = useApp((s) => s.mode);
  const notify = useApp((s) => s.notify);
  const [enabled, setEnabled] = useState<boolean | undefined>();
  useEffect(() => {
    if (mode !== 'electron') return;
    void api.app.autostart().then((r) => r.ok && setEnabled(r.value.enabled));
  }, [api, mode]);
  if (mode !== 'electron' || enabled === undefined) return null;
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={enabled}
        onChange={(e) =>
          void api.app.setAutostart({ enabled: e.target.checked }).then((r) => {
            if (r.ok) setEnabled(r.value.enabled);
            else notify(r.error);
          })
        }
      />{' '}
      Start at login
    </label>
  );
}
