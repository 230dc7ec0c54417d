// Parses a drive target `smb://host[:port]/share[/path]` (the smb URI scheme; IPv6 literals in
// brackets). The share is what TREE_CONNECT names (MS-SMB2 2.2.9); the path is a folder inside it.
import { isIP } from 'node:net';

export interface SmbTarget {
  /** As written, for messages. */
  url: string;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  share: string;
  /** Folder inside the share, '' for its root, '/'-separated without leading slash. */
  path: string;
}

export const SMB_PORT = 445;

export class TargetError extends Error {
  constructor(url: string, detail: string) {
    super(`invalid drive target "${url}": ${detail}`);
    this.name = 'TargetError';
  }
}

export function parseTarget(url: string): SmbTarget {
  const m = /^smb:\/\/(\[[^\]]+\]|[^/:[\]]+)(?::(\d{1,5}))?(\/.*)?$/i.exec(url.trim());
  if (!m) throw new TargetError(url, 'expected smb://host[:port]/share[/path]');
  const rawHost = m[1] ?? '';
  const host = rawHost.startsWith('[') ? rawHost.slice(1, -1) : rawHost;
  if (rawHost.startsWith('[') && isIP(host) !== 6) throw new TargetError(url, 'bad IPv6 literal');
  const port = m[2] === undefined ? SMB_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TargetError(url, 'bad port');
  const parts = (m[3] ?? '')
    .split('/')
    .filter((p) => p.length > 0)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new TargetError(url, `bad escape in "${p}"`);
      }
    });
  const share = parts.shift();
  if (share === undefined) throw new TargetError(url, 'no share name');
  return { url, host, port, share, path: parts.join('/') };
}

/** Key for "one attempt at a time per server". */
export function serverKey(t: Pick<SmbTarget, 'host' | 'port'>): string {
  return `${t.host.toLowerCase()}:${t.port}`;
}
