// How the platform adapters run programs: always an argv array, never a shell, always a deadline.
// Injected, so unit tests check the argv built and feed recorded outputs back. Every child of main/
// and app/ starts here, with an allow-listed environment (child-env.ts), never the whole of ours.
import { spawn } from 'node:child_process';
import { childEnvironment } from './child-env.js';

export interface RunCommandOptions {
  /** Written to stdin, which is then closed (how a password reaches a child). */
  input?: string;
  /** Set for the child, over the allow-listed part of the parent's environment (child-env.ts). */
  env?: Record<string, string>;
  /** Default 60 s; the child is killed past it. */
  timeoutMs?: number;
}

export interface RunCommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type RunCommand = (file: string, args: readonly string[], options?: RunCommandOptions) => Promise<RunCommandResult>;

export const spawnCommand: RunCommand = (file, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: childEnvironment(process.env, options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timeoutMs = options.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${file} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined); // a child that never reads its input
    child.stdin.end(options.input ?? '');
  });
