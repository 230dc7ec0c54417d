// serve's gate: 127.0.0.1/localhost Host only (DNS rebinding), same-origin Origin, the token.
import { describe, expect, it } from 'vitest';
import { checkRequest, contentSecurityPolicy, hostAllowed, makeToken, originAllowed, sessionCookie, tokenFromCookie, tokenMatches } from './security.js';

const T = makeToken();
const req = (over: Partial<Parameters<typeof checkRequest>[0]>) => ({ host: '127.0.0.1:5000', origin: undefined, cookie: undefined, urlToken: null, ...over });

describe('serve gate', () => {
  it('makes long random tokens', () => {
    expect(T).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(makeToken()).not.toBe(T);
  });

  it('refuses other Host headers, including a rebinding name on the same port', () => {
    expect(hostAllowed('127.0.0.1:5000', 5000)).toBe(true);
    expect(hostAllowed('LOCALHOST:5000', 5000)).toBe(true);
    for (const h of ['evil.example:5000', '127.0.0.1:5001', '127.0.0.1', '0.0.0.0:5000', undefined]) expect(hostAllowed(h, 5000)).toBe(false);
    expect(checkRequest(req({ host: 'evil.example:5000', urlToken: T }), 5000, T, false)).toEqual({ ok: false, status: 421, reason: 'wrong Host header' });
  });

  it('refuses other origins, and a WebSocket or upload without one', () => {
    expect(originAllowed(undefined, 5000)).toBe(true);
    expect(originAllowed(undefined, 5000, true)).toBe(false);
    expect(originAllowed('http://127.0.0.1:5000', 5000, true)).toBe(true);
    expect(originAllowed('http://evil.example', 5000)).toBe(false);
    expect(originAllowed('null', 5000)).toBe(false);
    expect(checkRequest(req({ origin: 'http://evil.example', cookie: sessionCookie(T, 5000) }), 5000, T, true)).toMatchObject({ ok: false, status: 403 });
  });

  it('needs the token, in the URL or in this port\'s cookie', () => {
    expect(checkRequest(req({}), 5000, T, false)).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest(req({ urlToken: `${T}x` }), 5000, T, false)).toMatchObject({ ok: false, status: 401 });
    expect(checkRequest(req({ urlToken: T }), 5000, T, false)).toEqual({ ok: true, viaUrl: true });
    const cookie = `other=1; ${sessionCookie(T, 5000).split(';')[0]}`;
    expect(tokenFromCookie(cookie, 5000)).toBe(T);
    expect(tokenFromCookie(cookie, 5001)).toBeUndefined();
    expect(checkRequest(req({ cookie, origin: 'http://127.0.0.1:5000' }), 5000, T, true)).toEqual({ ok: true, viaUrl: false });
    expect(tokenMatches(undefined, T)).toBe(false);
    expect(sessionCookie(T, 5000)).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('the CSP allows only our own scripts and our own sockets', () => {
    const csp = contentSecurityPolicy(5000);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('connect-src \'self\' ws://127.0.0.1:5000');
    expect(csp).not.toContain('unsafe');
  });
});
