// Linux: a drive mounted as a folder through FUSE, served by this process with SmbFileSystem.
import { parseSmbTarget } from '../drives/index.js';
import type { MountBackend, MountedHandle, MountTarget } from './backend.js';
import type { GateTimings } from './drive-link.js';
import type { FuseBinding } from './fuse-binding.js';
import { defaultMountPoint, prepareMountPoint } from './mount-point.js';
import { FUSE_SUBTYPE, ourMountAt, unmountFuse } from './mount-table.js';
import { SmbFileSystem, type SmbFsOptions } from './smb-fs.js';
import { supervisorLink, type SupervisorForMounts } from './supervisor-link.js';

export interface FuseBackendOptions {
  supervisor: SupervisorForMounts;
  binding: FuseBinding;
  env?: NodeJS.ProcessEnv;
  /** File system tuning (deadlines, cache, read-ahead) for tests and the benchmark. */
  fs?: Omit<SmbFsOptions, 'link' | 'rootPath'> & { timings?: GateTimings; kernel?: KernelCacheOptions };
  log?: (message: string) => void;
}

/** The kernel's own attribute and entry cache, seconds (FuseMountOptions; default 1 each). */
export interface KernelCacheOptions {
  attrTimeoutS?: number;
  entryTimeoutS?: number;
}

/** How long mounting waits to learn whether the share is read-only (the mount goes on anyway). */
const WARM_UP_MS = 5000;
/** How long unmounting waits for held writes to reach the server. */
const DRAIN_MS = 15_000;

/** //host/share/path, as /proc/mounts shows the source. */
export function fsNameOf(target: string): string {
  try {
    const t = parseSmbTarget(target);
    return `//${t.host}/${t.share}${t.path ? `/${t.path}` : ''}`;
  } catch {
    return 'sharekeeper';
  }
}

function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

export class FuseBackend implements MountBackend {
  readonly kind = 'fuse' as const;
  readonly served = true;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: FuseBackendOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  async defaultMountPoint(drive: MountTarget): Promise<string> {
    return defaultMountPoint(drive.name, this.opts.env);
  }

  async mount(drive: MountTarget, mountPoint: string): Promise<MountedHandle & { fs: SmbFileSystem }> {
    const dir = await prepareMountPoint(mountPoint);
    const rootPath = this.opts.supervisor.status(drive.id).rootPath;
    const { kernel, ...fsOpts } = this.opts.fs ?? {};
    const fs = new SmbFileSystem({ ...fsOpts, link: supervisorLink(this.opts.supervisor, drive.id), rootPath, log: (m) => this.log(`${drive.name}: ${m}`) });
    await within(fs.warmUp(), WARM_UP_MS);
    const fuse = await this.opts.binding.mount(dir, fs, { fsName: fsNameOf(drive.target), subtype: FUSE_SUBTYPE, ...kernel });
    // Changes heard through CHANGE_NOTIFY reach the kernel's cache too (change-watch.ts).
    fs.state.attachKernel((path) => fuse.invalidatePath(path));
    let gone: Promise<void> | undefined;
    const unmount = (): Promise<void> =>
      (gone ??= (async () => {
        fs.state.attachKernel(undefined);
        await fuse.unmount().catch(async (e: unknown) => {
          this.log(`${drive.name}: unmount: ${e instanceof Error ? e.message : String(e)}; trying fusermount`);
          await unmountFuse(dir);
        });
        // The kernel sends nothing more: what it handed us still goes to the server, within a bound.
        await within(fs.closeAll(), DRAIN_MS);
      })());
    return { mountPoint: dir, fs, unmount, release: unmount };
  }

  async isMounted(mountPoint: string): Promise<boolean> {
    return (await ourMountAt(mountPoint)) !== undefined;
  }

  forceUnmount(mountPoint: string): Promise<'unmounted' | 'lazy' | 'not-mounted'> {
    return unmountFuse(mountPoint);
  }
}
