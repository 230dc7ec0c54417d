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
  const env = mergeEnv({ SHAREKEEPER_PASSWORD: server.password, BENCH_STATS_FILE: statsFile });
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
