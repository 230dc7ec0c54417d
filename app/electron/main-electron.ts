// The Electron main process, kept thin: every decision is a tested plain function (window-policy,
// tray-model, notification-rules, autostart, port-bridge); this file only applies them.
import { app, BrowserWindow, dialog, ipcMain, MessageChannelMain, Notification, protocol, session, utilityProcess, net } from 'electron';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import type { DriveView } from '../../main/index.js';
import { NotificationRules } from './notification-rules.js';
import { IPC_HELLO, ipcChannel, ipcEventChannel, portClient, type PortLike } from './port-bridge.js';
import { answerLoginItemRequests, startedHidden } from './login-item-electron.js';
import { createTray } from './tray-electron.js';
import { APP_CSP, APP_SCHEME, APP_URL, appUrlToFile, isAppUrl, isTrustedSender, onSecondInstance, onWindowClose, permissionDecision, windowPreferences } from './window-policy.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RENDERER = join(HERE, '..', '..', 'renderer');
let win: BrowserWindow | undefined;
let quitting = false;

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } }]);

if (!app.requestSingleInstanceLock()) app.quit();
else void start();

function showWindow(): void {
  const steps = onSecondInstance({ exists: win !== undefined && !win.isDestroyed(), visible: win?.isVisible() ?? false, minimized: win?.isMinimized() ?? false });
  for (const s of steps) {
    if (s === 'create') createWindow();
    else if (s === 'restore') win?.restore();
    else if (s === 'show') win?.show();
    else win?.focus();
  }
}

function createWindow(opts: { hidden?: boolean } = {}): void {
  win = new BrowserWindow({ width: 1200, height: 800, show: false, title: 'ShareKeeper', webPreferences: windowPreferences(join(HERE, 'preload-electron.cjs')) });
  // A start at login stays in the tray; a second launch or the tray's Open shows the window.
  if (opts.hidden !== true) win.once('ready-to-show', () => win?.show());
  win.on('close', (e) => {
    if (onWindowClose({ quitting, trayAvailable: true }) === 'hide') {
      e.preventDefault();
      win?.hide();
    }
  });
  void win.loadURL(APP_URL);
}

async function start(): Promise<void> {
  await app.whenReady();
  app.on('second-instance', showWindow);
  app.on('before-quit', () => (quitting = true));
  session.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  protocol.handle(APP_SCHEME, async (req) => {
    const file = appUrlToFile(req.url, RENDERER);
    if (file === undefined) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', APP_CSP);
    return new Response(res.body, { status: res.status, headers });
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (e, url) => !isAppUrl(url) && e.preventDefault());
    contents.on('will-redirect', (e, url) => !isAppUrl(url) && e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (e) => e.preventDefault());
  });

  // The services in a utility process, the contract over a MessagePort.
  const child = utilityProcess.fork(join(HERE, 'utility-electron.js'), [], { serviceName: 'ShareKeeper services' });
  const { port1, port2 } = new MessageChannelMain();
  child.postMessage({ version: app.getVersion() }, [port2]);
  void answerPicks(child);
  answerLoginItemRequests(child);
  port1.start();
  const services = portClient(port1 as unknown as PortLike);
  const names = await services.ready;

  ipcMain.on(IPC_HELLO, (e) => {
    e.returnValue = isTrustedSender(e.senderFrame) ? names : { requests: [], events: [] };
  });
  for (const name of names.requests) {
    ipcMain.handle(ipcChannel(name), async (e, args: unknown) => {
      if (!isTrustedSender(e.senderFrame)) return { ok: false, error: { code: 'access-denied', message: 'Not from the ShareKeeper window' } };
      return services.invoke(name, args);
    });
  }

  const rules = new NotificationRules();
  const drives = new Map<string, DriveView>();
  const tray = createTray((a) => {
    if (a.type === 'open') showWindow();
    else if (a.type === 'quit') app.quit();
    else if (a.type === 'reconnect-all') void services.invoke('drives.reconnectAll', {});
    else void services.invoke('drives.reconnect', { id: a.driveId });
  });
  services.onEvent((name, payload) => {
    if (win && !win.isDestroyed()) win.webContents.send(ipcEventChannel(name), payload);
    if (name === 'drives.changed') {
      const d = payload as DriveView;
      drives.set(d.id, d);
      const n = rules.next(d);
      if (n && Notification.isSupported()) new Notification({ title: n.title, body: n.body }).show();
      tray.update([...drives.values()]);
    } else if (name === 'drives.removed') {
      drives.delete((payload as { id: string }).id);
      tray.update([...drives.values()]);
    }
  });
  const list = await services.invoke('drives.list', {});
  if (list.ok) for (const d of list.value as DriveView[]) drives.set(d.id, d);
  tray.update([...drives.values()]);
  createWindow({ hidden: startedHidden() });
}

/** The services ask for the OS dialog (their local.pickFolder / pickFiles); the answer is the paths picked. */
async function answerPicks(child: Electron.UtilityProcess): Promise<void> {
  child.on('message', (m: { t?: string; id?: number; kind?: string }) => {
    if (m?.t !== 'pick' || typeof m.id !== 'number') return;
    const props: ('openDirectory' | 'openFile' | 'multiSelections' | 'createDirectory')[] = m.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile', 'multiSelections'];
    const parent = win && !win.isDestroyed() ? win : undefined;
    void (parent ? dialog.showOpenDialog(parent, { properties: props }) : dialog.showOpenDialog({ properties: props })).then((r) =>
      child.postMessage({ t: 'picked', id: m.id, paths: r.canceled ? [] : r.filePaths }),
    );
  });
}
