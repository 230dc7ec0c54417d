// Start at login on Windows and macOS: the one place that calls app.setLoginItemSettings and
// app.getLoginItemSettings. What to call with which arguments is decided in login-item.ts.
import { app } from 'electron';
import { answerLoginItem, parseLoginItemRequest, startsHidden } from './login-item.js';

/** Answers the utility process's `login-item` requests (its app.autostart / app.setAutostart). */
export function answerLoginItemRequests(child: Electron.UtilityProcess): void {
  child.on('message', (m: unknown) => {
    const req = parseLoginItemRequest(m);
    if (req === undefined) return;
    child.postMessage(
      answerLoginItem(req, {
        platform: process.platform,
        execPath: process.execPath,
        set: (s) => app.setLoginItemSettings(s),
        get: (q) => app.getLoginItemSettings(q),
      }),
    );
  });
}

/** This start was a start at login: keep to the tray, no window until asked. */
export function startedHidden(): boolean {
  const wasOpenedAtLogin = process.platform === 'darwin' ? app.getLoginItemSettings().wasOpenedAtLogin : undefined;
  return startsHidden({ platform: process.platform, argv: process.argv, ...(wasOpenedAtLogin === undefined ? {} : { wasOpenedAtLogin }) });
}
