// One process serves a drive's mount: the `sharekeeper mount` daemon or `sharekeeper watch`. Each
// takes the drive's lock file (CONFIG/mounts/ID.json, made with O_EXCL) before mounting, holding
// its pid and the folder; a lock whose process is gone is stale and taken over. `unmount` reads
// it to stop the serving process.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface MountLockInfo {
  pid: number;
  /** Which kind of process serves it: a `mount` background process, or `watch`. */
  holder: 'mount' | 'watch' | 'test';
  mountPoint: string;
  driveId: string;
  since: string;
}

export function lockPath(configDir: string, driveId: string): string {
  return join(configDir, 'mounts', `${encodeURIComponent(driveId)}.json`);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's holder when it is alive, else undefined (a stale lock is removed). */
export async function readMountLock(configDir: string, driveId: string): Promise<MountLockInfo | undefined> {
  const path = lockPath(configDir, driveId);
  let info: MountLockInfo;
  try {
    info = JSON.parse(await readFile(path, 'utf8')) as MountLockInfo;
  } catch {
    return undefined;
  }
  if (typeof info.pid === 'number' && processAlive(info.pid)) return info;
  await rm(path, { force: true });
  return undefined;
}

/** Takes the lock, or returns the live holder that has it. */
export async function takeMountLock(configDir: string, driveId: string, mountPoint: string, holder: MountLockInfo['holder'] = 'mount'): Promise<{ ok: true; release: () => Promise<void> } | { ok: false; holder: MountLockInfo }> {
  const path = lockPath(configDir, driveId);
  await mkdir(join(configDir, 'mounts'), { recursive: true, mode: 0o700 });
  const info: MountLockInfo = { pid: process.pid, holder, mountPoint, driveId, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
      return { ok: true, release: async () => void (await releaseIfOurs(path)) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readMountLock(configDir, driveId);
      if (holder) return { ok: false, holder };
    }
  }
  throw new Error(`cannot take the mount lock ${path}`);
}

async function releaseIfOurs(path: string): Promise<void> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as MountLockInfo;
    if (info.pid === process.pid) await rm(path, { force: true });
  } catch {
    // gone already
  }
}
