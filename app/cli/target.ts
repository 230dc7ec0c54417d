// Parses the ways people write a remote location on the command line:
//   smb://[DOMAIN;]USER@HOST[:PORT]/SHARE/PATH   (the smb URL scheme; components percent-decoded)
//   //HOST[:PORT]/SHARE/PATH                       (smbclient's UNC-with-slashes form; taken literally)
//   \\HOST\SHARE\PATH                              (Windows UNC, MS-DTYP 2.2.57; taken literally)
// IPv6 literals go in brackets in every form ([::1], [fe80::1%eth0]).
// A password in the URL (`user:secret@host`) is refused: it would sit in shell history and `ps`.
import { isIPv6 } from 'node:net';
import { UsageError } from './usage-error.js';

export interface SmbTarget {
  host: string;
  port: number | undefined;
  /** Undefined when the target names only a server (`//HOST`). */
  share: string | undefined;
  /** Share-relative path, one entry per component; [] is the share's root. */
  segments: string[];
  user: string | undefined;
  domain: string | undefined;
}

const SMB_SCHEME = /^smb:\/\//i;

/** True when `s` is written as a full target rather than a share-relative path. */
export function looksLikeTarget(s: string): boolean {
  return SMB_SCHEME.test(s) || s.startsWith('//') || s.startsWith('\\\\');
}

export function parseTarget(input: string): SmbTarget {
  if (SMB_SCHEME.test(input)) return parseSmbUrl(input);
  if (input.startsWith('//') || input.startsWith('\\\\')) return parseUnc(input);
  throw new UsageError(`not a remote target: '${input}' (expected //HOST/SHARE/PATH, \\\\HOST\\SHARE\\PATH or smb://HOST/SHARE/PATH)`);
}

/** The share-relative path the tree API takes ('' for the root). */
export function targetPath(t: Pick<SmbTarget, 'segments'>): string {
  return t.segments.join('/');
}

/** How a target is shown back to people: never includes the user or anything secret. */
export function formatTarget(t: SmbTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const port = t.port === undefined ? '' : `:${t.port}`;
  const rest = t.share === undefined ? '' : `/${[t.share, ...t.segments].join('/')}`;
  return `//${host}${port}${rest}`;
}

/** A share-relative path typed by a person ('a/b', '\\a\\b', '/a/b/'), split and checked. */
export function parseRemotePath(input: string): string[] {
  return checkSegments(input.split(/[/\\]+/), input);
}

function parseSmbUrl(input: string): SmbTarget {
  const rest = input.replace(SMB_SCHEME, '');
  if (/[?#]/.test(rest)) {
    throw new UsageError(`'?' and '#' must be percent-encoded in an smb:// URL (%3F, %23), or use the //HOST/SHARE form: '${input}'`);
  }
  const slash = rest.search(/[/\\]/);
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const pathPart = slash < 0 ? '' : rest.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userInfo = at < 0 ? undefined : authority.slice(0, at);
  const hostPort = at < 0 ? authority : authority.slice(at + 1);
  const { user, domain } = parseUserInfo(userInfo, input);
  const { host, port } = parseHostPort(hostPort, input, true);
  const parts = pathPart.split(/[/\\]+/).map((p) => decode(p, input));
  return buildTarget(host, port, parts, input, user, domain);
}

function parseUnc(input: string): SmbTarget {
  const parts = input.slice(2).split(/[/\\]+/);
  const hostPort = parts.shift() ?? '';
  if (hostPort.includes('@')) {
    throw new UsageError(`put the user in -U (or use smb://USER@HOST/...), not in '${input}'`);
  }
  const { host, port } = parseHostPort(hostPort, input, false);
  return buildTarget(host, port, parts, input, undefined, undefined);
}

function buildTarget(
  host: string,
  port: number | undefined,
  parts: string[],
  input: string,
  user: string | undefined,
  domain: string | undefined,
): SmbTarget {
  const nonEmpty = parts.filter((p) => p !== '');
  const share = nonEmpty.shift();
  if (share !== undefined) checkName(share, input);
  if (share === '.' || share === '..') throw new UsageError(`'${share}' is not a share name: '${input}'`);
  return { host, port, share, segments: checkSegments(nonEmpty, input), user, domain };
}

function parseUserInfo(userInfo: string | undefined, input: string): { user: string | undefined; domain: string | undefined } {
  if (userInfo === undefined) return { user: undefined, domain: undefined };
  if (userInfo.includes(':')) {
    throw new UsageError('a password in the URL is not accepted (it would show in shell history and process lists); use SHAREKEEPER_PASSWORD or --password-stdin');
  }
  const semi = userInfo.indexOf(';');
  const domain = semi < 0 ? undefined : decode(userInfo.slice(0, semi), input);
  const user = decode(semi < 0 ? userInfo : userInfo.slice(semi + 1), input);
  if (user === '') throw new UsageError(`empty user name in '${input}'`);
  return { user, domain: domain === '' ? undefined : domain };
}

function parseHostPort(hostPort: string, input: string, percentEncoded: boolean): { host: string; port: number | undefined } {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) throw new UsageError(`unclosed '[' in '${input}'`);
    host = hostPort.slice(1, close);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new UsageError(`unexpected '${after}' after ']' in '${input}'`);
    portText = after === '' ? undefined : after.slice(1);
    if (percentEncoded) host = decode(host, input);
    if (!isIPv6(host)) throw new UsageError(`'${host}' is not an IPv6 address: '${input}'`);
  } else {
    const colon = hostPort.indexOf(':');
    if (colon >= 0 && hostPort.indexOf(':', colon + 1) >= 0) {
      throw new UsageError(`an IPv6 address must be written in brackets, e.g. //[${hostPort}]/share: '${input}'`);
    }
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1);
    if (percentEncoded) host = decode(host, input);
    if (host === '') throw new UsageError(`missing host name in '${input}'`);
    if (/[\s/\\@[\]\0]/.test(host)) throw new UsageError(`invalid host name '${host}' in '${input}'`);
  }
  return { host, port: portText === undefined ? undefined : parsePort(portText, input) };
}

export function parsePort(text: string, input: string = text): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`invalid port '${text}' in '${input}'`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} is out of range (1-65535) in '${input}'`);
  return port;
}

function checkSegments(parts: string[], input: string): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') throw new UsageError(`'..' is not allowed in a remote path: '${input}'`);
    checkName(p, input);
    out.push(p);
  }
  return out;
}

function checkName(name: string, input: string): void {
  // A decoded %2F or %5C would smuggle a separator into one component; NUL ends strings on the server.
  if (/[/\\\0]/.test(name)) throw new UsageError(`invalid character in '${name}': '${input}'`);
}

function decode(text: string, input: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new UsageError(`bad percent-encoding in '${input}'`);
  }
}
