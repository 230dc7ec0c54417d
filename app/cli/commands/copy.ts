// `sharekeeper copy SRC DST` — copies a file or a folder between the local disk and a drive
// (NAME:/path), or a one-off //HOST/SHARE/PATH, through the transfer queue in this process: a
// progress bar on a terminal, --on-conflict for names that already exist, exit 0 when all copied.
// The queue keeps its state in a temporary folder: a copy that is stopped is not resumed by the
// next run (the app's queue does that).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DriveUnavailableError, formatSmbLocation, formatSmbTarget, TERMINAL_STATES, type Drive, type Services, type SupervisedDrive } from '../../../main/index.js';
import { dialectName, type SmbTree } from '../../../protocol/index.js';
import type { CliOptions } from '../args.js';
import { resolvePort, type RunContext } from '../connection.js';
import { resolveCredentials } from '../credentials.js';
import { ExitStatusError, LocalFileError, UsageError } from '../usage-error.js';
import type { Command } from './command.js';
import { lastName, parseEndpoint, sharePath, splitEndpoints, type RemoteEndpoint } from './copy-endpoints.js';
import { followJob } from './copy-follow.js';
import { withServices } from './drive-context.js';
import { exitCodeForState, legacyNotes } from './drive-status.js';
import { endsWithSeparator, statIfExists } from './remote.js';

const TRANSIENT_ID = 'cli-copy-target';
/**
 * A job paused for a dropped drive is tried again this often (besides when the drive says it is
 * back). Short: a person is waiting, and a server that keeps failing is given up on after the
 * queue's bound (MAX_DROPS_WITHOUT_PROGRESS), so each try should come soon.
 */
const RETRY_MS = 2000;
/**
 * The queue's journal is what lets the app's queue carry on after a restart; this run's state
 * folder is removed when it ends and never read again, so its changes are kept in memory and
 * written once, when the queue closes (a timer this long never fires in a normal copy). Partials
 * are still recorded in each job before they exist: cancel, failure and Ctrl-C remove them from
 * what is in memory. Writing a batch every 200 ms cost a JSON line per change and an fdatasync.
 */
const JOURNAL_FLUSH_MS = 24 * 60 * 60 * 1000;

