// The Electron shell's decisions, tested in plain Node (no Electron binary can run here): tray
// image and menu from drive states, notification rules, the XDG autostart file, window policy,
// sender checks, single instance, close-to-tray, and what `npm start` launches.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DriveStatusKind, DriveView } from '../../main/index.js';
import { autostartEntry, autostartDir, execQuote, isAutostartEnabled, setAutostart } from './autostart.js';
import { findElectronBinary, planLaunch } from './launch.js';
import { NotificationRules } from './notification-rules.js';
import { trayIconPng } from './tray-icons.js';
import { trayIconSizes, trayModel, worstState } from './tray-model.js';
import { APP_CSP, appUrlToFile, isAppUrl, isTrustedSender, onSecondInstance, onWindowClose, permissionDecision, windowPreferences } from './window-policy.js';

function drive(name: string, kind: DriveStatusKind, reason = 'connected', message = ''): DriveView {
  return {
    id: `id-${name}`,
    name,
    target: `smb://nas/${name}`,
    unc: `\\\\nas\\${name}`,
    host: 'nas',
    port: 445,
    share: name,
    rootPath: '',
    alternates: [],
    options: { requireSigning: false, requireEncryption: false },
    persistent: true,
    status: { kind, reason, message, since: 0 },
    hasSavedPassword: false,
  };
}

describe('tray model', () => {
  it('shows the worst state', () => {
    expect(worstState([])).toBe('connected');
    expect(worstState([drive('a', 'connected')])).toBe('connected');
    expect(worstState([drive('a', 'connected'), drive('b', 'disconnected')])).toBe('idle');
    expect(worstState([drive('a', 'disconnected'), drive('b', 'reconnecting')])).toBe('reconnecting');
    expect(worstState([drive('a', 'reconnecting'), drive('b', 'auth-failed')])).toBe('problem');
    expect(worstState([drive('a', 'unavailable'), drive('b', 'connected')])).toBe('problem');
  });

  it('lists every drive with status and reason, a Reconnect each, Reconnect all, Open and Quit', () => {
    const m = trayModel([drive('Team', 'connected'), drive('Backup', 'unavailable', 'tcp-refused', 'nas refused the connection')]);
    const labels = m.menu.map((i) => (i.kind === 'item' ? i.label : '---'));
    expect(labels).toEqual(['Team: connected', 'Reconnect Team', 'Backup: unavailable — nas refused the connection', 'Reconnect Backup', '---', 'Reconnect all', 'Open ShareKeeper', '---', 'Quit']);
    expect(m.menu[3]).toMatchObject({ action: { type: 'reconnect', driveId: 'id-Backup' } });
    expect(m.tooltip).toBe('ShareKeeper: Backup unavailable');
    expect(m.state).toBe('problem');
  });

  it('keeps server text from breaking the menu (controls, bidi, length)', () => {
    const m = trayModel([drive('x', 'unavailable', 'connection-lost', `evil\u202e\n${'y'.repeat(300)}`)]);
    const first = m.menu[0];
    expect(first?.kind === 'item' && first.label).not.toMatch(/[\u202e\n]/);
    expect(first?.kind === 'item' && first.label.length).toBeLessThanOrEqual(120);
    expect(first?.kind === 'item' && first.label).toContain('evil\\u202E\\n'); // escaped as the CLI shows it
  });

  it('draws one PNG per state at each size the platform wants', () => {
    expect(trayIconSizes('linux')).toEqual([22, 24, 48]);
    expect(trayIconSizes('darwin')).toEqual([16, 32]);
    for (const state of ['connected', 'idle', 'reconnecting', 'problem'] as const) {
      const png = trayIconPng(state, 22);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(22);
      expect(png.readUInt32BE(20)).toBe(22);
    }
    const pixels = (state: 'connected' | 'problem') => {
      const png = trayIconPng(state, 16);
      const idat = png.indexOf('IDAT');
      const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
      const mid = 8 * (1 + 16 * 4) + 1 + 8 * 4;
      return [...raw.subarray(mid, mid + 4)];
    };
    expect(pixels('connected')).not.toEqual(pixels('problem'));
    expect(pixels('problem')[3]).toBe(255);
  });
});

describe('notification rules', () => {
  it('one notification per drive per state change: down, password refused, recovered', () => {
    const r = new NotificationRules();
    expect(r.next(drive('a', 'connected'))).toBeUndefined();
    expect(r.next(drive('a', 'unavailable', 'tcp-refused', 'refused'))).toMatchObject({ kind: 'unavailable', title: 'a is unavailable', body: 'refused' });
    expect(r.next(drive('a', 'unavailable', 'tcp-refused', 'refused again'))).toBeUndefined();
    expect(r.next(drive('a', 'reconnecting'))).toBeUndefined();
    expect(r.next(drive('a', 'unavailable'))).toMatchObject({ kind: 'unavailable' });
    expect(r.next(drive('a', 'reconnecting'))).toBeUndefined();
    expect(r.next(drive('a', 'connected'))).toMatchObject({ kind: 'recovered', title: 'a is connected again' });
    expect(r.next(drive('a', 'connected'))).toBeUndefined();
    expect(r.next(drive('a', 'auth-failed', 'auth-rejected', 'nas rejected the user name or password'))).toMatchObject({ kind: 'auth-failed' });
  });

  it('shows server text in notifications escaped, never raw', () => {
    const r = new NotificationRules();
    const n = r.next(drive('a\u001b]0;x\u0007', 'unavailable', 'tcp-refused', 'gone\u202e\r\n'));
    expect(n?.title).toBe('a\\033]0;x\\a is unavailable');
    expect(n?.body).toBe('gone\\u202E\\r\\n');
  });

  it('says nothing for idle disconnects and their reconnects', () => {
    const r = new NotificationRules();
    expect(r.next(drive('a', 'connected'))).toBeUndefined();
    expect(r.next(drive('a', 'disconnected', 'idle-disconnect'))).toBeUndefined();
    expect(r.next(drive('a', 'connecting'))).toBeUndefined();
    expect(r.next(drive('a', 'connected'))).toBeUndefined();
  });
});

