// `sharekeeper mount NAME [DIR] [--foreground]` — the drive as a folder. On Linux our FUSE file
// system, served by a background process this command starts (it answers the kernel until the
// drive is unmounted, reconnecting as the supervisor does); --foreground serves it here until
// Ctrl-C. On Windows and macOS the OS's own SMB client maps it (a drive letter, a mount_smbfs
// folder) and keeps it. The folder defaults to ~/ShareKeeper/NAME (a free letter on Windows) and
// is saved as the drive's mountPoint; `watch` keeps every drive mounted that was mounted this way.
// The password never goes on a command line or into the background process's environment: it is
// handed over through the IPC channel (or read from the keychain by the background process).
import { spawn } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { driveAccount, type Drive, type Services } from '../../../main/index.js';
import { createMountManager, lockPath, MountBusyError, ourMountAt, type MountManager, type MountTarget } from '../../../main/mount/index.js';
import type { RunContext } from '../connection.js';
import { PASSWORD_ENV } from '../credentials.js';
import { CommandError, UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { findDrive, withServices } from './drive-context.js';
import { nextStopSignal } from './watch.js';

/** How long the command waits for the background process to report the mount. */
const START_TIMEOUT_MS = 30_000;
/** The mount process notices an unmount made behind its back (fusermount -u) this often. */
const WATCH_MOUNT_MS = 2000;

export function mountTarget(d: Drive): MountTarget {
  return {
    id: d.id,
    name: d.name,
    target: d.target,
    ...(d.user === undefined ? {} : { user: d.user }),
    ...(d.domain === undefined ? {} : { domain: d.domain }),
    ...(d.options.mountPoint === undefined ? {} : { mountPoint: d.options.mountPoint }),
  };
}

/** The mounts for this run, over the services' supervisor. */
export function mountsFor(ctx: RunContext, services: Services, holder: 'mount' | 'watch'): MountManager {
  return createMountManager({
    supervisor: services.supervisor,
    configDir: services.configDir,
    env: ctx.io.env as NodeJS.ProcessEnv,
    holder,
    secretFor: async (d) => {
      const account = driveAccount({ target: d.target, ...(d.user === undefined ? {} : { user: d.user }), ...(d.domain === undefined ? {} : { domain: d.domain }) });
      return account === undefined ? undefined : services.credentials.get(account);
    },
    log: (m) => ctx.logger.log(1, m),
  });
}

/** Saves where the drive is mounted and that it should stay so. */
async function remember(services: Services, drive: Drive, mountPoint: string, mount: boolean): Promise<void> {
  if (drive.options.mountPoint === mountPoint && drive.options.mount === mount) return;
  await services.registry.update(drive.id, { options: { ...drive.options, mountPoint, mount } });
}

/** The drive's password, for the background process (keychain, env, --password-stdin, prompt). */
async function secretFor(services: Services, drive: Drive): Promise<string | undefined> {
  const account = driveAccount(drive);
  if (account === undefined) return undefined;
  return services.credentials.get(account).catch(() => undefined);
}

/** Mounts `drive` (used by `mount` and `map --mount`); resolves with the folder. */
export async function mountDrive(ctx: RunContext, services: Services, drive: Drive, dir: string | undefined): Promise<string> {
  const manager = mountsFor(ctx, services, 'mount');
  const where = await manager.mountPointOf(mountTarget(drive), dir);
  if (!manager.backend.served) {
    // Windows, macOS: the OS keeps the mapping; nothing runs after us.
    await services.loadDrives({ filter: (d) => d.id === drive.id, connect: true });
    const h = await manager.mount(mountTarget(drive), where);
    await remember(services, drive, h.mountPoint, true);
    await manager.dispose();
    return h.mountPoint;
  }
  if (await ourMountAt(where)) throw new CommandError(`${drive.name} is already mounted at ${where}`);
  const secret = await secretFor(services, drive);
  await remember(services, drive, where, true);
  await startBackground(ctx, services, drive, where, secret);
  return where;
}

async function startBackground(ctx: RunContext, services: Services, drive: Drive, where: string, secret: string | undefined): Promise<void> {
  const logDir = join(services.configDir, 'mounts');
  await mkdir(logDir, { recursive: true, mode: 0o700 });
  const log = await open(join(logDir, `${encodeURIComponent(drive.id)}.log`), 'a', 0o600);
  const env = { ...(ctx.io.env as NodeJS.ProcessEnv) };
  delete env[PASSWORD_ENV];
  const args = [process.argv[1] ?? 'sharekeeper', 'mount', drive.id, where, '--foreground'];
  if (ctx.options.debug > 0) args.push('-d', String(ctx.options.debug));
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log.fd, log.fd, 'ipc'], env });
  await log.close();
  child.send({ secret: secret ?? null });
  const report = await new Promise<{ ok: boolean; message?: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, message: `no answer within ${START_TIMEOUT_MS / 1000} s (see ${join(logDir, `${drive.id}.log`)})` }), START_TIMEOUT_MS);
    child.once('message', (m: { ok: boolean; message?: string }) => {
      clearTimeout(timer);
      resolve(m);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: false, message: `the mount process exited (${code}); see ${join(logDir, `${drive.id}.log`)}` });
    });
  });
  if (!report.ok) {
    child.kill('SIGTERM');
    throw new CommandError(`cannot mount ${drive.name} at ${where}: ${report.message ?? 'unknown error'}`);
  }
  child.disconnect();
  child.unref();
}

