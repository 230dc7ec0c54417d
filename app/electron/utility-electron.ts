// The utility process: the services and the API (createApiHost), served over the MessagePort the
// main process sends first. SMB work, the supervisor and the queue live here, never in the
// process that draws the window and the tray.
import { createApiHost } from '../../main/index.js';
import { isAutostartEnabled, setAutostart } from './autostart.js';
import { HIDDEN_ARG } from './login-item.js';
import { servePort, type PortLike } from './port-bridge.js';

interface ParentPort {
  once(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort: ParentPort }).parentPort;

// The OS dialog belongs to the main process: ask it, and take the paths it answers.
const picks = new Map<number, (paths: string[]) => void>();
let nextPick = 1;
function pick(kind: 'folder' | 'files'): Promise<string[]> {
  const id = nextPick++;
  return new Promise((resolve) => {
    picks.set(id, resolve);
    parentPort.postMessage({ t: 'pick', id, kind });
  });
}
// Windows and macOS login items belong to the main process (app.setLoginItemSettings): ask it.
const loginItems = new Map<number, { ok: (on: boolean) => void; fail: (e: Error) => void }>();
let nextLoginItem = 1;
function loginItem(enabled?: boolean): Promise<boolean> {
  const id = nextLoginItem++;
  return new Promise((ok, fail) => {
    loginItems.set(id, { ok, fail });
    parentPort.postMessage(enabled === undefined ? { t: 'login-item', id } : { t: 'login-item', id, enabled });
  });
}
parentPort.on('message', (e) => {
  const m = e.data as { t?: string; id?: number; paths?: unknown; enabled?: unknown; error?: unknown };
  if (m?.t === 'login-item-state' && typeof m.id === 'number') {
    const w = loginItems.get(m.id);
    loginItems.delete(m.id);
    if (typeof m.error === 'string') w?.fail(new Error(m.error));
    else w?.ok(m.enabled === true);
    return;
  }
  if (m?.t !== 'picked' || typeof m.id !== 'number' || !Array.isArray(m.paths)) return;
  picks.get(m.id)?.(m.paths.filter((p): p is string => typeof p === 'string'));
  picks.delete(m.id);
});

parentPort.once('message', (e) => {
  const port = e.ports[0];
  if (port === undefined) return;
  const version = typeof e.data === 'object' && e.data !== null ? String((e.data as { version?: unknown }).version ?? '0.0.0') : '0.0.0';
  void createApiHost({
    mode: 'electron',
    version,
    browserTransfers: false,
    pickFolder: async () => (await pick('folder'))[0],
    pickFiles: () => pick('files'),
    // The preload names only what was dropped on the window (webUtils.getPathForFile).
    acceptsDroppedPaths: true,
    // Linux: the XDG autostart entry (an AppImage starts from its own path). Windows and macOS:
    // the login item, set by the main process (login-item-electron.ts).
    ...(process.platform === 'linux'
      ? { autostart: { get: () => isAutostartEnabled(), set: (on: boolean) => setAutostart(on, { exec: process.env['APPIMAGE'] ?? process.execPath, args: [HIDDEN_ARG] }) } }
      : process.platform === 'win32' || process.platform === 'darwin'
        ? { autostart: { get: () => loginItem(), set: async (on: boolean) => void (await loginItem(on)) } }
        : {}),
  }).then((api) => {
    servePort(port, api);
    (port as unknown as { start?: () => void }).start?.();
    const stop = (): void => void api.dispose().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
  });
});
