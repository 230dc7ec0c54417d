// What a platform does to mount a drive. Linux: our FUSE file system (fuse-backend.ts). Windows
// and macOS: the OS's own SMB client through main/platform's adapters (os-mapping-backend.ts).
export interface MountTarget {
  id: string;
  name: string;
  /** smb://host[:port]/share[/path] as configured (the supervisor may connect to an alternate). */
  target: string;
  user?: string;
  domain?: string;
  /** The drive's configured mount point, if any. */
  mountPoint?: string;
}

export interface MountedHandle {
  /** Where it is: a folder, or a drive letter on Windows. */
  readonly mountPoint: string;
  /** Takes the mount away (the folder stays, empty). */
  unmount(): Promise<void>;
  /**
   * This process stops looking after it. A FUSE mount cannot outlive its process, so it unmounts;
   * an OS mapping stays for the OS to keep (and the next `watch` to look after).
   */
  release(): Promise<void>;
}

export interface MountBackend {
  readonly kind: 'fuse' | 'windows' | 'macos';
  /** Needs a process to serve it (FUSE): one per drive, guarded by a lock file. */
  readonly served: boolean;
  defaultMountPoint(drive: MountTarget): Promise<string>;
  mount(drive: MountTarget, mountPoint: string): Promise<MountedHandle>;
  /** Whether the OS shows `mountPoint` mounted now (for `drives`), without asking the server. */
  isMounted(mountPoint: string): Promise<boolean>;
  /** Unmounts what another process (or a crash) left at `mountPoint`. */
  forceUnmount(mountPoint: string): Promise<'unmounted' | 'lazy' | 'not-mounted'>;
}