/** Waits for a password handed over by the command that started us (IPC), briefly. */
function handedSecret(): Promise<string | undefined> {
  if (!process.send) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    process.once('message', (m: { secret?: string | null }) => {
      clearTimeout(timer);
      resolve(typeof m?.secret === 'string' ? m.secret : undefined);
    });
  });
}

/** --foreground: serve the mount in this process until a signal or an unmount from outside. */
async function serve(ctx: RunContext, drive: Drive, where: string): Promise<void> {
  const stop = nextStopSignal();
  const secret = await handedSecret();
  const tell = (m: { ok: boolean; message?: string }): void => {
    if (process.send && process.connected) process.send(m);
  };
  await withServices(
    ctx,
    async (services) => {
      if (secret !== undefined && drive.user !== undefined) services.useCredentials(drive.id, { kind: 'user', user: drive.user, password: secret, ...(drive.domain ? { domain: drive.domain } : {}) });
      await services.loadDrives({ filter: (d) => d.id === drive.id, connect: true });
      services.supervisor.start();
      const manager = mountsFor(ctx, services, 'mount');
      try {
        await manager.mount(mountTarget(drive), where);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        tell({ ok: false, message });
        throw e instanceof MountBusyError ? new CommandError(message) : e;
      }
      tell({ ok: true });
      ctx.io.stderr.write(`sharekeeper: ${drive.name} mounted at ${where}${process.send ? '' : ' (Ctrl-C to unmount)'}\n`);
      const gone = new Promise<string>((resolve) => {
        const t = setInterval(() => {
          void ourMountAt(where).then((m) => {
            if (m) return;
            clearInterval(t);
            resolve('unmounted from outside');
          });
        }, WATCH_MOUNT_MS);
      });
      const why = await Promise.race([stop, gone]);
      ctx.logger.log(1, `${why}: unmounting ${where}`);
      // services.dispose() (withServices) unmounts through the supervisor's dispose hook.
    },
    { supervisor: { connectTimeoutMs: 3000, log: (m) => ctx.logger.log(2, m) } },
  );
}

export const mountCommand: Command = {
  name: 'mount',
  usage: 'mount NAME [DIR] [--foreground]',
  summary: 'mount a drive as a folder (Linux: FUSE; Windows: a drive letter; macOS: mount_smbfs)',
  details: [
    'DIR defaults to the drive\'s mountPoint, else ~/ShareKeeper/NAME (Windows: the last free drive letter).',
    'The folder is made when missing; an existing one must be an empty folder of your own.',
    'On Linux a background process serves the mount until `sharekeeper unmount NAME` (its log: the config',
    'folder\'s mounts/ID.log); --foreground serves it in this process until Ctrl-C. `watch` keeps mounted',
    'drives mounted. While the server cannot be reached, operations in the folder fail within a second',
    '(Host is down) instead of hanging; the folder itself always answers.',
  ],
  minArgs: 1,
  maxArgs: 2,
  options: ['foreground'],
  handlesSignals: true,
  async run(ctx, [name, dir]) {
    if (dir !== undefined && dir.trim() === '') throw new UsageError('the folder is empty');
    if (ctx.options.foreground) {
      const drive = await withServices(ctx, (s) => findDrive(s, name as string));
      const where = await withServices(ctx, (s) => mountsFor(ctx, s, 'mount').mountPointOf(mountTarget(drive), dir));
      await serve(ctx, drive, where);
      return;
    }
    await withServices(ctx, async (services) => {
      const drive = await findDrive(services, name as string);
      const where = await mountDrive(ctx, services, drive, dir);
      ctx.io.stdout.write(`${drive.name} mounted at ${where}\n`);
    });
  },
};

export { lockPath };
