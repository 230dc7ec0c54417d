// Remote locations on the command line, read by the one target parser (main/drives/smb-target.ts:
// smb:// URLs, //HOST/SHARE and \\HOST\SHARE forms). This file only shapes its answer for the
// commands (path components as a list) and turns a bad target into a usage error (exit 2).
import { DriveValidationError, looksLikeSmbLocation, parseSharePath, parseSmbLocation } from '../../main/drives/index.js';
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

/** True when `s` is written as a full target rather than a share-relative path. */
export function looksLikeTarget(s: string): boolean {
  return looksLikeSmbLocation(s);
}

export function parseTarget(input: string): SmbTarget {
  const loc = asUsage(() => parseSmbLocation(input, `'${input}'`));
  return { host: loc.host, port: loc.port, share: loc.share, segments: split(loc.path), user: loc.user, domain: loc.domain };
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
  return split(asUsage(() => parseSharePath(input, `'${input}'`)));
}

export function parsePort(text: string, input: string = text): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`invalid port '${text}' in '${input}'`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} is out of range (1-65535) in '${input}'`);
  return port;
}

function split(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DriveValidationError) throw new UsageError(e.message);
    throw e;
  }
}
