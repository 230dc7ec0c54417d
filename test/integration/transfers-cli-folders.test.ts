// Folder copies with `sharekeeper copy` against a real smbd, run as a user would: the share root
// and a drive root copy like any folder; an unreadable subfolder or file is reported and the rest
// is copied (exit 1 with the list, as `cp -r` does); Ctrl-C removes the partial files, locally and
// on the share (exit 130). Needs `npm run build` first.
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli, startCli, type CliResult } from './cli-run.js';

const MiB = 1024 * 1024;
let s: SambaServer;
let root: string;
let env: Record<string, string>;
let target: string;
let share: string;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (!e.isDirectory()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.sort();
}

function cli(args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return runCli(args, { env, timeoutMs });
}

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  target = `//127.0.0.1:${s.port}/private`;
  share = s.shareDir('private');
  root = await mkdtemp(join(tmpdir(), 'sk-cli-folders-'));
  env = { HOME: root, XDG_CONFIG_HOME: join(root, 'config'), XDG_RUNTIME_DIR: join(root, 'run'), SHAREKEEPER_PASSWORD: s.password };
  await mkdir(env['XDG_RUNTIME_DIR']!, { recursive: true, mode: 0o700 });
  await writeFile(join(share, 'top.txt'), 'top\n');
  await mkdir(join(share, 'd'));
  await writeFile(join(share, 'd', 'inner.txt'), 'inner\n');
});
afterAll(async () => {
  await chmod(join(share, 'mixed', 'locked'), 0o755).catch(() => undefined);
  await s?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('copy of folders', () => {
  it('the share root copies like any folder', async () => {
    const dest = await mkdtemp(join(root, 'share-root-'));
    const r = await cli(['copy', `${target}/`, join(dest, 'all'), '-U', s.user, '--no-progress']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await filesUnder(join(dest, 'all'))).toEqual(['d/inner.txt', 'top.txt']);
  });

  it('a drive root copies like any folder', async () => {
    expect((await cli(['map', 'Root', target, '-U', s.user])).code).toBe(0);
    const dest = await mkdtemp(join(root, 'drive-root-'));
    const r = await cli(['copy', 'Root:', `${dest}/`, '--no-progress']);
    // No keychain on the test box: the CLI says so, and nothing else.
    const said = r.stderr.split('\n').filter((l) => l !== '' && !l.includes('no OS keychain answers'));
    expect({ code: r.code, said }).toEqual({ code: 0, said: [] });
    expect(await filesUnder(join(dest, 'Root'))).toEqual(['d/inner.txt', 'top.txt']);
    expect((await cli(['unmap', 'Root'])).code).toBe(0);
  });

  it('an unreadable subfolder and file are listed (exit 1) and everything else is copied', async () => {
    const src = join(share, 'mixed');
    for (const rel of ['a.txt', 'locked/x.txt', 'ok/b.txt', 'ok/secret.txt', 'z.txt']) {
      await mkdir(join(src, rel, '..'), { recursive: true });
      await writeFile(join(src, rel), `${rel}\n`);
    }
    await chmod(join(src, 'ok', 'secret.txt'), 0o000);
    await chmod(join(src, 'locked'), 0o000);
    const dest = await mkdtemp(join(root, 'mixed-'));
    const r = await cli(['copy', `${target}/mixed`, join(dest, 'mixed'), '-U', s.user, '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mixed/locked');
    expect(r.stderr).toContain('mixed/ok/secret.txt');
    expect(r.stderr).toMatch(/2 of 5 entries were not copied/);
    // The status name once per line, not "NT_STATUS_X: NT_STATUS_X (...)".
    for (const line of r.stderr.split('\n')) expect(line.match(/STATUS_ACCESS_DENIED/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(await filesUnder(join(dest, 'mixed'))).toEqual(['a.txt', 'ok/b.txt', 'z.txt']);
  });

  it('Ctrl-C mid-copy of a folder removes the partial files, locally and on the share (exit 130)', async () => {
    const big = join(share, 'bigdir');
    await mkdir(big);
    for (let i = 0; i < 4; i++) await makeRandomFile(join(big, `f${i}.bin`), 192 * MiB);
    const dest = await mkdtemp(join(root, 'sigint-down-'));
    const down = startCli(['copy', `${target}/bigdir`, join(dest, 'bigdir'), '-U', s.user, '--no-progress'], { env, timeoutMs: 60_000 });
    down.child.stdin?.end();
    await until(async () => (await filesUnder(dest).catch(() => [])).some((n) => n.includes('sharekeeper-partial')), 20_000);
    down.child.kill('SIGINT');
    const r = await down.done;
    expect(r.code).toBe(130);
    await expectNoPartials(dest, big);

    // And the other way: the partials on the share go too.
    const local = join(root, 'up-src');
    await mkdir(local);
    for (let i = 0; i < 3; i++) await makeRandomFile(join(local, `u${i}.bin`), 192 * MiB);
    const up = startCli(['copy', local, `${target}/up-dest`, '-U', s.user, '--no-progress'], { env, timeoutMs: 60_000 });
    up.child.stdin?.end();
    await until(async () => (await filesUnder(join(share, 'up-dest')).catch(() => [])).some((n) => n.includes('sharekeeper-partial')), 20_000);
    up.child.kill('SIGINT');
    const u = await up.done;
    expect(u.code).toBe(130);
    await expectNoPartials(join(share, 'up-dest'), local);
  });
});

/** No partial file under `dir`, and whatever is there under a final name is complete. */
async function expectNoPartials(dir: string, source: string): Promise<void> {
  const names = await filesUnder(dir).catch(() => []);
  expect(names.filter((n) => n.includes('sharekeeper-partial'))).toEqual([]);
  for (const n of names) expect(await sha256File(join(dir, n))).toBe(await sha256File(join(source, n)));
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
