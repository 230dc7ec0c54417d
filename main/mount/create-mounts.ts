// The composition of mounts for an entry point: the backend for this OS (FUSE on Linux, the OS's
// SMB client on Windows and macOS) and the MountManager over the supervisor.
import { createDriveMappingAdapter, type DriveMappingAdapter } from '../platform/index.js';
import type { DriveSupervisor } from '../supervisor/index.js';
import type { MountBackend, MountTarget } from './backend.js';
import type { FuseBinding } from './fuse-binding.js';
import { FuseBackend, type FuseBackendOptions } from './fuse-backend.js';
import { loadFuseBinding } from './load-fuse.js';
import { MountManager } from './mount-manager.js';
import { OsMappingBackend } from './os-mapping-backend.js';

export class MountUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MountUnsupportedError';
  }
}

export interface CreateMountsOptions {
  supervisor: Pick<DriveSupervisor, 'status' | 'acquire' | 'onTransition' | 'checkAlive' | 'history' | 'onDispose'>;
  configDir?: string;
  /** Who holds the mounts (written into their lock files). */
  holder?: 'mount' | 'watch' | 'test';
  platform?: NodeJS.Platform;
  /** FUSE module (default: load-fuse.ts picks ours or fuse-native, loaded now); tests pass a fake. */
  binding?: FuseBinding;
  /** OS adapter for Windows/macOS (default: the platform's, running real commands). */
  adapter?: DriveMappingAdapter;
  secretFor?: (drive: MountTarget) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
  fs?: FuseBackendOptions['fs'];
  log?: (message: string) => void;
}

/** The backend for this platform, or why drives cannot be mounted here. */
export function createMountBackend(opts: CreateMountsOptions): MountBackend {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32' || platform === 'darwin') {
    return new OsMappingBackend({
      adapter: opts.adapter ?? createDriveMappingAdapter(platform),
      supervisor: opts.supervisor,
      ...(opts.secretFor ? { secretFor: opts.secretFor } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
  }
  let binding = opts.binding;
  if (!binding) {
    const loaded = loadFuseBinding();
    if ('problem' in loaded) throw new MountUnsupportedError(`cannot mount here: ${loaded.problem}`);
    binding = loaded.binding;
  }
  return new FuseBackend({ supervisor: opts.supervisor, binding, ...(opts.env ? { env: opts.env } : {}), ...(opts.fs ? { fs: opts.fs } : {}), ...(opts.log ? { log: opts.log } : {}) });
}

export function createMountManager(opts: CreateMountsOptions): MountManager {
  return new MountManager({
    supervisor: opts.supervisor,
    backend: createMountBackend(opts),
    ...(opts.configDir ? { configDir: opts.configDir } : {}),
    ...(opts.holder ? { holder: opts.holder } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
}
