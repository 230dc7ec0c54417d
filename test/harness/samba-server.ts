// Start Debian's Samba (smbd + samba-dcerpcd) for one test file on a free port of 127.0.0.1, with
// every Samba directory inside a fresh temp dir, and stop it by PID. Integration tests and the
// benchmark use this; nothing here talks SMB itself.
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, findFreePort } from './free-port.js';
import { runCommand, type CommandResult } from './run-command.js';
import {
  renderSmbConf,
  SECURE_SHARE,
  sambaLayout,
  wrapperScript,
  type ExtraShare,
  type SambaLayout,
  type SmbDialect,
} from './samba-config.js';
import { groupMembers, isAlive, spawnDaemon, stopDaemons, trackStateDir, untrackStateDir, type Daemon } from './samba-process.js';
import {
  openSmbclientSession,
  runSmbclient,
  type SmbclientAuth,
  type SmbclientOptions,
  type SmbclientSession,
} from './samba-tools.js';
import { ensureUnixUser, isRoot, setSambaPassword } from './samba-user.js';

export type { SmbDialect, ExtraShare } from './samba-config.js';
export type { SmbclientAuth, SmbclientOptions, SmbclientSession } from './samba-tools.js';
export type { CommandResult } from './run-command.js';

export interface SambaOptions {
  /** 'signing' adds `server signing = mandatory`. Default 'default'. */
  mode?: 'default' | 'signing';
  /** Default SMB3_11. */
  maxProtocol?: SmbDialect;
  /** Default SMB2_02. */
  minProtocol?: SmbDialect;
  /** Default true; false sets `aio read size = 0` and `aio write size = 0`. */
  aio?: boolean;
  /** Extra [global] lines, e.g. `server smb encrypt = required`. */
  extra?: string[];
  /** More shares under stateDir/shares/<name> (dir mode 1777); `path` is added for you. */
  extraShares?: ExtraShare[];
  /** `server smb3 encryption algorithms`, e.g. 'AES-256-GCM' to pin one cipher (SMB 3.1.1 only). */
  encryptionAlgorithms?: string;
  /** `server smb3 signing algorithms`, e.g. 'HMAC-SHA256' (SMB 3.1.1 only). */
  signingAlgorithms?: string;
  /** Global `server smb encrypt`. Default: Samba's own (if_required). */
  serverEncrypt?: 'required' | 'desired' | 'off';
  /** Default 'smbtest'; the Unix account is created (no home, no shell) when missing. */
  user?: string;
  /** Default: random per server. */
  password?: string;
  /** How long to wait for the server to answer. Default 15 s. */
  readyTimeoutMs?: number;
  /** Address smbd binds to and the harness's own smbclient calls use. Default 127.0.0.1. */
  ip?: string;
  /** More addresses smbd also binds to (e.g. a second address of the same server). */
  extraIps?: string[];
  /**
   * Run smbd, samba-dcerpcd and the harness's smbclient/smbstatus inside this network namespace
   * (`ip netns exec NAME`, root only); `ip` must then be an address of that namespace.
   */
  netns?: string;
}

export interface SambaServer {
  /** The address it listens on: 127.0.0.1 unless SambaOptions.ip said otherwise. */
  host: string;
  /** The network namespace it runs in, when SambaOptions.netns was given. */
  netns?: string;
  port: number;
  stateDir: string;
  confPath: string;
  /** Absolute path of a share's directory on disk (public, private, readonly, secure, or an extra share). */
  shareDir(name: string): string;
  user: string;
  password: string;
  /** `smbclient -A` credentials file (mode 600) for the test user. */
  authFile: string;
  /** PIDs of the two process-group leaders we spawned. */
  leaderPids: { smbd: number; dcerpcd: number };
  /** Every live process of this server (leaders and forked children). */
  processIds(): number[];
  /** smbclient with `-s /dev/null -p PORT` and credentials per opts.auth (default: the test user). */
  smbclient(args: string[], opts?: SmbclientOptions): Promise<CommandResult>;
  /** A connected interactive smbclient on //127.0.0.1/<share>, kept open until close(). */
  smbclientSession(share: string, auth?: SmbclientAuth): SmbclientSession;
  /** `smbstatus -s CONF [args]` output (e.g. args ['-b'] for sessions with their dialect). */
  smbstatus(args?: string[]): Promise<string>;
  /** SIGTERM, SIGKILL after 3 s, wait for every process to exit, remove the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Stops both daemons (by PID, as stop()) and starts them again on the same port and state. */
  restart(): Promise<void>;
  /** Everything Samba logged so far (stdout of both daemons and the log files). */
  logText(): Promise<string>;
}

