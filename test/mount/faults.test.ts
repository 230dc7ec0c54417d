// The mount when the network fails, in network namespaces (test/faults/netns-lab.ts): the real CLI
// serves the mount inside the client namespace (`sharekeeper mount --foreground`), programs run in
// its mount namespace through nsenter. A blackholed server: `stat` and `ls` in the mount fail within
// 1 s, the mount point itself answers at once; the path back: the same `ls` works within 2 s; a
// 10 s link-down during a copy into and out of the mount (durable handles): it completes, same
// bytes; unmount while the server is gone. Prints the figures with a [mount] prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { labUnavailableReason, NetnsLab, SERVER_IP, stopChild } from '../faults/netns-lab.js';
import { assertBuilt, BIN } from '../integration/cli-run.js';
import { DURABLE_CONF, sh, skipReason as fuseSkip, type ShResult } from './mount-rig.js';

const labSkip = fuseSkip ?? (await labUnavailableReason());
if (labSkip !== undefined && fuseSkip === undefined) console.log(`[mount] fault cases skipped: ${labSkip}`);
const MiB = 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.skipIf(labSkip !== undefined)('the mount when the network fails', () => {
  let lab: NetnsLab;
  let server: SambaServer;
  let root: string;
  let dir: string;
  let env: Record<string, string>;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let sum: string;

  /** A command in the mount process's namespaces (its mounts and its network). */
  const inMount = (command: string, timeoutMs = 20_000): Promise<ShResult> =>
    sh(`nsenter -t ${agent?.pid} -m -n -- bash -c ${JSON.stringify(command)}`, { timeoutMs });
  const cli = (args: string, timeoutMs = 30_000): Promise<ShResult> =>
    sh(`ip netns exec ${lab.clientNs} "${process.execPath}" "${BIN}" ${args}`, { env, timeoutMs });

  async function startAgent(): Promise<void> {
    agentLog = '';
    const child = spawn('ip', ['netns', 'exec', lab.clientNs, process.execPath, BIN, 'mount', 'Team', dir, '--foreground', '-d', '2'], {
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent = child;
    child.stdout?.on('data', (b: Buffer) => (agentLog += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (agentLog += b.toString()));
    const t0 = Date.now();
    while (!agentLog.includes('mounted at')) {
      if (child.exitCode !== null || Date.now() - t0 > 20_000) throw new Error(`the mount did not come up:\n${agentLog}`);
      await sleep(50);
    }
  }

  beforeAll(async () => {
    assertBuilt();
    lab = await NetnsLab.create('mnt');
    server = await startSamba({ ip: SERVER_IP, netns: lab.serverNs, extra: DURABLE_CONF });
    sum = await makeRandomFile(join(server.shareDir('private'), 'big.bin'), 64 * MiB);
    root = await mkdtemp(join(tmpdir(), 'sk-mount-faults-'));
    dir = join(root, 'mnt');
    env = { HOME: root, XDG_CONFIG_HOME: join(root, 'config'), SHAREKEEPER_PASSWORD: server.password };
    const m = await cli(`map Team //${SERVER_IP}:${server.port}/private -U ${server.user}`);
    expect(m.code, m.stderr).toBe(0);
    await startAgent();
  });
  afterAll(async () => {
    if (agent) await stopChild(agent, 5000);
    await sh(`fusermount -uz "${dir}"`).catch(() => undefined);
    await server?.stop();
    await lab?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('blackholed server: stat and ls fail within 1 s, the mount point answers at once; back: ls works within 2 s', async () => {
    expect((await inMount(`ls "${dir}"`)).stdout).toContain('big.bin');
    await sleep(1300); // let every cache (ours and the kernel's, 1 s) expire
    await lab.blackhole();
    const cutAt = Date.now();
    const st = await inMount(`stat "${dir}/big.bin"`);
    const statMs = Date.now() - cutAt;
    const root0 = Date.now();
    const rootStat = await inMount(`stat "${dir}"`);
    const rootMs = Date.now() - root0;
    const ls0 = Date.now();
    const ls = await inMount(`ls "${dir}/"`);
    const lsMs = Date.now() - ls0;
    console.log(`[mount] blackhole: stat failed after ${statMs} ms (${st.stderr.trim()}); ls ${lsMs} ms; stat of the mount point ${rootMs} ms`);
    if (statMs >= 1000) console.log(agentLog.split('\n').slice(-30).join('\n'));
    expect(st.code).not.toBe(0);
    expect(st.stderr).toMatch(/Host is down|Input\/output error|Connection timed out/);
    expect(statMs).toBeLessThan(1000);
    expect(ls.code).not.toBe(0);
    expect(lsMs).toBeLessThan(1000);
    expect(rootStat.code).toBe(0);
    expect(rootMs).toBeLessThan(300);
    await sleep(3000);
    await lab.clearBlackholes();
    const backAt = Date.now();
    let tries = 0;
    for (;;) {
      tries++;
      const r = await inMount(`ls "${dir}"`, 5000);
      if (r.code === 0 && r.stdout.includes('big.bin')) break;
      if (Date.now() - backAt > 15_000) throw new Error(`ls still failing 15 s after the path came back: ${r.stderr}\n${agentLog}`);
      await sleep(100);
    }
    const backMs = Date.now() - backAt;
    console.log(`[mount] path back → the same ls works after ${backMs} ms (${tries} tries)`);
    expect(backMs).toBeLessThan(2000);
  });

  // After the outage the server still holds the old session (and its durable opens, with their
  // batch oplocks) until its own TCP notices the old connection died. The reconnect names that
  // session (PreviousSessionId, MS-SMB2 3.2.4.2.3), so the server ends it at once and the reclaim
  // finds the opens (test/integration/protocol-durable.test.ts shows both sides of that).
  it('link down 10 s during a copy into and out of the mount: completes, same bytes (durable handles)', async () => {
    await lab.limitServerRate(200);
    const local = join(root, 'out.bin');
    const inSum = await makeRandomFile(join(root, 'in.bin'), 48 * MiB);
    const copyOut = inMount(`cp "${dir}/big.bin" "${local}"`, 90_000);
    const copyIn = inMount(`cp "${root}/in.bin" "${dir}/in.bin"`, 90_000);
    // Both copies have their files open and are moving (an open during the outage fails fast, by design).
    const size = (p: string): Promise<number> => stat(p).then((x) => x.size, () => 0);
    const t0 = Date.now();
    while ((await size(local)) < 4 * MiB || (await size(join(server.shareDir('private'), 'in.bin'))) < 4 * MiB) {
      if (Date.now() - t0 > 20_000) throw new Error('the copies did not start');
      await sleep(20);
    }
    await lab.serverLink(false);
    await sleep(10_000);
    const upAt = Date.now();
    await lab.serverLink(true);
    const [o, i] = await Promise.all([copyOut, copyIn]);
    console.log(`[mount] link down 10 s: copies finished ${Date.now() - upAt} ms after the link came back; out ${o.code} ${o.stderr.trim()}; in ${i.code} ${i.stderr.trim()}`);
    await lab.limitServerRate(undefined);
    if (o.code !== 0 || i.code !== 0) console.log(agentLog.split('\n').slice(-40).join('\n'));
    expect({ code: o.code, err: o.stderr }).toEqual({ code: 0, err: '' });
    expect({ code: i.code, err: i.stderr }).toEqual({ code: 0, err: '' });
    expect(await sha256File(local)).toBe(sum);
    expect(await sha256File(join(server.shareDir('private'), 'in.bin'))).toBe(inSum);
    // Both copies went on on their own handles: reclaimed, never refused and opened again.
    expect(agentLog).not.toMatch(/did not give the open back/);
    expect(agentLog.match(/durable open was reclaimed/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it('unmount while the server is gone', async () => {
    await lab.blackhole();
    const t0 = Date.now();
    const u = await sh(`nsenter -t ${agent?.pid} -m -n -- "${process.execPath}" "${BIN}" unmount Team`, { env, timeoutMs: 30_000 });
    const ms = Date.now() - t0;
    console.log(`[mount] unmount with the server blackholed: ${ms} ms (${u.stdout.trim()} ${u.stderr.trim()})`);
    expect(u.code, u.stderr).toBe(0);
    expect(ms).toBeLessThan(10_000);
    const t1 = Date.now();
    while (agent?.exitCode === null && Date.now() - t1 < 10_000) await sleep(50);
    expect(agent?.exitCode).toBe(0);
    await lab.clearBlackholes();
  });
});
