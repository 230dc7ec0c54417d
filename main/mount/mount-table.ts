// What is mounted where, from the kernel's own table (/proc/self/mountinfo, proc(5)), and how to
// take a FUSE mount away: `fusermount -u` (fusermount3 or the FUSE 2 one, whichever is there),
// and when the folder is busy or its server gone, the lazy `-uz` (detached now, freed when the
// last user lets go) as the last resort. Every command has a deadline.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export const FUSE_SUBTYPE = 'sharekeeper';
export const FUSE_TYPE = `fuse.${FUSE_SUBTYPE}`;

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** mountinfo escapes space, tab, newline and backslash as \\ooo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function parseMountInfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    if (left.length < 5 || right.length < 2) continue;
    out.push({ mountPoint: unescape(left[4]!), fsType: right[0]!, source: unescape(right[1]!) });
  }
  return out;
}

export async function readMounts(path = '/proc/self/mountinfo'): Promise<MountEntry[]> {
  try {
    return parseMountInfo(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
}

/** Our FUSE mount at `dir`, if the kernel has one. */
export async function ourMountAt(dir: string): Promise<MountEntry | undefined> {
  return (await readMounts()).find((m) => m.mountPoint === dir && m.fsType === FUSE_TYPE);
}

export async function isMountPoint(dir: string): Promise<boolean> {
  return (await readMounts()).some((m) => m.mountPoint === dir);
}

export interface CommandResult {
  code: number | null;
  stderr: string;
}

export type Exec = (file: string, args: readonly string[], timeoutMs: number) => Promise<CommandResult>;

export const execCommand: Exec = (file, args, timeoutMs) =>
  new Promise((resolve) => {
    execFile(file, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (err, _stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : null;
      resolve({ code, stderr: String(stderr) });
    });
  });

const FUSERMOUNTS = ['fusermount3', 'fusermount'];

/**
 * Unmounts a FUSE mount: plainly first; if that fails (busy, or a dead endpoint), lazily.
 * Resolves with how it went; 'not-mounted' when there was nothing to do.
 */
export async function unmountFuse(dir: string, exec: Exec = execCommand, isMounted = isMountPoint): Promise<'unmounted' | 'lazy' | 'not-mounted'> {
  if (!(await isMounted(dir))) return 'not-mounted';
  let last = '';
  for (const lazy of [false, true]) {
    for (const tool of FUSERMOUNTS) {
      const r = await exec(tool, [lazy ? '-uz' : '-u', '--', dir], 5000).catch((e: unknown) => ({ code: null, stderr: String(e) }));
      if (r.code === 0 || !(await isMounted(dir))) return lazy ? 'lazy' : 'unmounted';
      last = `${tool}: ${r.stderr.trim()}`;
    }
    // As root, umount(8) works when no fusermount is installed.
    const u = await exec('umount', lazy ? ['-l', dir] : [dir], 5000).catch((e: unknown) => ({ code: null, stderr: String(e) }));
    if (u.code === 0 || !(await isMounted(dir))) return lazy ? 'lazy' : 'unmounted';
    last = `${last}; umount: ${u.stderr.trim()}`;
  }
  throw new Error(`cannot unmount ${dir}: ${last}`);
}
