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

/**
 * A place on a server as people write it, in any of three forms:
 *   smb://[DOMAIN;]USER@HOST[:PORT]/SHARE/PATH   (the smb URL scheme; components percent-decoded)
 *   //HOST[:PORT]/SHARE/PATH                       (smbclient's UNC-with-slashes form; taken literally)
 *   \\HOST\SHARE\PATH                              (Windows UNC, MS-DTYP 2.2.57; taken literally)
 * IPv6 literals in brackets. The share may be missing (the server itself, as for a share list).
 * This is the one parser: drives, the CLI and the UI all read targets through it.
 */
export interface SmbLocation {
  /** The text parsed, for messages. */
  url: string;
  host: string;
  /** Undefined when the text names none. */
  port: number | undefined;
  share: string | undefined;
  /** Folder or file inside the share, '' for its root, '/'-separated, no leading or trailing slash. */
  path: string;
  user?: string;
  domain?: string;
}

const SMB_SCHEME = /^smb:\/\//i;

/** True when `s` is written as a full target rather than a share-relative path. */
export function looksLikeSmbLocation(s: string): boolean {
  return SMB_SCHEME.test(s) || s.startsWith('//') || s.startsWith('\\\\');
}

export function parseSmbLocation(input: string, field = 'target'): SmbLocation {
  const fail = (detail: string): never => {
    throw new DriveValidationError(field, detail);
  };
  if (typeof input !== 'string') return fail('not a string');
  const text = input.trim();
  if (SMB_SCHEME.test(text)) return parseUrlForm(text, field);
  if (text.startsWith('//') || text.startsWith('\\\\')) return parseUncForm(text, field);
  return fail(`"${input}" is not an smb:// URL or UNC path (expected smb://HOST/SHARE/PATH, //HOST/SHARE/PATH or \\\\HOST\\SHARE\\PATH)`);
}

/** A drive's target: a location that names a share; the port defaults to 445. */
export function parseSmbTarget(url: string, field = 'target'): SmbTarget {
  const loc = parseSmbLocation(url, field);
  if (loc.share === undefined) throw new DriveValidationError(field, `no share name in "${url}" (expected smb://host[:port]/share[/path])`);
  const target: SmbTarget = { url, host: loc.host, port: loc.port ?? SMB_PORT, share: loc.share, path: loc.path };
  if (loc.user !== undefined) target.user = loc.user;
  if (loc.domain !== undefined) target.domain = loc.domain;
  return target;
}

/** A location's path as components, [] for the share's root (its path is already checked: no '', '.', '..'). */
export function pathSegments(loc: Pick<SmbLocation, 'path'>): string[] {
  return loc.path === '' ? [] : loc.path.split('/');
}

/** The last component of a location's path, '' at the share's root. */
export function baseName(loc: Pick<SmbLocation, 'path'>): string {
  const i = loc.path.lastIndexOf('/');
  return loc.path.slice(i + 1);
}

/**
 * How a location is shown back to people: //HOST[:PORT]/SHARE/PATH, IPv6 in brackets, literal
 * (not percent-encoded) names; never the user or anything secret.
 */
export function formatSmbLocation(loc: Pick<SmbLocation, 'host' | 'port' | 'share' | 'path'>): string {
  const host = loc.host.includes(':') ? `[${loc.host}]` : loc.host;
  const port = loc.port === undefined ? '' : `:${loc.port}`;
  const rest = loc.share === undefined ? '' : `/${[loc.share, ...pathSegments(loc)].join('/')}`;
  return `//${host}${port}${rest}`;
}

/** A share-relative path typed by a person ('a/b', '\\a\\b', '/a/b/'): '.' dropped, '..' refused. */
export function parseSharePath(input: string, field = 'path'): string {
  return checkSegments(input.split(/[/\\]+/), field).join('/');
}

