// Remote locations on the command line, read by the one target parser and its one type
// (main/drives/smb-target.ts: `SmbLocation` from smb:// URLs, //HOST/SHARE and \\HOST\SHARE forms).
// This file only turns a bad target or path into a usage error (exit 2).
import { DriveValidationError, looksLikeSmbLocation, parseSharePath, parseSmbLocation, type SmbLocation } from '../../main/drives/index.js';
import { UsageError } from './usage-error.js';

/** True when `s` is written as a full target rather than a share-relative path. */
export function looksLikeTarget(s: string): boolean {
  return looksLikeSmbLocation(s);
}

export function parseTarget(input: string): SmbLocation {
  return asUsage(() => parseSmbLocation(input, `'${input}'`));
}

/** A share-relative path typed by a person ('a/b', '\\a\\b', '/a/b/'), checked: '/'-separated, '' for the root. */
export function parseRemotePath(input: string): string {
  return asUsage(() => parseSharePath(input, `'${input}'`));
}

export function parsePort(text: string, input: string = text): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`invalid port '${text}' in '${input}'`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new UsageError(`port ${port} is out of range (1-65535) in '${input}'`);
  return port;
}

function asUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DriveValidationError) throw new UsageError(e.message);
    throw e;
  }
}
