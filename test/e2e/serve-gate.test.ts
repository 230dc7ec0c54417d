// `sharekeeper serve`'s gate over real HTTP and WebSocket (the built binary): 127.0.0.1 only,
// the token required (then kept in an HttpOnly cookie and dropped from the URL), other Host
// headers refused (DNS rebinding), other Origins refused, the CSP on every page.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { assertUiBuilt, startServe, type ServeProcess } from './e2e-helpers.js';

let serve: ServeProcess;
let port: number;
let token: string;

beforeAll(async () => {
  assertUiBuilt();
  serve = await startServe();
  const u = new URL(serve.url);
  port = Number(u.port);
  token = u.searchParams.get('token') as string;
}, 60_000);
afterAll(async () => {
  await serve?.stop();
});

function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function ws(headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const sock = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, { headers });
    sock.on('open', () => {
      sock.close();
      resolve('open');
    });
    sock.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    sock.on('error', () => resolve(0));
  });
}

describe('serve gate', () => {
  it('prints a 127.0.0.1 URL with a long random token', () => {
    expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=nope')).status).toBe(401);
    expect((await get('/api/download?driveId=x&share=s&path=a')).status).toBe(401);
  });

  it('moves the token into an HttpOnly SameSite cookie and out of the URL; then serves the UI with its CSP', async () => {
    const first = await get(`/?token=${token}`);
    expect(first.status).toBe(303);
    expect(first.headers['location']).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0] as string;
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await get('/', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect((await get('/../../etc/passwd', { Cookie: cookie })).body).not.toContain('root:');
  });

  it('refuses other Host headers, even with the token (DNS rebinding)', async () => {
    expect((await get(`/?token=${token}`, { Host: `evil.example:${port}` })).status).toBe(421);
    expect((await get(`/?token=${token}`, { Host: 'evil.example' })).status).toBe(421);
  });

  it('refuses WebSockets and uploads from other origins or without the token', async () => {
    const cookie = `sk_token_${port}=${token}`;
    const origin = `http://127.0.0.1:${port}`;
    expect(await ws({ Cookie: cookie, Origin: origin })).toBe('open');
    expect(await ws({ Cookie: cookie, Origin: 'http://evil.example' })).toBe(403);
    expect(await ws({ Cookie: cookie })).toBe(403);
    expect(await ws({ Origin: origin })).toBe(401);
    expect(await ws({ Cookie: cookie, Origin: origin, Host: `evil.example:${port}` })).toBe(421);
    expect((await get('/api/upload?driveId=x&share=s&path=a', { Cookie: cookie, Origin: 'http://evil.example' }, 'PUT')).status).toBe(403);
    expect((await get('/api/upload?driveId=x&share=s&path=a', { Cookie: cookie, Origin: origin }, 'PUT')).status).toBe(404);
  });
});
