// The smbclient side of the benchmark: time a whole smbclient process (spawn, connect, work, exit)
// getting a file, putting a file or listing a folder. The password travels in the PASSWD
// environment variable, never on argv. A failed run throws: a benchmark never times an error.
import { spawn } from 'node:child_process';
import { mergeEnv, type CommandResult } from '../harness/run-command.js';
import { smbclientInvocation, type SmbclientAuth } from '../harness/samba-tools.js';
import type { SambaServer } from '../harness/samba-server.js';
import { cpuSince, reapedChildrenCpu, type CpuTimes } from './child-cpu.js';

export type BenchTarget = Pick<SambaServer, 'host' | 'port' | 'user' | 'password'>;

export interface TimedRun extends CommandResult {
  /** Wall time from spawn to exit, in milliseconds. */
  ms: number;
  /** The process's own CPU time (see child-cpu.ts). */
  cpu: CpuTimes;
}

export interface RunnerOptions {
  /** Default 'user' (the server's test user). */
  auth?: SmbclientAuth;
  /** Kill and throw after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** More smbclient arguments, e.g. `--client-protection=sign`. */
  extraArgs?: string[];
}

/** Quotes a path for an smbclient -c command line (commands split on ';', args on spaces). */
function q(path: string): string {
  if (/["\n;]/.test(path)) throw new Error(`path not usable in an smbclient command: ${path}`);
  return `"${path}"`;
}

export function timeSmbclient(server: BenchTarget, share: string, command: string, opts: RunnerOptions = {}): Promise<TimedRun> {
  const inv = smbclientInvocation(server, [...(opts.extraArgs ?? []), `//${server.host}/${share}`, '-c', command], opts.auth ?? 'user');
  const timeoutMs = opts.timeoutMs ?? 600_000;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const cpuBefore = reapedChildrenCpu();
    const child = spawn('smbclient', inv.args, { env: mergeEnv(inv.env), stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      clearTimeout(timer);
      const run = { code, ms, cpu: cpuSince(cpuBefore), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
      // smbclient -c exits 0 even when a command fails, so also look for an NTSTATUS error.
      const failed = code !== 0 || /NT_STATUS_[A-Z_]+/.test(run.stdout + run.stderr);
      if (failed) reject(new Error(`smbclient ${command} failed (${code}) after ${ms.toFixed(0)} ms:\n${run.stdout}${run.stderr}`));
      else resolve(run);
    });
  });
}

/** Time `smbclient -c 'get REMOTE LOCAL'`: download one file to a local path. */
export function timeSmbclientGet(server: BenchTarget, share: string, remotePath: string, localPath: string, opts?: RunnerOptions): Promise<TimedRun> {
  return timeSmbclient(server, share, `get ${q(remotePath)} ${q(localPath)}`, opts);
}

/** Time `smbclient -c 'put LOCAL REMOTE'`: upload one local file. */
export function timeSmbclientPut(server: BenchTarget, share: string, localPath: string, remotePath: string, opts?: RunnerOptions): Promise<TimedRun> {
  return timeSmbclient(server, share, `put ${q(localPath)} ${q(remotePath)}`, opts);
}

/** Time `smbclient -c 'cd DIR; ls'`: list one folder. `entries` counts the lines that name an entry. */
export async function timeSmbclientList(
  server: BenchTarget,
  share: string,
  dir: string,
  opts?: RunnerOptions,
): Promise<TimedRun & { entries: number }> {
  const run = await timeSmbclient(server, share, `cd ${q(dir)}; ls`, opts);
  // Entry lines look like "  name   A   0  Sat Nov 21 20:03:47 2026"; "." and ".." excluded.
  const entries = run.stdout
    .split('\n')
    .filter((l) => /^\s{2}\S/.test(l) && /\s\d+\s+\w{3} \w{3}\s+\d+ [\d:]+ \d{4}$/.test(l))
    .filter((l) => !/^\s{2}\.{1,2}\s/.test(l)).length;
  return { ...run, entries };
}
