// Windows and macOS: `mount` maps the drive with the OS's own SMB client through main/platform's
// adapter (New-SmbMapping -Persistent with the password on stdin; mount_smbfs -N with the keychain),
// and while this process runs it looks after the mapping: on every state change of the drive it
// reads the OS's view (Get-SmbMapping's numeric Status, mount(8)); once the supervisor's own probe
// says the server is back, or an alternate target won, a mapping the OS still shows Disconnected or
// Unavailable (Windows' `net use` "Unavailable" after a VPN switch) is removed and made again, to
// the target that answered. The mapping outlives this process: the OS keeps it.
import type { DriveMappingAdapter, MappingStatus, OsMapping } from '../platform/index.js';
import type { DriveSupervisor, TransitionEvent } from '../supervisor/index.js';
import type { MountBackend, MountedHandle, MountTarget } from './backend.js';
import { defaultMountPoint } from './mount-point.js';

export type SupervisorForMappings = Pick<DriveSupervisor, 'status' | 'onTransition'>;

export interface OsMappingBackendOptions {
  adapter: DriveMappingAdapter;
  supervisor: SupervisorForMappings;
  /** The drive's password for Windows (given to PowerShell on stdin); macOS uses its keychain. */
  secretFor?: (drive: MountTarget) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
}

/** What the OS shows for a mapping that no longer reaches its server. */
export const BROKEN: ReadonlySet<MappingStatus> = new Set<MappingStatus>(['disconnected', 'unavailable', 'network-error']);

const LETTERS = 'ZYXWVUTSRQPONMLKJIHGFED';

export class OsMappingBackend implements MountBackend {
  readonly kind: 'windows' | 'macos';
  readonly served = false;
  private readonly log: (message: string) => void;

  constructor(private readonly opts: OsMappingBackendOptions) {
    if (opts.adapter.platform === 'linux') throw new Error('on Linux drives are mounted through FUSE');
    this.kind = opts.adapter.platform;
    this.log = opts.log ?? (() => undefined);
  }

  async defaultMountPoint(drive: MountTarget): Promise<string> {
    if (this.kind === 'macos') return defaultMountPoint(drive.name, this.opts.env);
    // The last free letter, as Explorer's "Map network drive" offers it.
    const used = new Set((await this.opts.adapter.list()).map((m) => m.localPath.toUpperCase()));
    const letter = [...LETTERS].find((l) => !used.has(`${l}:`));
    if (letter === undefined) throw new Error('no free drive letter');
    return `${letter}:`;
  }

  async mount(drive: MountTarget, mountPoint: string): Promise<MountedHandle> {
    const local = this.kind === 'windows' ? mountPoint.toUpperCase() : mountPoint;
    const existing = await this.find(local);
    // Adopt a mapping the OS already has (made by an earlier `mount`); otherwise make it.
    if (existing === undefined) await this.map(drive, local);
    else this.log(`${drive.name}: ${local} is already mapped (${existing.status})`);
    const keeper = new MappingKeeper(this, drive, local);
    const off = this.opts.supervisor.onTransition((e) => {
      if (e.driveId === drive.id) keeper.changed(e);
    });
    return {
      mountPoint: local,
      unmount: async () => {
        off();
        await keeper.idle();
        await this.opts.adapter.unmap(local);
      },
      release: async () => {
        off();
        await keeper.idle();
      },
    };
  }

  async isMounted(mountPoint: string): Promise<boolean> {
    return (await this.find(mountPoint).catch(() => undefined)) !== undefined;
  }

  async forceUnmount(mountPoint: string): Promise<'unmounted' | 'not-mounted'> {
    if (!(await this.isMounted(mountPoint))) return 'not-mounted';
    await this.opts.adapter.unmap(mountPoint);
    return 'unmounted';
  }

  async find(local: string): Promise<OsMapping | undefined> {
    const same = (a: string): boolean => (this.kind === 'windows' ? a.toUpperCase() === local.toUpperCase() : a === local);
    return (await this.opts.adapter.list()).find((m) => same(m.localPath));
  }

  async map(drive: MountTarget, local: string, target = this.connectedTarget(drive)): Promise<void> {
    const password = this.kind === 'windows' ? await this.opts.secretFor?.(drive) : undefined;
    await this.opts.adapter.map({
      localPath: local,
      target,
      ...(drive.user === undefined ? {} : { user: drive.user }),
      ...(drive.domain === undefined ? {} : { domain: drive.domain }),
      ...(password === undefined ? {} : { password }),
      persistent: true,
    });
  }

  /** The target the supervisor is connected to (an alternate after a VPN switch), else the primary. */
  connectedTarget(drive: MountTarget): string {
    try {
      const s = this.opts.supervisor.status(drive.id).state;
      if (s.kind === 'connected') return s.target;
    } catch {
      // not supervised: the configured target
    }
    return drive.target;
  }

  logLine(m: string): void {
    this.log(m);
  }

  unmapNow(local: string): Promise<void> {
    return this.opts.adapter.unmap(local);
  }
}

/** Checks one mapping on each state change, one check at a time. */
class MappingKeeper {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly backend: OsMappingBackend,
    private readonly drive: MountTarget,
    private readonly local: string,
  ) {}

  changed(e: TransitionEvent): void {
    this.queue = this.queue.then(() => this.check(e)).catch((err: unknown) => this.backend.logLine(`${this.drive.name}: ${this.local}: ${err instanceof Error ? err.message : String(err)}`));
  }

  idle(): Promise<void> {
    return this.queue;
  }

  private async check(e: TransitionEvent): Promise<void> {
    const m = await this.backend.find(this.local);
    this.backend.logLine(`${this.drive.name}: drive ${e.to}, OS mapping ${m?.status ?? 'missing'}`);
    if (e.state.kind !== 'connected') return;
    if (m !== undefined && !BROKEN.has(m.status)) return;
    // Our probe reached the server (perhaps through an alternate): make the OS mapping again there.
    if (m !== undefined) await this.backend.unmapNow(this.local);
    await this.backend.map(this.drive, this.local, e.state.target);
  }
}