const READONLY_HELLO = 'hello from samba\n';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let unshareWorks: Promise<boolean> | undefined;

/**
 * The command prefix that runs a Samba program with the host's Samba dirs masked (root only), in
 * the network namespace `netns` when given (`ip netns exec` execs the program: the PID we spawn
 * stays the daemon's).
 */
async function commandPrefix(layout: SambaLayout, netns?: string): Promise<string[]> {
  if (!isRoot()) {
    if (netns !== undefined) throw new Error('startSamba({ netns }) needs root');
    return [];
  }
  unshareWorks ??= runCommand('unshare', ['--mount', '--propagation', 'private', 'true'], { timeoutMs: 10_000 }).then(
    (r) => r.code === 0,
    () => false,
  );
  const inNs = netns === undefined ? [] : ['ip', 'netns', 'exec', netns];
  return (await unshareWorks) ? [...inNs, 'unshare', '--mount', '--propagation', 'private', layout.wrapperPath] : inNs;
}

async function prepareStateDir(layout: SambaLayout, uid: number, extraShares: readonly ExtraShare[]): Promise<void> {
  // mkdtemp makes the dir 0700; smbd serves guests as `nobody`, who must reach the shares.
  await chmod(layout.stateDir, 0o755);
  for (const dir of [...Object.values(layout.dirs), ...Object.values(layout.hostMasks)]) {
    await mkdir(dir, { recursive: true });
  }
  await mkdir(layout.sharesDir, { mode: 0o755 });
  const share = (name: string): string => join(layout.sharesDir, name);
  for (const name of ['public', 'private', 'readonly', SECURE_SHARE, ...extraShares.map((s) => s.name)]) {
    await mkdir(share(name));
  }
  // Sticky and world-writable: guest files land as nobody, like a real drop folder.
  await chmod(share('public'), 0o1777);
  for (const s of extraShares) await chmod(share(s.name), 0o1777);
  for (const name of ['private', SECURE_SHARE]) {
    if (isRoot()) await chown(share(name), uid, -1);
    await chmod(share(name), 0o755);
  }
  await writeFile(join(share('readonly'), 'hello.txt'), READONLY_HELLO, { mode: 0o644 });
  await chmod(share('readonly'), 0o755);
  await writeFile(layout.wrapperPath, wrapperScript(layout), { mode: 0o755 });
}

interface Started {
  port: number;
  smbd: Daemon;
  dcerpcd: Daemon;
}

let fifoCounter = 0;
const attemptTag = (): string => String(++fifoCounter);

function startDaemons(layout: SambaLayout, prefix: readonly string[]): { smbd: Daemon; dcerpcd: Daemon } {
  const [file, ...pre] = [...prefix, 'smbd'];
  const smbd = spawnDaemon({
    name: 'smbd',
    file: file ?? 'smbd',
    args: [...pre, '--foreground', '--no-process-group', '--debug-stdout', '-s', layout.confPath],
    logPath: layout.smbdLog,
    stdinFifo: join(layout.stateDir, `smbd.stdin.${attemptTag()}`),
  });
  const [dfile, ...dpre] = [...prefix, '/usr/libexec/samba/samba-dcerpcd'];
  const dcerpcd = spawnDaemon({
    name: 'samba-dcerpcd',
    file: dfile ?? '/usr/libexec/samba/samba-dcerpcd',
    args: [...dpre, '--libexec-rpcds', '--foreground', '--debug-stdout', '--ready-signal-fd=3', '-s', layout.confPath],
    logPath: layout.dcerpcdLog,
    stdinFifo: join(layout.stateDir, `samba-dcerpcd.stdin.${attemptTag()}`),
    readyFd: true,
  });
  return { smbd, dcerpcd };
}

/**
 * Waits until smbd accepts TCP and an anonymous IPC$ tree connect works, and dcerpcd is up. With
 * `server smb encrypt = required` anonymous sessions are refused, so the probe logs in as the test
 * user with encryption instead (probeAs).
 */
/** Where the readiness probe looks: the listening address and the namespace to probe from. */
interface ProbeAt {
  host: string;
  netns?: string | undefined;
  /** More smbclient arguments for the probe (an SMB1-only server needs `-m NT1`). */
  clientArgs?: readonly string[];
}

