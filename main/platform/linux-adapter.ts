// Linux: the OS mapping will be our own FUSE file system over protocol/, which comes later.
// Until then this adapter says so plainly instead of shelling out to mount.cifs (root-only).
import { PlatformError, type DriveMappingAdapter, type OsMapping } from './drive-mapping-adapter.js';

export const LINUX_UNSUPPORTED = 'Mapping a share into the Linux file system needs the FUSE mount, which is not built yet; browse it in the app instead';

export class LinuxAdapter implements DriveMappingAdapter {
  readonly platform = 'linux' as const;

  async list(): Promise<OsMapping[]> {
    return [];
  }

  async map(): Promise<void> {
    throw new PlatformError('unsupported', LINUX_UNSUPPORTED);
  }

  async unmap(): Promise<void> {
    throw new PlatformError('unsupported', LINUX_UNSUPPORTED);
  }
}
