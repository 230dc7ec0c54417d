// The tray, as data: which image (the worst drive state), the tooltip, and the menu (every drive
// with its status and reason, a Reconnect per drive, Reconnect all, Open, Quit). tray-electron.ts
// turns this into a Tray and a Menu and sets it again on every change (Linux needs setContextMenu
// each time).
import type { DriveView } from '../../main/index.js';
import { escapeForTerminal } from '../../main/text/index.js';

/** Worst first: what the icon shows when drives differ. */
export type TrayState = 'problem' | 'reconnecting' | 'idle' | 'connected';
const RANK: Record<TrayState, number> = { problem: 3, reconnecting: 2, idle: 1, connected: 0 };

export function driveTrayState(d: Pick<DriveView, 'status'>): TrayState {
  switch (d.status.kind) {
    case 'unavailable':
    case 'auth-failed':
      return 'problem';
    case 'connecting':
    case 'reconnecting':
      return 'reconnecting';
    case 'disconnected':
    case 'disabled':
      return 'idle';
    case 'connected':
      return 'connected';
  }
}

export function worstState(drives: readonly Pick<DriveView, 'status'>[]): TrayState {
  let worst: TrayState = 'connected';
  for (const d of drives) {
    const s = driveTrayState(d);
    if (RANK[s] > RANK[worst]) worst = s;
  }
  return worst;
}

export type TrayAction = { type: 'reconnect'; driveId: string } | { type: 'reconnect-all' } | { type: 'open' } | { type: 'quit' };

export type TrayMenuItem = { kind: 'separator' } | { kind: 'item'; label: string; enabled: boolean; action?: TrayAction; toolTip?: string };

const STATUS_WORDS: Record<DriveView['status']['kind'], string> = {
  connected: 'connected',
  connecting: 'connecting',
  disconnected: 'disconnected',
  reconnecting: 'reconnecting',
  unavailable: 'unavailable',
  'auth-failed': 'password refused',
  disabled: 'off',
};

export interface TrayModel {
  state: TrayState;
  tooltip: string;
  menu: TrayMenuItem[];
}

/**
 * Tray menus show plain text: server-made text goes through the one escaper (control and bidi
 * characters shown escaped, main/text), and long reasons are cut to keep the menu usable.
 */
function short(text: string, max = 80): string {
  const clean = escapeForTerminal(text);
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function trayModel(drives: readonly DriveView[]): TrayModel {
  const state = worstState(drives);
  const down = drives.filter((d) => driveTrayState(d) === 'problem');
  const tooltip =
    drives.length === 0
      ? 'ShareKeeper: no drives'
      : down.length > 0
        ? `ShareKeeper: ${down.map((d) => `${d.name} ${STATUS_WORDS[d.status.kind]}`).join(', ')}`
        : `ShareKeeper: ${drives.filter((d) => d.status.kind === 'connected').length} of ${drives.length} drives connected`;
  const menu: TrayMenuItem[] = [];
  for (const d of drives) {
    const reason = d.status.kind === 'connected' ? '' : ` — ${short(d.status.message)}`;
    menu.push({ kind: 'item', label: short(`${d.name}: ${STATUS_WORDS[d.status.kind]}${reason}`, 120), enabled: false, toolTip: d.unc });
    menu.push({ kind: 'item', label: `Reconnect ${short(d.name, 40)}`, enabled: d.status.kind !== 'disabled', action: { type: 'reconnect', driveId: d.id } });
  }
  if (drives.length > 0) menu.push({ kind: 'separator' });
  menu.push({ kind: 'item', label: 'Reconnect all', enabled: drives.length > 0, action: { type: 'reconnect-all' } });
  menu.push({ kind: 'item', label: 'Open ShareKeeper', enabled: true, action: { type: 'open' } });
  menu.push({ kind: 'separator' });
  menu.push({ kind: 'item', label: 'Quit', enabled: true, action: { type: 'quit' } });
  return { state, tooltip, menu };
}

/** The tray image sizes each OS wants (px): Linux panels 22/24 (and 48 for HiDPI), macOS 16@1x/32@2x, Windows 16/32. */
export function trayIconSizes(platform: NodeJS.Platform): number[] {
  if (platform === 'darwin') return [16, 32];
  if (platform === 'win32') return [16, 32];
  return [22, 24, 48];
}
