// The window's security decisions as plain data and functions (main-electron.ts applies them):
// the BrowserWindow preferences, the app's own scheme and how its URLs map to files of the
// renderer build, the CSP, which navigations and senders are ours, and the permission answer.
import { normalize, join, sep } from 'node:path';

export const APP_SCHEME = 'sharekeeper';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Electron's documented secure defaults, stated rather than assumed. */
export function windowPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    safeDialogs: true,
    navigateOnDragDrop: false,
  } as const;
}

export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** Only the app's own pages: anything else (a link, a redirect, window.open) is refused. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The file of the renderer build behind an app URL, or undefined for one that leaves it. */
export function appUrlToFile(url: string, rendererDir: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (path.includes('\0')) return undefined;
  const root = normalize(rendererDir + sep);
  const file = normalize(join(rendererDir, path === '/' ? 'index.html' : path));
  return file.startsWith(root) ? file : undefined;
}

/** An IPC message is answered only when it comes from our own page in our own window's main frame. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  // A frame with a parent is an iframe: never ours to answer.
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}

/** Camera, microphone, notifications from the page, geolocation…: the renderer needs none. */
export function permissionDecision(_permission: string): false {
  return false;
}

/** Closing the window hides it (the app lives in the tray) unless the person is quitting. */
export function onWindowClose(opts: { quitting: boolean; trayAvailable: boolean }): 'hide' | 'close' {
  return opts.quitting || !opts.trayAvailable ? 'close' : 'hide';
}

/** A second launch brings the existing window back rather than starting another app. */
export function onSecondInstance(window: { exists: boolean; visible: boolean; minimized: boolean }): ('create' | 'restore' | 'show' | 'focus')[] {
  if (!window.exists) return ['create'];
  const steps: ('restore' | 'show' | 'focus')[] = [];
  if (window.minimized) steps.push('restore');
  if (!window.visible) steps.push('show');
  steps.push('focus');
  return steps;
}
