// The mounts the supervisor owns in this process: one per drive, made through the platform's
// backend, and taken down (FUSE) or let go (OS mappings) before the supervisor closes its
// connections (its onDispose hook). For a FUSE mount the drive's lock file names the one process
// serving it, so `watch` and a `mount` daemon never both mount the same drive.
import type { DriveSupervisor } from '../supervisor/index.js';
import type { MountBackend, MountedHandle, MountTarget } from './backend.js';
import { takeMountLock, type MountLockInfo } from './mount-lock.js';

export class MountBusyError extends Error {
  constructor(readonly holder: MountLockInfo) {
    super(`the drive is already mounted at ${holder.mountPoint} by process ${holder.pid}`);
    this.name = 'MountBusyError';
  }
}

export interface MountManagerOptions {
  supervisor: Pick<DriveSupervisor, 'onDispose'>;
  backend: MountBackend;
  /** Where the lock files live (the config folder); without it no lock is taken (tests). */
  configDir?: string;
  /** Written into the lock, so `unmount` knows whether to stop the process or let it unmount. */
  holder?: MountLockInfo['holder'];
  log?: (message: string) => void;
}

interface Held {
  drive: MountTarget;
  handle: MountedHandle;
  unlock: () => Promise<void>;
}

export class MountManager {
  private readonly mounts = new Map<string, Held>();
  private readonly pending = new Map<string, Promise<MountedHandle>>();
  private disposed = false;

  constructor(private readonly opts: MountManagerOptions) {
    opts.supervisor.onDispose(() => this.dispose());
  }

  get backend(): MountBackend {
    return this.opts.backend;
  }

  /** Where `drive` is (or would be) mounted. */
  async mountPointOf(drive: MountTarget, dir?: string): Promise<string> {
    return dir ?? drive.mountPoint ?? (await this.opts.backend.defaultMountPoint(drive));
  }

  /** Mounts the drive (once; a second call for the same drive gets the same mount). */
  mount(drive: MountTarget, dir?: string): Promise<MountedHandle> {
    if (this.disposed) return Promise.reject(new Error('the mounts are being shut down'));
    const have = this.mounts.get(drive.id);
    if (have) return Promise.resolve(have.handle);
    let p = this.pending.get(drive.id);
    if (!p) {
      p = this.doMount(drive, dir).finally(() => this.pending.delete(drive.id));
      this.pending.set(drive.id, p);
    }
    return p;
  }

  private async doMount(drive: MountTarget, dir: string | undefined): Promise<MountedHandle> {
    const where = await this.mountPointOf(drive, dir);
    let unlock = async (): Promise<void> => undefined;
    if (this.opts.backend.served && this.opts.configDir !== undefined) {
      const lock = await takeMountLock(this.opts.configDir, drive.id, where, this.opts.holder ?? 'mount');
      if (!lock.ok) throw new MountBusyError(lock.holder);
      unlock = lock.release;
    }
    try {
      const handle = await this.opts.backend.mount(drive, where);
      this.mounts.set(drive.id, { drive, handle, unlock });
      this.opts.log?.(`${drive.name}: mounted at ${handle.mountPoint}`);
      return handle;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  isMountedHere(driveId: string): boolean {
    return this.mounts.has(driveId);
  }

  list(): { drive: MountTarget; mountPoint: string }[] {
    return [...this.mounts.values()].map((h) => ({ drive: h.drive, mountPoint: h.handle.mountPoint }));
  }

  /** Takes the drive's mount away. */
  async unmount(driveId: string): Promise<boolean> {
    const held = this.mounts.get(driveId);
    if (!held) return false;
    this.mounts.delete(driveId);
    try {
      await held.handle.unmount();
    } finally {
      await held.unlock();
    }
    this.opts.log?.(`${held.drive.name}: unmounted ${held.handle.mountPoint}`);
    return true;
  }

  /** Every mount released (FUSE unmounted, OS mappings left to the OS). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.allSettled([...this.pending.values()]);
    const all = [...this.mounts.values()];
    this.mounts.clear();
    await Promise.all(
      all.map(async (h) => {
        try {
          await h.handle.release();
        } catch (e) {
          this.opts.log?.(`${h.drive.name}: ${e instanceof Error ? e.message : String(e)}`);
        } finally {
          await h.unlock();
        }
      }),
    );
  }
}
