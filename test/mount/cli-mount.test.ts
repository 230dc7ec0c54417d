// The commands as a user runs them (node bin/sharekeeper.js; needs `npm run build`): map --mount,
// drives showing the mount point, unmount, mount into a folder that is not empty (refused), watch
// keeping a mounted drive mounted, and unmount while the server is gone.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ourMountAt, unmountFuse } from '../../main/mount/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli, startCli } from '../integration/cli-run.js';
import { DURABLE_CONF, ok, sh, skipReason } from './mount-rig.js';

let s: SambaServer;
let root: string;
let env: Record<string, string>;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function cli(args: string[], timeoutMs = 40_000) {
  return runCli(args, { env, timeoutMs });
}

async function waitFor(f: () => Promise<boolean>, ms: number, what: string): Promise<number> {
  const t0 = Date.now();
  while (!(await f())) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
  return Date.now() - t0;
}

/** Every process still holding a mount lock (a background `mount`), stopped at the end. */
async function killLeftovers(): Promise<void> {
  const dir = join(env['XDG_CONFIG_HOME']!, 'sharekeeper', 'mounts');
  if (!existsSync(dir)) return;
  for (const f of await readdir(dir)) {
    if (!f.endsWith('.json')) continue;
    const info = JSON.parse(await readFile(join(dir, f), 'utf8')) as { pid: number; mountPoint: string };
    try {
      process.kill(info.pid, 'SIGKILL');
    } catch {
      // gone
    }
    await unmountFuse(info.mountPoint).catch(() => undefined);
  }
}

describe.skipIf(skipReason !== undefined)('sharekeeper map --mount, mount, unmount, drives, watch', () => {
  beforeAll(async () => {
    assertBuilt();
    s = await startSamba({ extra: DURABLE_CONF });
    root = await mkdtemp(join(tmpdir(), 'sk-cli-mount-'));
    env = { HOME: root, XDG_CONFIG_HOME: join(root, 'config'), XDG_RUNTIME_DIR: join(root, 'run'), SHAREKEEPER_PASSWORD: s.password };
  });
  afterAll(async () => {
    if (env) await killLeftovers();
    await s?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('map --mount mounts at ~/ShareKeeper/NAME; files go through; drives shows it; unmount takes it away', async () => {
    const m = await cli(['map', 'Team', `//127.0.0.1:${s.port}/private`, '-U', s.user, '--mount']);
    expect(m.stderr, m.stderr).toContain('mounted at');
    expect(m.code).toBe(0);
    const dir = join(root, 'ShareKeeper', 'Team');
    expect(await ourMountAt(dir)).toBeDefined();
    await ok(`echo through-the-mount > "${dir}/hello.txt"`);
    expect(await readFile(join(s.shareDir('private'), 'hello.txt'), 'utf8')).toBe('through-the-mount\n');
    const d = await cli(['drives', '--json']);
    expect(JSON.parse(d.stdout)).toMatchObject([{ name: 'Team', status: 'connected', mountPoint: dir, mounted: true, keepMounted: true }]);
    expect((await cli(['drives'])).stdout).toContain(`Team  mounted at ${dir}`);
    const u = await cli(['unmount', 'Team']);
    expect(u.stdout).toContain('Team unmounted');
    expect(u.code).toBe(0);
    expect(await ourMountAt(dir)).toBeUndefined();
    expect(await readdir(dir)).toEqual([]);
    expect(JSON.parse((await cli(['drives', '--json'])).stdout)).toMatchObject([{ mounted: false, keepMounted: false }]);
  });

  it('refuses a folder that is not empty, and one that is already mounted', async () => {
    const full = join(root, 'full');
    await mkdir(full);
    await writeFile(join(full, 'keep.txt'), 'mine');
    const r = await cli(['mount', 'Team', full]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not empty');
    const dir = join(root, 'mnt2');
    expect((await cli(['mount', 'Team', dir])).code).toBe(0);
    const again = await cli(['mount', 'Team', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already mounted');
    expect((await cli(['unmount', 'Team'])).code).toBe(0);
  });

  it('watch mounts a drive marked mounted and unmounts it when stopped', async () => {
    const dir = join(root, 'watched');
    expect((await cli(['mount', 'Team', dir])).code).toBe(0);
    // Stop the background process behind the CLI's back: the drive stays marked mounted.
    const lock = JSON.parse(await readFile(join(env['XDG_CONFIG_HOME']!, 'sharekeeper', 'mounts', `${JSON.parse((await cli(['drives', '--json'])).stdout)[0].id}.json`), 'utf8')) as { pid: number };
    process.kill(lock.pid, 'SIGTERM');
    await waitFor(async () => (await ourMountAt(dir)) === undefined, 10_000, 'daemon unmount');
    const w = startCli(['watch'], { env, timeoutMs: 60_000 });
    await waitFor(async () => (await ourMountAt(dir)) !== undefined, 20_000, 'watch mounts');
    await ok(`ls "${dir}"`);
    w.child.kill('SIGTERM');
    await w.done;
    expect(await ourMountAt(dir)).toBeUndefined();
  });

  it('unmount works while the server is gone', async () => {
    const dir = join(root, 'gone');
    expect((await cli(['mount', 'Team', dir])).code).toBe(0);
    await s.stop();
    const t0 = Date.now();
    const stat = await sh(`stat "${dir}"`, { timeoutMs: 5000 });
    expect(stat.code).toBe(0);
    const u = await cli(['unmount', 'Team'], 30_000);
    const ms = Date.now() - t0;
    console.log(`[mount] unmount with the server gone: ${ms} ms (${u.stdout.trim()})`);
    expect(u.code).toBe(0);
    expect(await ourMountAt(dir)).toBeUndefined();
    expect(ms).toBeLessThan(10_000);
  });
});
