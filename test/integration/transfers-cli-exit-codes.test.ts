// `copy` ends with the exit code `get` gives for the same fault (app/cli/exit-codes.ts
// exitCodeForErrorCode): a refused login 4, a server that cannot be reached 3, a server refusal 1.
// A malformed answer (also 3) needs a tampering proxy: test/hostile/read-write-lengths.test.ts.
// Needs `npm run build` first.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli, type CliResult } from './cli-run.js';

let s: SambaServer;
let root: string;
let env: Record<string, string>;

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env: { ...env, ...extraEnv }, timeoutMs: 60_000 });
}

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  root = await mkdtemp(join(tmpdir(), 'sk-cli-exit-'));
  env = { HOME: root, XDG_CONFIG_HOME: join(root, 'config'), XDG_RUNTIME_DIR: join(root, 'run'), SHAREKEEPER_PASSWORD: s.password };
  await mkdir(env['XDG_RUNTIME_DIR']!, { recursive: true, mode: 0o700 });
  await writeFile(join(s.shareDir('private'), 'f.txt'), 'f\n');
  await writeFile(join(s.shareDir('private'), 'locked.txt'), 'locked\n');
  await chmod(join(s.shareDir('private'), 'locked.txt'), 0o000);
});
afterAll(async () => {
  await s?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('copy and get end alike', () => {
  it('a wrong password: 4 for both', async () => {
    const wrong = { SHAREKEEPER_PASSWORD: 'definitely-wrong' };
    const src = `//127.0.0.1:${s.port}/private/f.txt`;
    const get = await cli(['get', src, await mkdtemp(join(root, 'g-')), '-U', s.user], wrong);
    const copy = await cli(['copy', src, await mkdtemp(join(root, 'c-')), '-U', s.user, '--no-progress'], wrong);
    expect(get.code, get.stderr).toBe(4);
    expect(copy.code, copy.stderr).toBe(4);
  });

  it('nothing listening: 3 for both', async () => {
    const src = '//127.0.0.1:1/private/f.txt';
    const get = await cli(['get', src, await mkdtemp(join(root, 'g-')), '-U', s.user, '-t', '2']);
    const copy = await cli(['copy', src, await mkdtemp(join(root, 'c-')), '-U', s.user, '--no-progress', '-t', '2']);
    expect(get.code, get.stderr).toBe(3);
    expect(copy.code, copy.stderr).toBe(3);
  });

  it('a file the server refuses: 1 for both', async () => {
    const src = `//127.0.0.1:${s.port}/private/locked.txt`;
    const get = await cli(['get', src, await mkdtemp(join(root, 'g-')), '-U', s.user]);
    const copy = await cli(['copy', src, await mkdtemp(join(root, 'c-')), '-U', s.user, '--no-progress']);
    expect(get.code, get.stderr).toBe(1);
    expect(copy.code, copy.stderr).toBe(1);
    expect(copy.stderr).toContain('NT_STATUS_ACCESS_DENIED');
  });
});