describe('autostart', () => {
  it('writes an XDG autostart entry and removes it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'sk-autostart-'));
    const env = { HOME: home };
    try {
      expect(autostartDir(env)).toBe(join(home, '.config', 'autostart'));
      expect(autostartDir({ HOME: home, XDG_CONFIG_HOME: 'relative' })).toBe(join(home, '.config', 'autostart'));
      expect(await isAutostartEnabled(env)).toBe(false);
      await setAutostart(true, { exec: '/opt/Share Keeper/sharekeeper', args: ['--hidden'], env });
      const text = await readFile(join(home, '.config', 'autostart', 'sharekeeper.desktop'), 'utf8');
      expect(text).toContain('[Desktop Entry]\nType=Application\nName=ShareKeeper');
      expect(text).toContain('Exec="/opt/Share Keeper/sharekeeper" --hidden');
      expect(text).toContain('X-GNOME-Autostart-enabled=true');
      expect(await isAutostartEnabled(env)).toBe(true);
      await setAutostart(false, { exec: 'x', env });
      expect(await isAutostartEnabled(env)).toBe(false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('quotes Exec arguments as the Desktop Entry spec says', () => {
    expect(execQuote('/usr/bin/sharekeeper')).toBe('/usr/bin/sharekeeper');
    expect(execQuote('a "b" $c')).toBe('"a \\"b\\" \\$c"');
    expect(autostartEntry({ exec: '/x', args: ['100%'] })).toContain('Exec="100%%"'.replace('"100%%"', '/x "100%%"'));
  });
});

describe('window policy', () => {
  it('uses the secure preferences', () => {
    expect(windowPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, preload: '/p.cjs' });
    expect(APP_CSP).toContain("script-src 'self'");
    expect(APP_CSP).not.toContain('unsafe');
  });

  it('serves only files of the renderer build from the app scheme', () => {
    expect(appUrlToFile('sharekeeper://app/index.html', '/r')).toBe('/r/index.html');
    expect(appUrlToFile('sharekeeper://app/assets/x.js', '/r')).toBe('/r/assets/x.js');
    expect(appUrlToFile('sharekeeper://app/../../etc/passwd', '/r')).toBe('/r/etc/passwd');
    expect(appUrlToFile('sharekeeper://app/%2e%2e/%2e%2e/etc/passwd', '/r')).toBe('/r/etc/passwd');
    expect(appUrlToFile('sharekeeper://app/a%00b', '/r')).toBeUndefined();
    expect(appUrlToFile('sharekeeper://other/index.html', '/r')).toBeUndefined();
    expect(appUrlToFile('file:///etc/passwd', '/r')).toBeUndefined();
  });

  it('navigation, senders and permissions', () => {
    expect(isAppUrl('sharekeeper://app/index.html')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
    expect(isTrustedSender({ url: 'sharekeeper://app/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'sharekeeper://app/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) expect(permissionDecision(p)).toBe(false);
  });

  it('a second launch focuses the window; closing hides to the tray unless quitting', () => {
    expect(onSecondInstance({ exists: false, visible: false, minimized: false })).toEqual(['create']);
    expect(onSecondInstance({ exists: true, visible: false, minimized: true })).toEqual(['restore', 'show', 'focus']);
    expect(onSecondInstance({ exists: true, visible: true, minimized: false })).toEqual(['focus']);
    expect(onWindowClose({ quitting: false, trayAvailable: true })).toBe('hide');
    expect(onWindowClose({ quitting: true, trayAvailable: true })).toBe('close');
    expect(onWindowClose({ quitting: false, trayAvailable: false })).toBe('close');
  });
});

describe('npm start', () => {
  it('runs Electron where its binary is, else serve saying why; the CLI with arguments', () => {
    const exists = (p: string) => p === '/e/dist/electron';
    expect(findElectronBinary({ electronPackageDir: '/e', env: {}, exists })).toBe('/e/dist/electron');
    expect(findElectronBinary({ electronPackageDir: '/e', env: {}, exists: () => false })).toBeUndefined();
    expect(findElectronBinary({ electronPackageDir: undefined, env: {} })).toBeUndefined();
    expect(planLaunch([], { electronBinary: '/e/dist/electron', display: true, platform: 'linux' })).toEqual({ kind: 'electron', binary: '/e/dist/electron' });
    expect(planLaunch([], { electronBinary: undefined, display: true, platform: 'linux' })).toMatchObject({ kind: 'serve', why: expect.stringContaining('not installed') });
    expect(planLaunch([], { electronBinary: '/x', display: false, platform: 'linux' })).toMatchObject({ kind: 'serve', why: expect.stringContaining('no display') });
    expect(planLaunch(['--help'], { electronBinary: undefined, display: false, platform: 'linux' })).toEqual({ kind: 'cli', args: ['--help'] });
  });
});
