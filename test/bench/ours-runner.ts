// Our side of the benchmark: time a whole `sharekeeper` CLI process, as a user would run it,
// with its peak RSS. The password travels in SHAREKEEPER_PASSWORD, never on argv.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeEnv } from '../harness/run-command.js';
import type { BenchTarget } from './smbclient-runner.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../../..');
const cli = join(repoRoot, 'bin', 'sharekeeper.js');
const preload = join(repoRoot, 'test', 'bench', 'rss-preload.mjs');

export interface OursRun {
  ms: number;
  /** Peak resident set size of the CLI process, in MiB. */
  rssMiB: number;
  stdout: string;
}

export function timeOurs(server: BenchTarget, args: string[], extraFlags: string[] = []): Promise<OursRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-rss-'));
  const rssFile = join(dir, 'rss');
  const argv = ['--import', preload, cli, ...args, '-U', server.user, '-p', String(server.port), ...extraFlags];
  const env = mergeEnv({ SHAREKEEPER_PASSWORD: server.password, BENCH_RSS_FILE: rssFile });
  return new Promise((resolveRun, reject) => {
    const start = process.hrtime.bigint();
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
      let rssKb = 0;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        /* no file: the process died before exit handlers ran */
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`sharekeeper ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString()}`));
      resolveRun({ ms, rssMiB: rssKb / 1024, stdout: Buffer.concat(head).toString() });
    });
  });
}