export const copyCommand: Command = {
  name: 'copy',
  usage: 'copy SRC DST',
  summary: 'copy a file or folder between the local disk and a drive (NAME:/path) or //HOST/SHARE/PATH',
  details: [
    'One side is local, the other a mapped drive (NAME:/path/in/drive) or a target (//HOST/SHARE/PATH).',
    'Folders are copied with everything in them. When DST is an existing folder (or ends in /), the copy',
    'goes inside it under the source\'s name. Files are written under a temporary name and renamed when complete.',
    '--on-conflict ask|skip|overwrite|keep-both: what to do when a name exists (default ask: on a terminal',
    'you are asked; without one the copy stops and says so).',
    '--min-protocol NT1 and --allow-legacy-auth are for a //HOST/SHARE target; a mapped drive keeps its own',
    'setting (map it again to change it).',
  ],
  minArgs: 2,
  maxArgs: 2,
  options: ['on-conflict', 'no-progress'],
  handlesSignals: true,
  async run(ctx, [srcText, dstText]) {
    const stateDir = await mkdtemp(join(tmpdir(), 'sharekeeper-copy-'));
    try {
      await withServices(ctx, (s) => copyWith(ctx, s, srcText as string, dstText as string), { transferStateDir: stateDir, transfers: { offlineRetryMs: RETRY_MS, flushIntervalMs: JOURNAL_FLUSH_MS } });
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  },
};

async function copyWith(ctx: RunContext, services: Services, srcText: string, dstText: string): Promise<void> {
  const drives = await services.registry.list();
  const { direction, remote, local } = splitEndpoints(parseEndpoint(srcText, drives), parseEndpoint(dstText, drives));
  const driveId = await supervise(ctx, services, remote);
  const tree = await acquire(services, driveId);
  const base = sharePath(remote);
  let remotePath = base;
  let localPath = local.path;
  if (direction === 'download') {
    const st = await statIfExists(tree, base);
    if (st === undefined) throw new LocalFileError(`${remote.text}: no such file or folder`);
    const into = endsWithSeparator(local.text) || (await stat(local.path).catch(() => undefined))?.isDirectory() === true;
    if (into) localPath = join(local.path, lastName(base, remoteRootName(remote)));
  } else {
    if ((await stat(local.path).catch(() => undefined)) === undefined) throw new LocalFileError(`${local.text}: no such file or folder`, local.path);
    const st = await statIfExists(tree, base);
    if (base === '' || endsWithSeparator(remote.text) || st?.type === 'directory') remotePath = [base, lastName(local.path, 'copy')].filter((p) => p !== '').join('/');
  }
  const queue = await services.startQueue();
  // A one-shot copy leaves writeback to the kernel, as get (and smbclient) do; the desktop app's
  // queue fsyncs each download before its rename.
  const job = queue.enqueue({ direction, driveId, remotePath, localPath, conflict: ctx.options.onConflict ?? 'ask', flushToDisk: false });
  ctx.logger.log(1, `${direction} ${remotePath || '(share root)'} ⇄ ${localPath} (job ${job.id})`);
  try {
    await followJob(ctx, queue, job);
  } finally {
    // This run's queue state is thrown away with its folder: whatever has not ended (nothing,
    // normally) is cancelled now, so that no partial file outlives the run.
    const left = queue.get(job.id);
    if (left && !TERMINAL_STATES.includes(left.state)) await queue.cancel(job.id).catch(() => undefined);
  }
}

function remoteRootName(remote: RemoteEndpoint): string {
  return remote.kind === 'drive' ? remote.drive.name : (remote.target.share ?? 'share');
}

/** A mapped drive joins the supervisor as it is; a target becomes a drive for this run only. */
async function supervise(ctx: RunContext, services: Services, remote: RemoteEndpoint): Promise<string> {
  if (remote.kind === 'drive') {
    refuseLegacySwitchesForDrive(ctx.options, remote.drive);
    await services.loadDrives({ filter: (d) => d.id === remote.drive.id, connect: false });
    return remote.drive.id;
  }
  const t = remote.target;
  if (t.share === undefined) throw new UsageError(`'${remote.text}' names no share`);
  const { credentials, secret } = await resolveCredentials({ options: ctx.options, target: t, env: ctx.io.env, stdin: ctx.io.stdin, stderr: ctx.io.stderr });
  ctx.logger.addSecret(secret);
  const o = ctx.options;
  const drive: SupervisedDrive = {
    id: TRANSIENT_ID,
    name: formatSmbLocation(t),
    target: formatSmbTarget({ url: remote.text, host: t.host, port: resolvePort(t, o), share: t.share, path: '' }),
    alternates: [],
    options: transientDriveOptions(o),
    persistent: false,
  };
  if (drive.options.allowLegacy) ctx.io.stderr.write(`sharekeeper: ${legacyNotes([drive])}`);
  services.addTransientDrive(drive, credentials);
  return TRANSIENT_ID;
}

/**
 * A mapped drive connects with what is stored with it: its allowLegacy carries SMB1 and NTLMv1/LM
 * (issue 11). The legacy switches on the command line would be silently ignored for it, so they are
 * refused (exit 2), pointing to `map` to change the drive itself.
 */
export function refuseLegacySwitchesForDrive(o: CliOptions, drive: Drive): void {
  const given = [o.allowSmb1 ? '--min-protocol NT1' : '', o.smb1Only ? '--max-protocol NT1' : '', o.allowLegacyAuth ? '--allow-legacy-auth' : ''].filter((g) => g !== '');
  if (given.length === 0) return;
  const stored = drive.options.allowLegacy ? 'allows' : 'does not allow';
  throw new UsageError(
    `${given.join(', ')}: not for a mapped drive; '${drive.name}' uses its own setting (it ${stored} the legacy protocol and sign-in). ` +
      `To change it, unmap '${drive.name}' and map it again with ${given.filter((g) => g !== '--max-protocol NT1').join(' ') || '--min-protocol NT1'}`,
  );
}

/**
 * A target's requirements for this run. The legacy switches (--min-protocol NT1, --allow-legacy-auth)
 * become allowLegacy, the one drive option that carries both into the supervisor (issue 11).
 */
export function transientDriveOptions(o: CliOptions): SupervisedDrive['options'] {
  return {
    ...(o.minProtocol === undefined ? {} : { minProtocol: dialectName(o.minProtocol) }),
    ...(o.maxProtocol === undefined ? {} : { maxProtocol: dialectName(o.maxProtocol) }),
    ...(o.sign ? { requireSigning: true } : {}),
    ...(o.encrypt ? { requireEncryption: true } : {}),
    ...(o.allowSmb1 || o.allowLegacyAuth ? { allowLegacy: true } : {}),
  };
}

/** The drive's tree, or the drive's state as the exit code (3 unreachable, 4 credentials, ...). */
async function acquire(services: Services, driveId: string): Promise<SmbTree> {
  try {
    return await services.supervisor.acquire(driveId);
  } catch (e) {
    if (!(e instanceof DriveUnavailableError)) throw e;
    const name = services.supervisor.status(driveId).drive.name;
    throw new ExitStatusError(exitCodeForState({ kind: e.state, diagnosis: { reason: e.reason, message: e.message } }), `${name}: ${services.supervisor.status(driveId).state.diagnosis.message}`);
  }
}
