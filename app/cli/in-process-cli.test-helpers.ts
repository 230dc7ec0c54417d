// Test-only: the CLI run in-process (runCli) for commands that need no server. Each test gets its
// own temp folder as XDG_CONFIG_HOME and HOME, so the drives.json it writes is its own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach } from 'vitest';
import { capture } from './capture-stream.test-helpers.js';
import { runCli } from './main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface InProcessCli {
  /** The current test's config folder (set in beforeEach, removed after the test). */
  readonly dir: string;
  run(argv: string[]): Promise<CliRun>;
}

/** Call inside a describe: registers the folder's beforeEach/afterEach there. */
export function inProcessCli(prefix: string): InProcessCli {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    async run(argv) {
      const stdout = capture();
      const stderr = capture();
      const code = await runCli(argv, { stdout, stderr, stdin: new PassThrough(), env: { XDG_CONFIG_HOME: dir, HOME: dir } });
      return { code, out: stdout.text, err: stderr.text };
    },
  };
}
