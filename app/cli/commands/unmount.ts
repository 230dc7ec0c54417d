// `sharekeeper unmount NAME` — takes the drive's mount away and stops keeping it mounted. Works
// while the server is gone: the process serving the mount is asked to stop (SIGTERM; it answers
// nothing from the network on the way out), then `fusermount -u`, and if the folder is busy or the
// process dead, the lazy `fusermount -uz` as the last resort. A drive kept mounted by `watch` is
// unmounted by that process itself when it sees the drive's `mount` flag cleared.
import { defaultMountPoint, FUSE_TYPE, processAlive, readMountLock, readMounts } from '../../../main/mount/index.js';
import type { Command } from './command.js';
import { findDrive, withServices } from './drive-context.js';
import { mountsFor, mountTarget } from './mount.js';

const STOP_WAIT_MS = 5000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function fuseMountedAt(dir: string): Promise<boolean> {
  return (await readMounts()).some((m) => m.mountPoint === dir && m.fsType === FUSE_TYPE);
}

async function waitUntil(f: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await f()) return true;
    if (Date.now() >= end) return false;
    await sleep(100);
  }
}

export const unmountCommand: Command = {
  name: 'unmount',
  usage: 'unmount NAME',
  summary: 'unmount a drive (also while its server is gone) and stop keeping it mounted',
  details: ['The folder stays, empty. `sharekeeper mount NAME` mounts it again.'],
  minArgs: 1,
  maxArgs: 1,
  options: [],
  async run(ctx, [name]) {
    await withServices(ctx, async (services) => {
      const drive = await findDrive(services, name as string);
      if (drive.options.mount) await services.registry.update(drive.id, { options: { ...drive.options, mount: false } });
      if (process.platform === 'win32' || process.platform === 'darwin') {
        const manager = mountsFor(ctx, services, 'mount');
        const where = await manager.mountPointOf(mountTarget(drive));
        const how = await manager.backend.forceUnmount(where);
        ctx.io.stdout.write(how === 'not-mounted' ? `${drive.name} was not mounted\n` : `${drive.name} unmounted from ${where}\n`);
        return;
      }
      const holder = await readMountLock(services.configDir, drive.id);
      // Where the serving process says it is (a --foreground mount need not be the drive's mountPoint).
      const where = holder?.mountPoint ?? drive.options.mountPoint ?? defaultMountPoint(drive.name, ctx.io.env as NodeJS.ProcessEnv);
      if (holder && holder.holder !== 'watch') process.kill(holder.pid, 'SIGTERM');
      const gone = () => fuseMountedAt(where).then((m) => !m);
      let how = 'unmounted';
      if (!(await waitUntil(gone, holder ? STOP_WAIT_MS : 0))) {
        // The serving process is gone, stuck, or slow: take the mount away from the outside.
        const { unmountFuse } = await import('../../../main/mount/index.js');
        const r = await unmountFuse(where);
        if (r === 'lazy') how = 'lazily unmounted (still in use; it goes when the last program lets go)';
        if (r === 'not-mounted' && !holder) how = 'not-mounted';
      }
      if (holder && holder.holder !== 'watch' && (await waitUntil(async () => !processAlive(holder.pid), 2000)) === false) process.kill(holder.pid, 'SIGKILL');
      ctx.io.stdout.write(how === 'not-mounted' ? `${drive.name} was not mounted\n` : `${drive.name} ${how} from ${where}\n`);
    });
  },
};
