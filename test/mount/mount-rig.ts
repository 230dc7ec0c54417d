// One mount suite's world: a real Samba (test/harness), a DriveSupervisor connected to one of its
// shares, and that share mounted through the real FUSE module by the same MountManager the CLI
// uses, in a temp folder. Programs run against the mount as child processes (asynchronously:
// this process answers the kernel's FUSE requests, so it must never block on them).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMountManager, loadFuseBinding, type MountManager, type SmbFileSystem } from '../../main/mount/index.js';
import { DriveSupervisor, type DriveStateKind, type SupervisedDrive } from '../../main/supervisor/index.js';
import { startSamba, type SambaOptions, type SambaServer } from '../harness/samba-server.js';

/** What Samba needs to grant durable handles (smb.conf(5), "durable handles"). */
export const DURABLE_CONF = ['durable handles = yes', 'kernel oplocks = no', 'kernel share modes = no', 'posix locking = no'];

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}

/** Why the FUSE suites cannot run here, or undefined. */
export function fuseSkipReason(): string | undefined {
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  if (!onPath('fusermount') && !onPath('fusermount3')) return 'no fusermount (apt-get install fuse3)';
  const loaded = loadFuseBinding();
  if ('problem' in loaded) return loaded.problem;
  if (process.getuid?.() !== 0 && !onPath('fusermount')) return 'mounting as a user needs fusermount';
  return undefined;
}

export const skipReason = fuseSkipReason();
if (skipReason !== undefined) console.log(`[mount] skipped: ${skipReason}`);

/** The binding the suites mount with (SHAREKEEPER_FUSE picks; see main/mount/load-fuse.ts). */
export const bindingName = skipReason === undefined ? (loadFuseBinding() as { binding: { name: string } }).binding.name : undefined;
if (bindingName !== undefined) console.log(`[mount] FUSE binding: ${bindingName}`);
/** Why mtimes cannot be set through the mount (npm fuse-native passes atime as mtime), or false. */
export const mtimeSkip = skipReason !== undefined || bindingName !== 'sharekeeper-fuse3';

export interface MountRig {
  server: SambaServer;
  supervisor: DriveSupervisor;
  mounts: MountManager;
  /** The mounted folder. */
  dir: string;
  /** Scratch space outside the mount. */
  scratch: string;
  /** The share's folder on the server's disk (to compare what arrived). */
  shareDir: string;
  fs: SmbFileSystem;
  close(): Promise<void>;
}

export interface RigOptions {
  share?: string;
  samba?: SambaOptions;
  /** An existing server (a network-namespace lab's); the rig then does not stop it. */
  server?: SambaServer;
  host?: string;
  /** Connect here instead of the server's port (a forwarder in front of it). */
  port?: number;
  connectTimeoutMs?: number;
  fs?: Parameters<typeof createMountManager>[0]['fs'];
}

export async function openMountRig(opts: RigOptions = {}): Promise<MountRig> {
  const share = opts.share ?? 'private';
  const server = opts.server ?? (await startSamba({ ...opts.samba, extra: [...DURABLE_CONF, ...(opts.samba?.extra ?? [])] }));
  const scratch = await mkdtemp(join(tmpdir(), 'sk-mount-'));
  const drive: SupervisedDrive = {
    id: 'm1',
    name: 'mounted',
    target: `smb://${opts.host ?? server.host}:${opts.port ?? server.port}/${share}`,
    alternates: [],
    user: server.user,
    options: {},
    persistent: true,
  };
  const supervisor = new DriveSupervisor({
    credentials: async () => ({ kind: 'user', user: server.user, password: server.password }),
    connectTimeoutMs: opts.connectTimeoutMs ?? 3000,
  });
  supervisor.add(drive);
  await waitState(supervisor, drive.id, 'connected', 15_000);
  const mounts = createMountManager({ supervisor, ...(opts.fs ? { fs: opts.fs } : {}), log: (m) => process.env['SK_MOUNT_LOG'] && console.log(`[mount] ${m}`) });
  const dir = join(scratch, 'mnt');
  const handle = (await mounts.mount({ id: drive.id, name: drive.name, target: drive.target }, dir)) as unknown as { mountPoint: string; fs: SmbFileSystem };
  return {
    server,
    supervisor,
    mounts,
    dir: handle.mountPoint,
    scratch,
    shareDir: server.shareDir(share),
    fs: handle.fs,
    async close() {
      await mounts.dispose().catch(() => undefined);
      await supervisor.dispose();
      if (!opts.server) await server.stop();
      await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}

export function waitState(s: DriveSupervisor, id: string, kind: DriveStateKind, ms: number): Promise<void> {
  if (s.status(id).state.kind === kind) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`drive ${id} not ${kind} within ${ms} ms (${s.status(id).state.kind}: ${s.status(id).state.diagnosis.message})`));
    }, ms);
    const off = s.onTransition((e) => {
      if (e.driveId !== id || e.to !== kind) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export interface ShResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * A shell command, run asynchronously with a deadline (a hung mount fails the test, not the run).
 * Never give a cwd inside the mount: libuv's spawn blocks this process until the child's exec, and
 * a child changing into the mount waits for this process to answer FUSE. `cd` in the command instead.
 */
export function sh(command: string, opts: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ShResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', command],
      { cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...opts.env } },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - t0 });
      },
    );
  });
}

/** Like sh, but throws with the output unless the command succeeds. */
export async function ok(command: string, opts: Parameters<typeof sh>[1] = {}): Promise<ShResult> {
  const r = await sh(command, opts);
  if (r.code !== 0) throw new Error(`\`${command}\` failed (${r.code}) after ${r.ms} ms:\n${r.stderr}${r.stdout}`);
  return r;
}
