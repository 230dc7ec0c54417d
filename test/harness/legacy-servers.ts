// Legacy servers for the SMB1 suites: Samba pinned to NT1 (SMB1 only, NTLMv1 allowed; optionally
// LANMAN with the smbpasswd backend, since tdbsam may keep no LM hash; optionally without an NT hash
// so that only an LM answer can log in), and impacket's smbserver, a second, independent SMB1
// implementation (Debian python3-impacket; SMB1 unless started with -smb2support).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canConnect, findFreePort } from './free-port.js';
import { startSamba, type SambaOptions, type SambaServer } from './samba-server.js';

export interface Nt1Options extends Omit<SambaOptions, 'minProtocol' | 'maxProtocol'> {
  /** `lanman auth = yes` with `passdb backend = smbpasswd` (the LM hash is kept). */
  lanman?: boolean;
  /** With `lanman`: remove the NT hash from the passdb, so only an LM answer proves the password. */
  lmOnly?: boolean;
  /** Serve SMB1 and everything up to SMB3_11 (a "server min protocol = NT1" box). Default: NT1 only. */
  upToSmb3?: boolean;
  /**
   * The daemons' time zone as a POSIX TZ string (e.g. 'XST-5:30', local = UTC + 5:30; glibc needs
   * no zoneinfo file for it), so times the server sends as local time (UTIME, and ServerTimeZone in
   * NEGOTIATE) can be told from UTC. The harness spawns them with our environment, so TZ is set
   * in process.env while they start and put back afterwards (restart() starts them in ours).
   */
  timeZone?: string;
}

/** The smbclient arguments that reach an SMB1-only server (TEST-INFRA 1). */
export const SMBCLIENT_NT1 = ['-m', 'NT1', '--option=client min protocol=NT1'];

export async function startNt1Samba(opts: Nt1Options = {}): Promise<SambaServer> {
  const { lanman, lmOnly, upToSmb3, timeZone, extra = [], ...rest } = opts;
  const lines = ['ntlm auth = yes', ...extra];
  // smbpasswd(5) keeps the LM hash when `lanman auth = yes`. The file lives in a dir of its own
  // (the later `passdb backend` line overrides the harness's tdbsam one).
  const pwDir = lanman ? await mkdtemp(join(tmpdir(), 'sk-smbpasswd-')) : undefined;
  const pwFile = pwDir ? join(pwDir, 'smbpasswd') : undefined;
  if (pwFile) {
    await writeFile(pwFile, '', { mode: 0o600 });
    lines.push('lanman auth = yes', `passdb backend = smbpasswd:${pwFile}`, `smb passwd file = ${pwFile}`);
  }
  const start = (): Promise<SambaServer> =>
    startSamba({
      ...rest,
      // LM hashes exist only for passwords of at most 14 characters (MS-NLMP 3.3.1).
      ...(lanman && rest.password === undefined ? { password: 'Lm-Pw0rd!' } : {}),
      minProtocol: 'NT1',
      maxProtocol: upToSmb3 ? 'SMB3_11' : 'NT1',
      extra: lines,
    });
  const server = timeZone === undefined ? await start() : await inTimeZone(timeZone, start);
  if (pwFile && lmOnly) await dropNtHash(server.user, pwFile);
  if (!pwDir) return server;
  const stop = server.stop.bind(server);
  return Object.assign(server, { stop: async () => {
    await stop();
    await rm(pwDir, { recursive: true, force: true });
  } });
}

async function inTimeZone<T>(tz: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env['TZ'];
  process.env['TZ'] = tz;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env['TZ'];
    else process.env['TZ'] = before;
  }
}

/**
 * smbpasswd(5): `name:uid:LMHASH:NTHASH:[flags]:LCT-…:`. 32 'X' in the NT field means "no NT
 * hash" (Samba reads it as none), so only the LM hash can check a password.
 */
async function dropNtHash(user: string, path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').map((line) => {
    const f = line.split(':');
    if (f[0] !== user || f.length < 5) return line;
    if (!/^[0-9A-F]{32}$/i.test(f[2] ?? '')) throw new Error(`no LM hash stored for ${user}: ${line}`);
    f[3] = 'X'.repeat(32);
    return f.join(':');
  });
  await writeFile(path, lines.join('\n'));
}

export interface ImpacketServer {
  host: string;
  port: number;
  share: string;
  dir: string;
  user: string;
  password: string;
  log(): string;
  stop(): Promise<void>;
}

/** Debian's python3-impacket ships the example as a script; the plain `python3` on PATH may lack the module. */
const IMPACKET_SCRIPTS = ['/usr/share/doc/python3-impacket/examples/smbserver.py', '/usr/bin/impacket-smbserver'];

export function impacketAvailable(): boolean {
  return IMPACKET_SCRIPTS.some((p) => existsSync(p)) && existsSync('/usr/bin/python3');
}

/** impacket smbserver serving `dir` (a fresh temp dir when not given) as `share`, SMB1 only. */
export async function startImpacket(opts: { share?: string; dir?: string; user?: string; password?: string; readyTimeoutMs?: number } = {}): Promise<ImpacketServer> {
  const script = IMPACKET_SCRIPTS.find((p) => existsSync(p));
  if (!script) throw new Error('impacket smbserver not found: apt-get install python3-impacket');
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'sk-impacket-')));
  const share = opts.share ?? 'SHARE';
  const user = opts.user ?? 'smbtest';
  const password = opts.password ?? 'Passw0rd!';
  const port = await findFreePort();
  const args = [script, '-ip', '127.0.0.1', '-port', String(port), '-username', user, '-password', password, share, dir];
  const [file, ...rest] = script.endsWith('.py') ? ['/usr/bin/python3', ...args] : args;
  const child: ChildProcess = spawn(file!, rest, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  const out: Buffer[] = [];
  child.stdout?.on('data', (b: Buffer) => out.push(b));
  child.stderr?.on('data', (b: Buffer) => out.push(b));
  const log = (): string => Buffer.concat(out).toString('utf8');
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 15_000);
  while (!(await canConnect('127.0.0.1', port, 500))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`impacket smbserver did not start on ${port}:\n${log()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  let stopped: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    share,
    dir,
    user,
    password,
    log,
    stop: () => {
      stopped ??= (async () => {
        if (child.exitCode === null) {
          const exited = new Promise<void>((r) => child.once('exit', () => r()));
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(t);
        }
        if (opts.dir === undefined) await rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
