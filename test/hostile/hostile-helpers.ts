// Shared by the hostile-server suites: the built CLI run with a hard kill timeout (a regression shows
// as a failing test, never a stuck suite), its peak memory, and a proxy in front of the file's Samba.
// Every wait here is bounded. Needs `npm run build` first: the CLI runs dist/.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { SambaServer } from '../harness/samba-server.js';
import { startTamperProxy, type TamperProxy } from '../harness/tamper-proxy.js';
import { BIN, REPO } from '../integration/cli-run.js';

export { assertBuilt } from '../integration/cli-run.js';

export interface BoundedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** At most `stdoutCapBytes` of it (the first ones); stdoutTotal counts everything. */
  stdout: string;
  stdoutBytes: Buffer;
  stdoutTotal: number;
  stderr: string;
  ms: number;
  /** We killed it: past killAfterMs, or past maxRssMiB. */
  killed: false | 'deadline' | 'memory';
  /** Peak resident set (VmHWM) seen while polling /proc, in MiB. */
  peakRssMiB: number;
}

export interface BoundedOptions {
  /** Hard limit: SIGKILL after this. */
  killAfterMs: number;
  env?: Record<string, string>;
  input?: string;
  /** SIGKILL as soon as the child's peak RSS passes this. */
  maxRssMiB?: number;
  stdoutCapBytes?: number;
  cwd?: string;
}

const POLL_MS = 100;

/** VmHWM of a live process in MiB, or undefined when it is gone. */
function peakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `sharekeeper ARGS` with a clean environment; never rejects, never outlives killAfterMs. */
export function runBounded(args: string[], o: BoundedOptions): Promise<BoundedRun> {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...o.env };
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: o.cwd ?? REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  const cap = o.stdoutCapBytes ?? 4 * 1024 * 1024;
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let outKept = 0;
  let stdoutTotal = 0;
  let peak = 0;
  let killed: BoundedRun['killed'] = false;
  child.stdout.on('data', (c: Buffer) => {
    stdoutTotal += c.length;
    if (outKept < cap) {
      out.push(c.subarray(0, cap - outKept));
      outKept += Math.min(c.length, cap - outKept);
    }
  });
  child.stderr.on('data', (c: Buffer) => err.push(c));
  child.stdin.on('error', () => undefined);
  child.stdin.end(o.input);
  const kill = (why: 'deadline' | 'memory'): void => {
    if (killed || child.exitCode !== null) return;
    killed = why;
    child.kill('SIGKILL');
  };
  const deadline = setTimeout(() => kill('deadline'), o.killAfterMs);
  const poll = setInterval(() => {
    const rss = child.pid === undefined ? undefined : peakRss(child.pid);
    if (rss === undefined) return;
    peak = Math.max(peak, rss);
    if (o.maxRssMiB !== undefined && rss > o.maxRssMiB) kill('memory');
  }, POLL_MS);
  return new Promise((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      clearTimeout(deadline);
      clearInterval(poll);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stdoutTotal, stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - started, killed, peakRssMiB: Math.round(peak) });
    };
    child.on('error', () => finish(null, null));
    child.on('close', finish);
  });
}

/** Says why in the failure message: a run we had to kill, or one that ended too late. */
export function expectEndedWithin(r: BoundedRun, ms: number): void {
  expect(r.killed, `killed (${r.killed}) after ${r.ms} ms; stderr: ${r.stderr.slice(-500)}`).toBe(false);
  expect(r.ms, `took ${r.ms} ms; stderr: ${r.stderr.slice(-500)}`).toBeLessThan(ms);
}

/**
 * Ended by itself, non-zero, with exactly one line that names the problem (no crash, no stack).
 * `oneLine: false` for commands that also report progress on stderr (copy): then the last line.
 */
export function expectOneLineFailure(r: BoundedRun, codes: readonly number[] = [3], opts: { oneLine?: boolean } = {}): void {
  expect(r.killed, `killed (${r.killed}) after ${r.ms} ms; stderr: ${r.stderr.slice(-500)}`).toBe(false);
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(codes, `exit ${r.code}; stderr: ${r.stderr.slice(-500)}`).toContain(r.code);
  if (opts.oneLine === false) expect(lines.at(-1)).toMatch(/^sharekeeper: ./);
  else expect(lines).toEqual([expect.stringMatching(/^sharekeeper: ./)]);
  expect(r.stderr).not.toMatch(/unexpected error|Maximum call stack|RangeError|TypeError/);
}

/** A hook that threw ended its connection: that must not pass for the client refusing something. */
export function expectNoProxyErrors(proxy: TamperProxy): void {
  expect(proxy.errors().map((e) => e.stack ?? e.message)).toEqual([]);
}

export interface Rig {
  proxy: TamperProxy;
  /** //127.0.0.1:PORT (through the proxy). */
  base: string;
  env: Record<string, string>;
  /** A fresh empty folder for downloads. */
  scratch(): Promise<string>;
}

let scratchRoot: string | undefined;

async function root(): Promise<string> {
  scratchRoot ??= await mkdtemp(join(tmpdir(), 'sk-hostile-'));
  return scratchRoot;
}

/** A fresh empty folder under the suite's temp dir. */
export async function scratchDir(): Promise<string> {
  return mkdtemp(join(await root(), 'dl-'));
}

/** A temp HOME for the CLI (copy keeps a config dir there), no keychain, the password if given. */
export async function cliHome(password?: string): Promise<Record<string, string>> {
  const home = await mkdtemp(join(await root(), 'home-'));
  await mkdir(join(home, 'run'), { mode: 0o700 });
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: join(home, 'run'), ...(password === undefined ? {} : { SHAREKEEPER_PASSWORD: password }) };
}

/** A proxy in front of `server` and a CLI home with the test user's password. */
export async function rigFor(server: SambaServer): Promise<Rig> {
  const proxy = await startTamperProxy({ host: server.host, port: server.port });
  return { proxy, base: `//127.0.0.1:${proxy.port}`, env: await cliHome(server.password), scratch: scratchDir };
}

/** Bytes a terminal would act on: C0 controls but LF, DEL, C1 controls (as UTF-8), bidi controls. */
export function terminalControls(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f\u202a-\u202e\u2066-\u2069]/g)].map((m) => `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
