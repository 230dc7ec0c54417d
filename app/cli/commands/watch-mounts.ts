// What `watch` does for mounted drives: every drive whose `mount` flag is set is mounted here unless
// another process (a `mount` background process) already serves it, and stays mounted across
// disconnects (operations fail fast while the server is gone and resume when the supervisor is
// back, on an alternate target if that won). A registry change mounts or unmounts it.
import type { Drive, Services } from '../../../main/index.js';
import { MountBusyError, MountUnsupportedError, type MountManager } from '../../../main/mount/index.js';
import type { RunContext } from '../connection.js';
import { mountsFor, mountTarget } from './mount.js';

export async function keepMounted(ctx: RunContext, services: Services, drives: readonly Drive[]): Promise<void> {
  const wanted = drives.filter((d) => d.options.mount);
  let manager: MountManager;
  try {
    manager = mountsFor(ctx, services, 'watch');
  } catch (e) {
    if (wanted.length > 0 && e instanceof MountUnsupportedError) ctx.io.stderr.write(`sharekeeper: ${e.message}\n`);
    return;
  }
  const ensure = async (d: Drive): Promise<void> => {
    if (!d.options.mount) {
      if (manager.isMountedHere(d.id)) await manager.unmount(d.id);
      return;
    }
    if (manager.isMountedHere(d.id)) return;
    try {
      const h = await manager.mount(mountTarget(d));
      ctx.logger.log(1, `${d.name}: mounted at ${h.mountPoint}`);
    } catch (e) {
      // Served by a `mount` process already: that one keeps it.
      if (e instanceof MountBusyError) ctx.logger.log(1, `${d.name}: ${e.message}`);
      else ctx.io.stderr.write(`sharekeeper: cannot mount ${d.name}: ${e instanceof Error ? e.message : String(e)}\n`);
    }
  };
  for (const d of wanted) await ensure(d);
  services.registry.onDidChange((e) => {
    if (e.type === 'updated' || e.type === 'added') void ensure(e.drive);
    if (e.type === 'removed') void manager.unmount(e.drive.id);
  });
}
