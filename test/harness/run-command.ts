// Run a short-lived program to completion and collect its output. Used for smbclient, smbstatus,
// smbpasswd and useradd. Every run has a deadline: a stuck child is killed, never waited on forever.
import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code, or null when the process died from a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /**
   * Environment changes over process.env: a string sets a variable, undefined removes it.
   * Secrets go here, never on argv.
   */
  env?: Record<string, string | undefined>;
  /** Written to stdin, which is then closed. Without it stdin is closed at once. */
  input?: string;
  /** Kill the child (SIGKILL) and reject after this long. Default 30 s. */
  timeoutMs?: number;
  cwd?: string;
}

export class CommandTimeoutError extends Error {
  constructor(
    readonly file: string,
    readonly timeoutMs: number,
    readonly partial: CommandResult,
  ) {
    super(`${file} did not finish within ${timeoutMs} ms\n${partial.stdout}\n${partial.stderr}`);
    this.name = 'CommandTimeoutError';
  }
}

export function runCommand(file: string, args: readonly string[], opts: RunOptions = {}): Promise<CommandResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: mergeEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const collect = (code: number | null): CommandResult => ({
      code,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(err).toString('utf8'),
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new CommandTimeoutError(file, timeoutMs, collect(code)));
      else resolve(collect(code));
    });
    // A child that exits before reading its input makes the write fail with EPIPE; that is its answer.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

export function mergeEnv(changes: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}
