// The utility process: the services and the API (createApiHost), served over the MessagePort the
// main process sends first. SMB work, the supervisor and the queue live here, never in the
// process that draws the window and the tray.
import { createApiHost } from '../../main/index.js';
import { isAutostartEnabled, setAutostart } from './autostart.js';
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
parentPort.on('message', (e) => {
  const m = e.data as { t?: string; id?: number; paths?: unknown };
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
    // Linux: the XDG autostart entry (an AppImage starts from its own path). Windows and macOS
    // login items belong to the main process (app.setLoginItemSettings): not wired yet.
    ...(process.platform === 'linux'
      ? { autostart: { get: () => isAutostartEnabled(), set: (on: boolean) => setAutostart(on, { exec: process.env['APPIMAGE'] ?? process.execPath, args: ['--hidden'] }) } }
      : {}),
  }).then((api) => {
    servePort(port, api);
    (port as unknown as { start?: () => void }).start?.();
    const stop = (): void => void api.dispose().finally(() => process.exit(0));
    process.once('SIGTERM', stop);
  });
});
