// The mount part of `drives`: each drive's mount point (configured, or the default it would get)
// and whether it is mounted now, read from the OS without asking any server.
import { escapeForTerminal, type Drive } from '../../../main/index.js';
import { defaultMountPoint, ourMountAt } from '../../../main/mount/index.js';
import type { RunContext } from '../connection.js';

export interface MountReport {
  mountPoint?: string;
  mounted: boolean;
  /** Kept mounted by `watch` and `mount` (the drive's mount flag). */
  keepMounted: boolean;
}

export async function mountInfo(ctx: RunContext, drives: readonly Drive[]): Promise<MountReport[]> {
  const linux = process.platform !== 'win32' && process.platform !== 'darwin';
  return Promise.all(
    drives.map(async (d) => {
      const configured = d.options.mountPoint;
      const mountPoint = configured ?? (linux ? defaultMountPoint(d.name, ctx.io.env as NodeJS.ProcessEnv) : undefined);
      // Windows and macOS: the OS mapping's state is what `sharekeeper mount` made; not asked here.
      const mounted = linux && mountPoint !== undefined ? (await ourMountAt(mountPoint)) !== undefined : false;
      return { ...(mountPoint === undefined || (!configured && !mounted) ? {} : { mountPoint }), mounted, keepMounted: d.options.mount === true };
    }),
  );
}

/** `Team  mounted at /home/me/ShareKeeper/Team`, one line per drive with a mount point. */
export function mountLines(drives: readonly Drive[], mounts: readonly MountReport[]): string {
  const lines: string[] = [];
  drives.forEach((d, i) => {
    const m = mounts[i];
    if (!m?.mountPoint) return;
    lines.push(escapeForTerminal(`${d.name}  ${m.mounted ? 'mounted at' : 'not mounted; mount point'} ${m.mountPoint}${m.keepMounted && !m.mounted ? ' (watch mounts it)' : ''}`));
  });
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}
