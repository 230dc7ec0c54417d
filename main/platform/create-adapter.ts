// Picks the adapter for the running OS. The composition root calls this once and passes it on.
import type { DriveMappingAdapter } from './drive-mapping-adapter.js';
import { LinuxAdapter } from './linux-adapter.js';
import { MacSmbAdapter } from './macos-smb-adapter.js';
import { spawnCommand, type RunCommand } from './run-command.js';
import { WindowsSmbAdapter } from './windows-smb-adapter.js';

export function createDriveMappingAdapter(platform: NodeJS.Platform = process.platform, run: RunCommand = spawnCommand): DriveMappingAdapter {
  if (platform === 'win32') return new WindowsSmbAdapter(run);
  if (platform === 'darwin') return new MacSmbAdapter(run);
  return new LinuxAdapter();
}
