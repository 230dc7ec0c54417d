// Our side of the benchmark: time a whole `sharekeeper` CLI process, as a user would run it,
// with its peak RSS. The password travels in SHAREKEEPER_PASSWORD, never on argv.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeEnv } from '../harness/run-command.js';
import type { BenchTarget } from './smbclient-runner.js';
import { cpuSince, reapedChildrenCpu, type CpuTimes } from './child-cpu.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const cli = join(repoRoot, 'bin', 'sharekeeper.js');
const preload = join(repoRoot, 'test', 'bench', 'bench-preload.mjs');

/**
 * Left out of our CLI's environment: Node reads NODE_EXTRA_CA_CERTS at every start, before any of
 * our code runs, and this machine sets it (its proxy's CA bundle, 220 KB) for every process.
 * Parsing it costs each Node start ~45 ms (measured: `node -e 0` 71-91 ms with it, 21-34 without),
 * which is the machine's, not ours: no command we time uses TLS, and a user's machine does not
 * set it. smbclient never reads it. nodeStartNote() puts both figures in every report.
 */
const NOT_PASSED = { NODE_EXTRA_CA_CERTS: undefined };

export interface OursRun {
  ms: number;
  /** Peak resident set size of the CLI process, in MiB. */
  rssMiB: number;
  /** 99th percentile of the event-loop delay over the run, in ms. */
  lagP99Ms: number;
  cpu: CpuTimes;
  stdout: string;
}

export function timeOurs(server: BenchTarget, args: string[], extraFlags: string[] = []): Promise<OursRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-rss-'));
  const statsFile = join(dir, 'stats.json');
  const argv = ['--import', preload, cli, ...args, '-U', server.user, '-p', String(server.port), ...extraFlags];
  const env = mergeEnv({ ...NOT_PASSED, SHAREKEEPER_PASSWORD: server.password, BENCH_STATS_FILE: statsFile });
  return new Promise((resolveRun, reject) => {
    const start = process.hrtime.bigint();
    const cpuBefore = reapedChildrenCpu();
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    const head: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => {
      stdoutBytes += b.length;
      if (stdoutBytes < 4096) head.push(b);
    });
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let stats = { rssKb: 0, lagP99Ms: 0 };
      try {
        stats = JSON.parse(readFileSync(statsFile, 'utf8')) as typeof stats;
      } catch {
        /* no file: the process died before exit handlers ran */
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`sharekeeper ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`));
      resolveRun({ ms, rssMiB: stats.rssKb / 1024, lagP99Ms: stats.lagP99Ms, cpu: cpuSince(cpuBefore), stdout: Buffer.concat(head).toString() });
    });
  });
}

/** Bare Node's start-up here, with and without what NOT_PASSED leaves out (median of 5 each), for the report. */
export async function nodeStartNote(): Promise<string> {
  const time = (env: NodeJS.ProcessEnv): Promise<number> =>
    new Promise((done, reject) => {
      const start = process.hrtime.bigint();
      const child = spawn(process.execPath, ['-e', '0'], { env, stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => done(Number(process.hrtime.bigint() - start) / 1e6));
    });
  const median = async (env: NodeJS.ProcessEnv): Promise<number> => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await time(env));
    return runs.sort((a, b) => a - b)[2] ?? 0;
  };
  const without = await median(mergeEnv(NOT_PASSED));
  if (process.env['NODE_EXTRA_CA_CERTS'] === undefined) return `Node start-up (node -e 0): ${without.toFixed(0)} ms`;
  const withIt = await median(mergeEnv());
  return `Node start-up (node -e 0): ${withIt.toFixed(0)} ms with this machine's NODE_EXTRA_CA_CERTS, ${without.toFixed(0)} ms without; our CLI runs without it (ours-runner.ts says why)`;
}
