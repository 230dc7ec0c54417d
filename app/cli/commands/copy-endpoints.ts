// The two sides of `copy SRC DST`: a local path, a mapped drive (`NAME:/path/in/drive`) or a
// full target (//HOST/SHARE/PATH, smb://...). Exactly one side is remote. A remote side becomes
// a supervised drive (the mapped one, or a transient one for a target) and a share-relative path.
import { basename } from 'node:path';
import { parseSmbTarget, type Drive, type SmbLocation } from '../../../main/index.js';
import { looksLikeTarget, parseRemotePath, parseTarget } from '../target.js';
import { CommandError, UsageError } from '../usage-error.js';

export type Endpoint =
  | { kind: 'local'; path: string; text: string }
  /** `path`: inside the drive, '' for its root. */
  | { kind: 'drive'; drive: Drive; path: string; text: string }
  | { kind: 'target'; target: SmbLocation; path: string; text: string };

export type RemoteEndpoint = Exclude<Endpoint, { kind: 'local' }>;

const DRIVE_PATH = /^([^/\\:]+):(.*)$/;

export function parseEndpoint(text: string, drives: readonly Drive[]): Endpoint {
  if (looksLikeTarget(text)) {
    const target = parseTarget(text);
    if (target.share === undefined) throw new UsageError(`'${text}' names no share (expected //HOST/SHARE/PATH)`);
    return { kind: 'target', target, path: target.path, text };
  }
  const m = DRIVE_PATH.exec(text);
  if (m !== null) {
    const name = m[1] as string;
    const drive = drives.find((d) => d.name === name) ?? drives.find((d) => d.name.toLowerCase() === name.toLowerCase());
    if (drive !== undefined) return { kind: 'drive', drive, path: parseRemotePath(m[2] ?? ''), text };
    // One letter is a Windows drive (C:\...); anything longer meant a mapped drive.
    if (name.length > 1) throw new CommandError(`no drive named '${name}' (for a local file of that name, write ./${text})`);
  }
  if (text === '') throw new UsageError('an empty path');
  return { kind: 'local', path: text, text };
}

/** Which way the copy goes, and its remote side; refuses local→local and remote→remote. */
export function splitEndpoints(src: Endpoint, dst: Endpoint): { direction: 'download' | 'upload'; remote: RemoteEndpoint; local: Extract<Endpoint, { kind: 'local' }> } {
  if (src.kind !== 'local' && dst.kind === 'local') return { direction: 'download', remote: src, local: dst };
  if (src.kind === 'local' && dst.kind !== 'local') return { direction: 'upload', remote: dst, local: src };
  if (src.kind === 'local') throw new UsageError('both sides are local; one of SRC and DST must be a drive (NAME:/path) or //HOST/SHARE/PATH');
  throw new UsageError('both sides are remote; copy between a drive and the local disk (download, then upload)');
}

/** The share-relative path of a remote side: a drive's own folder (its target's path) comes first. */
export function sharePath(remote: RemoteEndpoint): string {
  if (remote.kind === 'target') return remote.path;
  const root = parseSmbTarget(remote.drive.target).path;
  return [root, remote.path].filter((p) => p !== '').join('/');
}

/** The name a copy takes when it goes into a folder: the source's last component. */
export function lastName(p: string, fallback: string): string {
  const name = basename(p.replace(/[/\\]+$/, ''));
  return name === '' || name === '.' || name === '..' ? fallback : name;
}
