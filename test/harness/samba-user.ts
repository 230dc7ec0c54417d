// The Unix account behind the test user and its Samba password. smbd maps an SMB user to a Unix
// user, so the account must exist; its Samba password lives in this instance's own passdb.tdb.
import { userInfo } from 'node:os';
import { runCommand } from './run-command.js';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

async function unixUid(user: string): Promise<number | undefined> {
  const r = await runCommand('id', ['-u', user], { timeoutMs: 10_000 });
  return r.code === 0 ? Number(r.stdout.trim()) : undefined;
}

/** Returns the uid of `user`, creating a login-less account without a home when root and missing. */
export async function ensureUnixUser(user: string): Promise<number> {
  const existing = await unixUid(user);
  if (existing !== undefined) return existing;
  if (!isRoot()) {
    throw new Error(`Unix user ${user} does not exist and we are ${userInfo().username}, not root: create it first`);
  }
  const r = await runCommand('useradd', ['-M', '-s', '/usr/sbin/nologin', user], { timeoutMs: 30_000 });
  // Another test process may have created it at the same moment; only a still-missing user is an error.
  const uid = await unixUid(user);
  if (uid === undefined) throw new Error(`useradd ${user} failed (${r.code}): ${r.stderr}`);
  return uid;
}

/**
 * Sets the Samba password of `user` in the instance configured by confPath. The password goes
 * through stdin (`smbpasswd -s` reads it twice), never argv. `prefix` is the command wrapper
 * (unshare + mount script) that keeps smbpasswd away from the host's Samba directories.
 */
export async function setSambaPassword(prefix: readonly string[], confPath: string, user: string, password: string): Promise<void> {
  const [file, ...pre] = [...prefix, 'smbpasswd'];
  if (file === undefined) throw new Error('unreachable');
  const r = await runCommand(file, [...pre, '-c', confPath, '-s', '-a', user], {
    input: `${password}\n${password}\n`,
    timeoutMs: 30_000,
  });
  if (r.code !== 0) throw new Error(`smbpasswd -a ${user} failed (${r.code}): ${r.stdout}${r.stderr}`);
}
