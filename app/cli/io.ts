// The process's streams and environment, passed in rather than reached for, so tests can run the
// whole CLI in-process with their own streams.
import type { Writable } from 'node:stream';
import type { InputLike } from './password-input.js';

export interface OutputLike extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputLike;
  stderr: OutputLike;
  stdin: InputLike;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}