async function waitReady(
  at: ProbeAt,
  port: number,
  smbd: Daemon,
  dcerpcd: Daemon,
  timeoutMs: number,
  probeAs?: { user: string; password: string },
): Promise<'ready' | 'exited' | 'timeout'> {
  const target = { port, host: at.host, ...(at.netns === undefined ? {} : { netns: at.netns }) };
  const deadline = Date.now() + timeoutMs;
  let dceReady = false;
  void dcerpcd.ready.then(() => {
    dceReady = true;
  });
  while (Date.now() < deadline) {
    if (smbd.hasExited() || dcerpcd.hasExited()) return 'exited';
    // Our own sockets cannot reach into another namespace: there smbclient alone is the probe.
    if (at.netns !== undefined || (await canConnect(at.host, port, 1000))) {
      const r = probeAs
        ? await runSmbclient({ ...target, ...probeAs }, [`//${at.host}/IPC$`, '--client-protection=encrypt', ...(at.clientArgs ?? []), '-c', 'exit'], { timeoutMs: 10_000 })
        : await runSmbclient({ ...target, user: '', password: '' }, [`//${at.host}/IPC$`, ...(at.clientArgs ?? []), '-c', 'exit'], {
            auth: 'guest',
            timeoutMs: 10_000,
          });
      if (r.code === 0 && dceReady) return 'ready';
    }
    await sleep(100);
  }
  return 'timeout';
}

async function launch(
  at: ProbeAt,
  layout: SambaLayout,
  confFor: (port: number) => string,
  prefix: readonly string[],
  firstPort: number,
  timeoutMs: number,
  probeAs?: { user: string; password: string },
): Promise<Started> {
  for (let attempt = 1; ; attempt++) {
    const port = attempt === 1 ? firstPort : await findFreePort();
    await writeFile(layout.confPath, confFor(port));
    const { smbd, dcerpcd } = startDaemons(layout, prefix);
    const state = await waitReady(at, port, smbd, dcerpcd, timeoutMs, probeAs);
    if (state === 'ready') return { port, smbd, dcerpcd };
    await stopDaemons([smbd, dcerpcd]);
    const log = await readLogs(layout);
    // Someone took the port between findFreePort and smbd's bind: try another one.
    if (state === 'exited' && /Address already in use/i.test(log) && attempt < 5) continue;
    throw new Error(`Samba did not become ready on port ${port} (${state}).\n${log}`);
  }
}

async function readLogs(layout: SambaLayout): Promise<string> {
  const files = [layout.smbdLog, layout.dcerpcdLog];
  for (const dir of [layout.dirs.log, layout.hostMasks['/var/log/samba'] ?? '']) {
    const names = await readdir(dir).catch(() => [] as string[]);
    files.push(...names.sort().map((n) => join(dir, n)));
  }
  const parts: string[] = [];
  for (const f of files) {
    const text = await readFile(f, 'utf8').catch(() => undefined);
    if (text !== undefined && text.length > 0) parts.push(`==> ${f} <==\n${text}`);
  }
  return parts.join('\n');
}

const STATE_PREFIX = 'sharekeeper-samba-';
const OWNER_FILE = 'owner.pid';

/**
 * Removes state dirs left by runs that were SIGKILLed (their daemons died with them: stdin EOF).
 * A dir is stale when the process that wrote its owner.pid is gone.
 */
async function sweepStaleStateDirs(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.startsWith(STATE_PREFIX))) {
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => 'NaN'));
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) await rm(dir, { recursive: true, force: true });
  }
}

