// Start at login on Windows and macOS: Electron's login items (app.setLoginItemSettings /
// app.getLoginItemSettings), applied by login-item-electron.ts; Linux keeps its XDG autostart
// entry (autostart.ts). These are the decisions: which call, with which arguments, per platform,
// and whether a start was a start at login that belongs in the tray.
//
// Facts from Electron's API docs (electron 45 typings):
// - Windows: the login item is a Run registry value; `path` (default process.execPath) and `args`
//   are written there, and getLoginItemSettings must be asked with the same path and args, or its
//   openAtLogin does not find the entry. So both calls name them, from one place (here).
// - macOS: the app itself is the login item (type mainAppService, SMAppService on macOS 13+);
//   `args` and `path` are Windows-only, and `openAsHidden` no longer exists in the settings
//   (it never worked on macOS 13 and up). A start at login is told by `wasOpenedAtLogin` instead.
// - status 'requires-approval' (macOS 13+): registered, waiting for the person in System Settings;
//   it counts as on, so the switch does not flip back under their hands.

/** The argument a start at login carries: start in the tray, no window. */
export const HIDDEN_ARG = '--hidden';

/** What app.setLoginItemSettings takes (the subset we use). */
export interface LoginItemSet {
  openAtLogin: boolean;
  path?: string;
  args?: string[];
}

/** What app.getLoginItemSettings is asked with. */
export interface LoginItemQuery {
  path?: string;
  args?: string[];
}

/** What app.getLoginItemSettings answers (the subset we read). */
export interface LoginItemState {
  openAtLogin: boolean;
  wasOpenedAtLogin?: boolean;
  status?: string;
}

export type LoginItemPlan =
  | { kind: 'login-item'; set: LoginItemSet; query: LoginItemQuery }
  /** Linux: the XDG autostart entry, written by the services (autostart.ts). */
  | { kind: 'xdg' }
  | { kind: 'unsupported' };

export function loginItemPlan(platform: NodeJS.Platform, enabled: boolean, opts: { execPath: string }): LoginItemPlan {
  if (platform === 'win32') {
    const query = { path: opts.execPath, args: [HIDDEN_ARG] };
    return { kind: 'login-item', set: { openAtLogin: enabled, ...query }, query };
  }
  if (platform === 'darwin') return { kind: 'login-item', set: { openAtLogin: enabled }, query: {} };
  if (platform === 'linux') return { kind: 'xdg' };
  return { kind: 'unsupported' };
}

/** The setting as the switch shows it. */
export function loginItemEnabled(state: LoginItemState): boolean {
  return state.openAtLogin || state.status === 'enabled' || state.status === 'requires-approval';
}

/** A start at login goes to the tray without a window (Windows/Linux: our argument; macOS: the OS says so). */
export function startsHidden(opts: { platform: NodeJS.Platform; argv: readonly string[]; wasOpenedAtLogin?: boolean }): boolean {
  if (opts.argv.includes(HIDDEN_ARG)) return true;
  return opts.platform === 'darwin' && opts.wasOpenedAtLogin === true;
}

/** The utility process asks the main process, which owns `app`: `{t: 'login-item', id, enabled?}`. */
export interface LoginItemRequest {
  t: 'login-item';
  id: number;
  /** Absent: only read the setting. */
  enabled?: boolean;
}

/** A message from the utility process, checked: anything else is not a login-item request. */
export function parseLoginItemRequest(m: unknown): LoginItemRequest | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const r = m as { t?: unknown; id?: unknown; enabled?: unknown };
  if (r.t !== 'login-item' || typeof r.id !== 'number' || !Number.isSafeInteger(r.id)) return undefined;
  if (r.enabled !== undefined && typeof r.enabled !== 'boolean') return undefined;
  return r.enabled === undefined ? { t: 'login-item', id: r.id } : { t: 'login-item', id: r.id, enabled: r.enabled };
}

/** Applies a request through the two Electron calls (injected), and answers the setting as it now is. */
export function answerLoginItem(
  req: LoginItemRequest,
  opts: { platform: NodeJS.Platform; execPath: string; set(s: LoginItemSet): void; get(q: LoginItemQuery): LoginItemState },
): { t: 'login-item-state'; id: number; enabled: boolean; error?: string } {
  const plan = loginItemPlan(opts.platform, req.enabled ?? false, { execPath: opts.execPath });
  if (plan.kind !== 'login-item') return { t: 'login-item-state', id: req.id, enabled: false, error: 'Starting at login is not available on this system' };
  try {
    if (req.enabled !== undefined) opts.set(plan.set);
    return { t: 'login-item-state', id: req.id, enabled: loginItemEnabled(opts.get(plan.query)) };
  } catch (e) {
    return { t: 'login-item-state', id: req.id, enabled: false, error: e instanceof Error ? e.message : String(e) };
  }
}
