// Who may talk to `sharekeeper serve`: it listens on 127.0.0.1 only, and every request must carry
// the random token (in the URL the first time, then in an HttpOnly SameSite=Strict cookie), name
// this server in its Host header (a DNS-rebinding page names its own host), and, when it has an
// Origin, come from this server's own origin. Pure functions, so the rules are tested in Node.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export function makeToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The host:port forms this server answers to. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/** No Origin (a plain navigation) is allowed; any Origin must be this server itself. */
export function originAllowed(origin: string | undefined, port: number, required = false): boolean {
  if (origin === undefined) return !required;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

export function cookieName(port: number): string {
  return `sk_token_${port}`;
}

export function tokenFromCookie(header: string | undefined, port: number): string | undefined {
  if (header === undefined) return undefined;
  const name = cookieName(port);
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sessionCookie(token: string, port: number): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export type Verdict = { ok: true; viaUrl: boolean } | { ok: false; status: number; reason: string };

/**
 * The gate in front of every request (HTTP and the WebSocket upgrade).
 * `stateChanging`: a WebSocket or an upload, which must carry a same-origin Origin header.
 */
export function checkRequest(
  req: { host: string | undefined; origin: string | undefined; cookie: string | undefined; urlToken: string | null },
  port: number,
  token: string,
  stateChanging: boolean,
): Verdict {
  if (!hostAllowed(req.host, port)) return { ok: false, status: 421, reason: 'wrong Host header' };
  if (!originAllowed(req.origin, port, stateChanging)) return { ok: false, status: 403, reason: 'cross-origin request' };
  if (tokenMatches(req.urlToken, token)) return { ok: true, viaUrl: true };
  if (tokenMatches(tokenFromCookie(req.cookie, port), token)) return { ok: true, viaUrl: false };
  return { ok: false, status: 401, reason: 'missing or wrong token' };
}

/** The renderer's Content-Security-Policy: our own scripts and styles only, sockets to ourselves. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
