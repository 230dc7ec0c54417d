// Start at login on Windows and macOS: which Electron call gets which arguments, how the answer
// reads as the setting, when a start stays in the tray, and the utility process's requests.
import { describe, expect, it } from 'vitest';
import { answerLoginItem, HIDDEN_ARG, loginItemEnabled, loginItemPlan, parseLoginItemRequest, startsHidden, type LoginItemQuery, type LoginItemSet } from './login-item.js';

const EXE = 'C:\\Program Files\\ShareKeeper\\ShareKeeper.exe';

describe('loginItemPlan', () => {
  it('Windows: the Run entry names our executable and the tray argument, and is read back with the same', () => {
    expect(loginItemPlan('win32', true, { execPath: EXE })).toEqual({
      kind: 'login-item',
      set: { openAtLogin: true, path: EXE, args: [HIDDEN_ARG] },
      query: { path: EXE, args: [HIDDEN_ARG] },
    });
    const off = loginItemPlan('win32', false, { execPath: EXE });
    expect(off.kind === 'login-item' && off.set).toEqual({ openAtLogin: false, path: EXE, args: [HIDDEN_ARG] });
  });

  it('macOS: the app itself, no Windows-only path or args', () => {
    expect(loginItemPlan('darwin', true, { execPath: '/Applications/ShareKeeper.app/Contents/MacOS/ShareKeeper' })).toEqual({ kind: 'login-item', set: { openAtLogin: true }, query: {} });
  });

  it('Linux keeps its XDG entry; other systems have none', () => {
    expect(loginItemPlan('linux', true, { execPath: '/x' })).toEqual({ kind: 'xdg' });
    expect(loginItemPlan('freebsd', true, { execPath: '/x' })).toEqual({ kind: 'unsupported' });
  });
});

describe('loginItemEnabled and startsHidden', () => {
  it('reads openAtLogin, and a macOS item waiting for approval as on', () => {
    expect(loginItemEnabled({ openAtLogin: true })).toBe(true);
    expect(loginItemEnabled({ openAtLogin: false })).toBe(false);
    expect(loginItemEnabled({ openAtLogin: false, status: 'requires-approval' })).toBe(true);
    expect(loginItemEnabled({ openAtLogin: false, status: 'not-registered' })).toBe(false);
  });

  it('a start at login goes to the tray: our argument anywhere, wasOpenedAtLogin on macOS only', () => {
    expect(startsHidden({ platform: 'win32', argv: [EXE, HIDDEN_ARG] })).toBe(true);
    expect(startsHidden({ platform: 'win32', argv: [EXE] })).toBe(false);
    expect(startsHidden({ platform: 'linux', argv: ['/opt/sk', HIDDEN_ARG] })).toBe(true);
    expect(startsHidden({ platform: 'darwin', argv: ['/x'], wasOpenedAtLogin: true })).toBe(true);
    expect(startsHidden({ platform: 'darwin', argv: ['/x'], wasOpenedAtLogin: false })).toBe(false);
    expect(startsHidden({ platform: 'win32', argv: [EXE], wasOpenedAtLogin: true })).toBe(false);
  });
});

describe('the utility process asking main', () => {
  it('accepts only well-formed login-item requests', () => {
    expect(parseLoginItemRequest({ t: 'login-item', id: 3 })).toEqual({ t: 'login-item', id: 3 });
    expect(parseLoginItemRequest({ t: 'login-item', id: 4, enabled: false })).toEqual({ t: 'login-item', id: 4, enabled: false });
    for (const bad of [null, 'login-item', { t: 'pick', id: 1 }, { t: 'login-item' }, { t: 'login-item', id: 1.5 }, { t: 'login-item', id: 1, enabled: 'yes' }]) {
      expect(parseLoginItemRequest(bad)).toBeUndefined();
    }
  });

  function fakeOs(platform: NodeJS.Platform) {
    const calls: { set: LoginItemSet[]; get: LoginItemQuery[] } = { set: [], get: [] };
    let on = false;
    return {
      calls,
      opts: {
        platform,
        execPath: EXE,
        set: (s: LoginItemSet) => {
          calls.set.push(s);
          on = s.openAtLogin;
        },
        // Windows finds the Run entry only when asked with the path and args it was written with.
        get: (q: LoginItemQuery) => {
          calls.get.push(q);
          return { openAtLogin: on && (platform !== 'win32' || (q.path === EXE && q.args?.[0] === HIDDEN_ARG)) };
        },
      },
    };
  }

  it('sets and reads back through the two calls (Windows)', () => {
    const os = fakeOs('win32');
    expect(answerLoginItem({ t: 'login-item', id: 1 }, os.opts)).toEqual({ t: 'login-item-state', id: 1, enabled: false });
    expect(os.calls.set).toEqual([]);
    expect(answerLoginItem({ t: 'login-item', id: 2, enabled: true }, os.opts)).toEqual({ t: 'login-item-state', id: 2, enabled: true });
    expect(os.calls.set).toEqual([{ openAtLogin: true, path: EXE, args: [HIDDEN_ARG] }]);
    expect(answerLoginItem({ t: 'login-item', id: 3, enabled: false }, os.opts).enabled).toBe(false);
  });

  it('macOS: on and off; Linux answers that the login item is not its way', () => {
    const os = fakeOs('darwin');
    expect(answerLoginItem({ t: 'login-item', id: 1, enabled: true }, os.opts).enabled).toBe(true);
    expect(os.calls.set).toEqual([{ openAtLogin: true }]);
    const linux = fakeOs('linux');
    const r = answerLoginItem({ t: 'login-item', id: 5, enabled: true }, linux.opts);
    expect(r.error).toMatch(/not available/);
    expect(linux.calls.set).toEqual([]);
  });

  it('an OS call that throws becomes an answer with the error, never a thrown error', () => {
    const r = answerLoginItem({ t: 'login-item', id: 9, enabled: true }, { platform: 'darwin', execPath: '/x', set: () => { throw new Error('denied by policy'); }, get: () => ({ openAtLogin: false }) });
    expect(r).toEqual({ t: 'login-item-state', id: 9, enabled: false, error: 'denied by policy' });
  });
});
