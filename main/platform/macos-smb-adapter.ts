// macOS mounts through mount_smbfs(8), umount(8) and mount(8)'s listing.
//
// Passwords: never on argv (mount_smbfs would accept //user:password@host, visible to every
// process). We pass -N, so mount_smbfs does not prompt (we have no terminal) and takes the
// password from the user's login keychain, where Finder's "Remember this password" or a first
// interactive mount puts it. A share without a saved password fails here with a clear message;
// the app then tells the user to connect once through Finder (Cmd-K) or uses its own client.
import { isAbsolute } from 'node:path';
import { parseSmbTarget, SMB_PORT } from '../drives/smb-target.js';
import { commandFailure, normalizedTarget, PlatformError, type DriveMappingAdapter, type MapRequest, type OsMapping } from './drive-mapping-adapter.js';
import type { RunCommand } from './run-command.js';

export const MOUNT = '/sbin/mount';
export const UMOUNT = '/sbin/umount';
export const MOUNT_SMBFS = '/sbin/mount_smbfs';
export const MKDIR = '/bin/mkdir';

/**
 * Parses mount(8) output, keeping the smbfs lines:
 * `//user@host/share on /Volumes/share (smbfs, nodev, nosuid, mounted by user)`.
 * The remote side is URL-escaped by the system (My%20Share); the mount folder is not.
 */
export function parseMacMountOutput(text: string): OsMapping[] {
  const out: OsMapping[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(\/\/\S+) on (\/.*) \(smbfs(?:,[^)]*)?\)\s*$/.exec(line);
    if (!m) continue;
    const remotePath = m[1] ?? '';
    const mapping: OsMapping = { localPath: m[2] ?? '', remotePath, status: 'ok' };
    const target = targetFromMacRemote(remotePath);
    if (target !== undefined) mapping.target = target;
    out.push(mapping);
  }
  return out;
}

/** //[domain;][user@]host/share/dir (escaped) → smb://host/share/dir. */
export function targetFromMacRemote(remote: string): string | undefined {
  const m = /^\/\/(?:[^@/]*@)?([^/]+)\/(.+)$/.exec(remote);
  if (!m) return undefined;
  try {
    const segments = (m[2] ?? '').split('/').filter((s) => s.length > 0).map(decodeURIComponent);
    return normalizedTarget(m[1] ?? '', segments);
  } catch {
    return undefined;
  }
}

/** The mount_smbfs argument for a target: //[domain;][user@]host/share/dir, each part escaped. */
export function macRemoteFromTarget(target: string, user?: string, domain?: string): string {
  const t = parseSmbTarget(target);
  if (t.port !== SMB_PORT) throw new PlatformError('unsupported', `mount_smbfs cannot use port ${t.port}; only ${SMB_PORT}`);
  const u = user ?? t.user;
  const d = domain ?? t.domain;
  const who = u === undefined ? '' : `${d === undefined ? '' : `${encodeURIComponent(d)};`}${encodeURIComponent(u)}@`;
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  const parts = [t.share, ...(t.path === '' ? [] : t.path.split('/'))].map(encodeURIComponent);
  return `//${who}${host}/${parts.join('/')}`;
}

export class MacSmbAdapter implements DriveMappingAdapter {
  readonly platform = 'macos' as const;

  constructor(private readonly run: RunCommand) {}

  async list(): Promise<OsMapping[]> {
    const r = await this.run(MOUNT, ['-t', 'smbfs']);
    if (r.code !== 0) throw commandFailure('mount', r.code, r.stderr);
    return parseMacMountOutput(r.stdout);
  }

  async map(req: MapRequest): Promise<void> {
    const dir = checkFolder(req.localPath);
    const remote = macRemoteFromTarget(req.target, req.user, req.domain);
    const made = await this.run(MKDIR, ['-p', dir]);
    if (made.code !== 0) throw commandFailure(`mkdir ${dir}`, made.code, made.stderr);
    // -N: no password prompt; the keychain supplies it (see the top of this file).
    const r = await this.run(MOUNT_SMBFS, ['-N', remote, dir]);
    if (r.code !== 0) throw commandFailure(`mount_smbfs ${remote}`, r.code, r.stderr, req.password);
  }

  async unmap(localPath: string): Promise<void> {
    const dir = checkFolder(localPath);
    const r = await this.run(UMOUNT, [dir]);
    if (r.code !== 0) throw commandFailure(`umount ${dir}`, r.code, r.stderr);
  }
}

function checkFolder(p: string): string {
  // Absolute, so it can never be read as an option by mkdir, mount_smbfs or umount.
  if (typeof p !== 'string' || !isAbsolute(p) || !p.startsWith('/')) throw new PlatformError('invalid', `"${p}" is not an absolute folder`);
  return p;
}