function parseUrlForm(text: string, field: string): SmbLocation {
  const rest = text.replace(SMB_SCHEME, '');
  if (/[?#]/.test(rest)) {
    throw new DriveValidationError(field, `a query or fragment is not allowed: '?' and '#' must be percent-encoded in an smb:// URL (%3F, %23), or use the //HOST/SHARE form: "${text}"`);
  }
  const slash = rest.search(/[/\\]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const at = authority.lastIndexOf('@');
  const parts = (slash < 0 ? '' : rest.slice(slash + 1)).split(/[/\\]+/).map((p) => decode(p, field));
  const loc = build(text, parseHostPortText(decodeHost(at < 0 ? authority : authority.slice(at + 1), field), field), parts, field);
  return at < 0 ? loc : { ...loc, ...parseUserinfo(authority.slice(0, at), field) };
}

function parseUncForm(text: string, field: string): SmbLocation {
  const parts = text.slice(2).split(/[/\\]+/);
  const hostPort = parts.shift() ?? '';
  if (hostPort.includes('@')) throw new DriveValidationError(field, `put the user in -U (or use smb://USER@HOST/...), not in "${text}"`);
  return build(text, parseHostPortText(hostPort, field), parts, field);
}

function build(url: string, hp: { host: string; port: number | undefined }, parts: string[], field: string): SmbLocation {
  const nonEmpty = parts.filter((p) => p !== '');
  const share = nonEmpty.shift();
  if (share !== undefined) {
    if (share === '.' || share === '..') throw new DriveValidationError(field, `"${share}" is not a share name`);
    checkName(share, field, 'share name');
    if (share.length > 80) throw new DriveValidationError(field, 'share name is longer than 80 characters');
  }
  return { url, host: hp.host, port: hp.port, share, path: checkSegments(nonEmpty, field).join('/') };
}

function checkSegments(parts: string[], field: string): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new DriveValidationError(field, '".." is not allowed in a remote path (it would leave the share)');
    // A decoded %2F or %5C would smuggle a separator into one component; NUL ends strings on the server.
    // eslint-disable-next-line no-control-regex
    if (/[/\\\u0000]/.test(p)) throw new DriveValidationError(field, `invalid character in "${p}"`);
    out.push(p);
  }
  return out;
}

/** host, host:port, [v6] or [v6]:port: how a drive's alternates are written. */
export function parseHostPort(text: string, field = 'host'): HostPort {
  const hp = parseHostPortText(text, field);
  return { host: hp.host, port: hp.port ?? SMB_PORT };
}

function parseHostPortText(text: string, field: string): { host: string; port: number | undefined } {
  const fail = (detail: string): never => {
    throw new DriveValidationError(field, detail);
  };
  if (typeof text !== 'string' || text.length === 0) return fail('no host');
  const m = /^(\[[^\]]*\]|[^:[\]]*)(?::(\d{1,5}))?$/.exec(text);
  if (!m) return fail(text.split(':').length > 2 ? `an IPv6 address must be written in brackets, e.g. //[${text}]/share` : `"${text}" is not host[:port]`);
  const raw = m[1] ?? '';
  let host: string;
  if (raw.startsWith('[')) {
    host = raw.slice(1, -1);
    if (isIP(host) !== 6) fail(`"${raw}" is not an IPv6 address`);
  } else {
    host = raw;
    if (!HOST_NAME.test(host)) fail(`"${host}" is not a valid host name or address`);
  }
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && (port < 1 || port > 65535)) fail(`port ${port} is out of range (1-65535)`);
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
    throw new DriveValidationError(field, 'a password in the URL is not accepted (it would show in shell history and process lists); it is kept in the keychain, or given by SHAREKEEPER_PASSWORD or --password-stdin');
  }
  const semi = userinfo.indexOf(';');
  const user = decode(semi >= 0 ? userinfo.slice(semi + 1) : userinfo, field);
  if (user.length === 0) throw new DriveValidationError(field, 'empty user name before "@"');
  if (semi < 0) return { user };
  const domain = decode(userinfo.slice(0, semi), field);
  if (domain.length === 0) throw new DriveValidationError(field, 'empty domain before ";"');
  return { user, domain };
}

/** An IPv6 literal keeps its zone id (`[fe80::1%12]`, or `%25` as RFC 6874 writes it); a name is percent-decoded. */
function decodeHost(s: string, field: string): string {
  return s.startsWith('[') ? s.replace(/%25/g, '%') : decode(s, field);
}

function decode(s: string, field: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new DriveValidationError(field, `bad percent-encoding in "${s}"`);
  }
}

function checkName(name: string, field: string, what: string): void {
  if (BAD_NAME_CHARS.test(name)) {
    throw new DriveValidationError(field, `${what} "${name}" has a character that is not allowed (\\ / : * ? " < > | or a control character)`);
  }
}