export async function startSamba(opts: SambaOptions = {}): Promise<SambaServer> {
  const user = opts.user ?? 'smbtest';
  const password = opts.password ?? randomBytes(12).toString('hex');
  const extraShares = opts.extraShares ?? [];
  const uid = await ensureUnixUser(user);
  await sweepStaleStateDirs();
  const stateDir = await mkdtemp(join(tmpdir(), STATE_PREFIX));
  trackStateDir(stateDir);
  const layout = sambaLayout(stateDir);
  try {
    await writeFile(join(stateDir, OWNER_FILE), String(process.pid));
    await prepareStateDir(layout, uid, extraShares);
    await writeFile(layout.authFilePath, `username = ${user}\npassword = ${password}\n`, { mode: 0o600 });
    const prefix = await commandPrefix(layout, opts.netns);
    const at: ProbeAt = {
      host: opts.ip ?? '127.0.0.1',
      netns: opts.netns,
      // TEST-INFRA 1: smbclient reaches an SMB1-only server with -m NT1 and a lowered client minimum.
      clientArgs: opts.maxProtocol === 'NT1' ? ['-m', 'NT1', '--option=client min protocol=NT1'] : [],
    };
    const confFor = (port: number): string =>
      renderSmbConf({
        layout,
        port,
        user,
        signing: opts.mode === 'signing',
        minProtocol: opts.minProtocol ?? 'SMB2_02',
        maxProtocol: opts.maxProtocol ?? 'SMB3_11',
        aio: opts.aio ?? true,
        extra: opts.extra ?? [],
        extraShares,
        encryptionAlgorithms: opts.encryptionAlgorithms,
        signingAlgorithms: opts.signingAlgorithms,
        serverEncrypt: opts.serverEncrypt,
        interfaces: [at.host, ...(opts.extraIps ?? [])],
      });
    // smbpasswd needs a loadable smb.conf (port 0 is rejected), so pick the first port now.
    const firstPort = await findFreePort();
    await writeFile(layout.confPath, confFor(firstPort));
    await setSambaPassword(prefix, layout.confPath, user, password);
    const probeAs = opts.serverEncrypt === 'required' ? { user, password } : undefined;
    const readyMs = opts.readyTimeoutMs ?? 15_000;
    const started = await launch(at, layout, confFor, prefix, firstPort, readyMs, probeAs);
    const relaunch = async (): Promise<Started> => {
      const { smbd, dcerpcd } = startDaemons(layout, prefix);
      const state = await waitReady(at, started.port, smbd, dcerpcd, readyMs, probeAs);
      if (state === 'ready') return { port: started.port, smbd, dcerpcd };
      await stopDaemons([smbd, dcerpcd]);
      throw new Error(`Samba did not come back on port ${started.port} (${state}).\n${await readLogs(layout)}`);
    };
    return makeServer(layout, started, prefix, user, password, at, relaunch);
  } catch (e) {
    await removeStateDir(stateDir);
    throw e;
  }
}

async function removeStateDir(stateDir: string): Promise<void> {
  if (process.env['SHAREKEEPER_KEEP_SAMBA'] === '1') {
    process.stderr.write(`[samba harness] keeping ${stateDir}\n`);
  } else {
    await rm(stateDir, { recursive: true, force: true });
  }
  untrackStateDir(stateDir);
}

function makeServer(
  layout: SambaLayout,
  first: Started,
  prefix: readonly string[],
  user: string,
  password: string,
  at: ProbeAt,
  relaunch: () => Promise<Started>,
): SambaServer {
  let s = first;
  const target = { port: s.port, user, password, host: at.host, ...(at.netns === undefined ? {} : { netns: at.netns }) };
  let stopping: Promise<void> | undefined;
  const leaderPids = { smbd: s.smbd.pid, dcerpcd: s.dcerpcd.pid };
  return {
    host: at.host,
    ...(at.netns === undefined ? {} : { netns: at.netns }),
    port: s.port,
    stateDir: layout.stateDir,
    confPath: layout.confPath,
    shareDir: (name) => join(layout.sharesDir, name),
    user,
    password,
    authFile: layout.authFilePath,
    leaderPids,
    processIds: () => groupMembers([s.smbd.pid, s.dcerpcd.pid]),
    smbclient: (args, opts) => runSmbclient(target, args, opts),
    smbclientSession: (share, auth) => openSmbclientSession(target, share, auth),
    smbstatus: async (args = []) => {
      const [file, ...pre] = [...prefix, 'smbstatus'];
      const r = await runCommand(file ?? 'smbstatus', [...pre, '-s', layout.confPath, ...args], { timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`smbstatus failed (${r.code}): ${r.stdout}${r.stderr}`);
      return r.stdout;
    },
    stop: () => {
      stopping ??= (async () => {
        await stopDaemons([s.smbd, s.dcerpcd]);
        await removeStateDir(layout.stateDir);
      })();
      return stopping;
    },
    restart: async () => {
      if (stopping) throw new Error('restart() after stop()');
      await stopDaemons([s.smbd, s.dcerpcd]);
      s = await relaunch();
      Object.assign(leaderPids, { smbd: s.smbd.pid, dcerpcd: s.dcerpcd.pid });
    },
    logText: () => readLogs(layout),
  };
}
