// Runs the built CLI (`node bin/sharekeeper.js`, as a user would) for the cli-*.test.ts suites.
// Needs `npm run build` first: the binary runs dist/, not the TypeScript sources.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(REPO, 'bin', 'sharekeeper.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
}

export interface CliRunOptions {
  /** Added to a clean environment (no SHAREKEEPER_PASSWORD unless given here). */
  env?: Record<string, string>;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

export function assertBuilt(): void {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/cli/main.js (the bundled CLI) is missing: run `npm run build` before the CLI integration tests');
  }
}

export function runCli(args: string[], opts: CliRunOptions = {}): Promise<CliResult> {
  const { child, done } = startCli(args, opts);
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  else child.stdin?.end();
  return done;
}

/** Starts the CLI and returns the child, for tests that act while it runs (signals, server faults). */
export function startCli(args: string[], opts: CliRunOptions = {}) {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...opts.env };
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd ?? REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on('data', (c: Buffer) => out.push(c));
  child.stderr?.on('data', (c: Buffer) => err.push(c));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sharekeeper ${args.join(' ')} did not finish within ${timeoutMs} ms\n${Buffer.concat(err).toString()}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      resolve({ code, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    });
  });
  return { child, done };
}
