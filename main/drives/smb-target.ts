// Drive targets: smb://[[domain;]user@]host[:port]/share[/path]. The form follows the smb URI
// scheme (userinfo, host, port, then the share and a folder inside it); the share is what
// TREE_CONNECT names (MS-SMB2 2.2.9) and the path is a folder in it (MS-FSCC 2.1.5 names).
// A password in the URL (user:secret@) is refused: secrets live in the CredentialStore only.
import { isIP } from 'node:net';
import { DriveValidationError } from './drive-errors.js';

export const SMB_PORT = 445;

export interface SmbTarget {
  /** The text parsed, for messages. */
  url: string;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  share: string;
  /** Folder inside the share, '' for its root, '/'-separated, no leading or trailing slash. */
  path: string;
  user?: string;
  domain?: string;
}

export interface HostPort {
  host: string;
  port: number;
}

// Characters Windows refuses in share and file names (MS-FSCC 2.1.5.2), plus controls.
// eslint-disable-next-line no-control-regex
const BAD_NAME_CHARS = /[\\/:*?"<>|\u0000-\u001f]/;
const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;

export function parseSmbTarget(url: string, field = 'target'): SmbTarget {
  const fail = (detail: string): never => {
    throw new DriveValidationError(field, `${detail} (expected smb://host[:port]/share[/path])`);
  };
  if (typeof url !== 'string') return fail('not a string');
  const m = /^smb:\/\/([^/]*)(\/.*)?$/i.exec(url.trim());
  if (!m) return fail(`"${url}" is not an smb:// URL`);
  const authority = m[1] ?? '';
  const rest = m[2] ?? '';
  if (/[?#]/.test(rest)) fail('a query or fragment is not allowed');

  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const { host, port } = parseHostPort(at >= 0 ? authority.slice(at + 1) : authority, field);

  const segments = rest.split('/').filter((s) => s.length > 0).map((s) => decode(s, field));
  const share = segments.shift();
  if (share === undefined) return fail('no share name');
  checkName(share, field, 'share name');
  if (share.length > 80) fail('share name is longer than 80 characters');
  for (const seg of segments) {
    if (seg === '.' || seg === '..') fail('"." and ".." are not allowed in the path');
    checkName(seg, field, 'path');
  }

  const target: SmbTarget = { url, host, port, share, path: segments.join('/') };
  if (userinfo !== undefined) Object.assign(target, parseUserinfo(userinfo, field));
  return target;
}

/** host, host:port, [v6] or [v6]:port: how a drive's alternates are written. */
export function parseHostPort(text: string, field = 'host'): HostPort {
  const fail = (detail: string): never => {
    throw new DriveValidationError(field, detail);
  };
  if (typeof text !== 'string' || text.length === 0) return fail('no host');
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return fail(`"${text}" is not host[:port]`);
  const raw = m[1] ?? '';
  let host: string;
  if (raw.startsWith('[')) {
    host = raw.slice(1, -1);
    if (isIP(host) !== 6) fail(`"${raw}" is not an IPv6 address`);
  } else {
    host = raw;
    if (!HOST_NAME.test(host)) fail(`"${host}" is not a valid host name or address`);
  }
  const port = m[2] === undefined ? SMB_PORT : Number(m[2]);
  if (port < 1 || port > 65535) fail(`port ${port} is out of range`);
  return { host, port };
}

/** The canonical text of a target (no user unless `withUser`), e.g. for comparing mappings. */
export function formatSmbTarget(t: SmbTarget, withUser = false): string {
  const host = isIP(t.host) === 6 ? `[${t.host}]` : t.host;
  const port = t.port === SMB_PORT ? '' : `:${t.port}`;
  let userinfo = '';
  if (withUser && t.user !== undefined) {
    const dom = t.domain === undefined ? '' : `${encodeURIComponent(t.domain)};`;
    userinfo = `${dom}${encodeURIComponent(t.user)}@`;
  }
  const parts = [t.share, ...(t.path === '' ? [] : t.path.split('/'))].map(encodeURIComponent);
  return `smb://${userinfo}${host}${port}/${parts.join('/')}`;
}

/** The same share and path reached through another host (one of a drive's alternates). */
export function withHost(t: SmbTarget, alternate: string, field = 'alternates'): SmbTarget {
  const hp = parseHostPort(alternate, field);
  const next: SmbTarget = { ...t, host: hp.host, port: hp.port };
  next.url = formatSmbTarget(next, true);
  return next;
}

function parseUserinfo(userinfo: string, field: string): { user: string; domain?: string } {
  if (userinfo.includes(':')) {
    throw new DriveValidationError(field, 'a password does not belong in the target; it is kept in the keychain');
  }
  const semi = userinfo.indexOf(';');
  const user = decode(semi >= 0 ? userinfo.slice(semi + 1) : userinfo, field);
  if (user.length === 0) throw new DriveValidationError(field, 'empty user name before "@"');
  if (semi < 0) return { user };
  const domain = decode(userinfo.slice(0, semi), field);
  if (domain.length === 0) throw new DriveValidationError(field, 'empty domain before ";"');
  return { user, domain };
}

function decode(s: string, field: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new DriveValidationError(field, `bad percent-escape in "${s}"`);
  }
}

function checkName(name: string, field: string, what: string): void {
  if (BAD_NAME_CHARS.test(name)) {
    throw new DriveValidationError(field, `${what} "${name}" has a character that is not allowed (\\ / : * ? " < > | or a control character)`);
  }
}
