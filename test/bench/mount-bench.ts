// The mount's rows of `npm run bench` (issue 10): 1 GiB sequential read and write through the FUSE
// mount (cp, like a person would) beside our CLI's get/put of the same file in the same run, and
// `ls -l` of the 20,000-entry folder through the mount beside smbclient's `ls`. Reports the medians
// and the ratios (throughput mount ÷ CLI, target >= 0.80); never fails the run. Skipped, with the
// reason, where FUSE cannot mount.
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMountManager, loadFuseBinding } from '../../main/mount/index.js';
import { DriveSupervisor } from '../../main/supervisor/index.js';
import type { SambaServer } from '../harness/samba-server.js';
import { timeOurs } from './ours-runner.js';
import { timeSmbclientList } from './smbclient-runner.js';
import { median } from './stats.js';
import { fresh } from './machine-state.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function timed(cmd: string): Promise<number> {
  const t0 = performance.now();
  await run('bash', ['-c', cmd], { maxBuffer: 64 * 1024 * 1024 });
  return performance.now() - t0;
}


/** Lines for the bench's notes; `share` must hold big.bin (sizeMiB) and many/ (entries). */
export async function runMountBench(server: SambaServer, local: string, sizeMiB: number, entries: number, runs: number): Promise<string[]> {
  const loaded = loadFuseBinding();
  if ('problem' in loaded) return [`mount rows skipped: ${loaded.problem}`];
  const supervisor = new DriveSupervisor({ credentials: async () => ({ kind: 'user', user: server.user, password: server.password }), connectTimeoutMs: 5000 });
  const target = `smb://${server.host}:${server.port}/public`;
  supervisor.add({ id: 'bench', name: 'bench', target, alternates: [], user: server.user, options: {}, persistent: true });
  const mounts = createMountManager({ supervisor, binding: loaded.binding });
  const dir = join(local, 'mnt');
  const url = (p: string): string => `//${server.host}/public/${p}`;
  try {
    await supervisor.acquire('bench');
    await mounts.mount({ id: 'bench', name: 'bench', target }, dir);
    const got = join(local, 'got.bin');
    const src = join(local, 'src.bin');
    const up = join(server.shareDir('public'), 'up.bin');
    const t = { mountRead: [] as number[], cliGet: [] as number[], mountWrite: [] as number[], cliPut: [] as number[], mountLs: [] as number[], smbLs: [] as number[], ddRead: [] as number[], ddWrite: [] as number[] };
    for (let i = 0; i <= runs; i++) {
      const keep = i > 0; // the first round warms up
      await fresh(got);
      const mr = await timed(`cp "${dir}/big.bin" "${got}"`);
      if ((await stat(got)).size !== sizeMiB * 1024 * 1024) throw new Error('mount read: wrong size');
      await fresh(got);
      const cg = (await timeOurs(server, ['get', url('big.bin'), got])).ms;
      await fresh(up);
      const mw = await timed(`cp "${src}" "${dir}/up.bin"`);
      await fresh(up);
      const cp = (await timeOurs(server, ['put', src, url('up.bin')])).ms;
      // dd with 1 MiB blocks (the mount's largest request), beside cp's 128 KiB.
      await fresh(got);
      const dr = await timed(`dd if="${dir}/big.bin" of="${got}" bs=1M status=none`);
      await fresh(up);
      const dw = await timed(`dd if="${src}" of="${dir}/up.bin" bs=1M status=none`);
      await sleep(1100); // the attribute and listing cache (1 s) expired: a cold ls -l
      const ml = await timed(`ls -l "${dir}/many" > /dev/null`);
      const sl = (await timeSmbclientList(server, 'public', 'many')).ms;
      if (!keep) continue;
      t.mountRead.push(mr);
      t.cliGet.push(cg);
      t.mountWrite.push(mw);
      t.cliPut.push(cp);
      t.mountLs.push(ml);
      t.ddRead.push(dr);
      t.ddWrite.push(dw);
      t.smbLs.push(sl);
    }
    const m = (xs: number[]): number => median(xs);
    const mibs = (ms: number): string => `${((sizeMiB * 1000) / ms).toFixed(0)} MiB/s`;
    const all = (xs: number[], cli: number[]): string => xs.map((x, i) => ((cli[i] ?? Number.NaN) / x).toFixed(2)).join(' ');
    return [
      `FUSE binding: ${loaded.binding.name}`,
      `mount read ${sizeMiB} MiB (dd bs=1M): ${m(t.ddRead).toFixed(0)} ms (${mibs(m(t.ddRead))}); mount ÷ CLI get ${(m(t.cliGet) / m(t.ddRead)).toFixed(2)} (per run: ${all(t.ddRead, t.cliGet)})`,
      `mount write ${sizeMiB} MiB (dd bs=1M): ${m(t.ddWrite).toFixed(0)} ms (${mibs(m(t.ddWrite))}); mount ÷ CLI put ${(m(t.cliPut) / m(t.ddWrite)).toFixed(2)} (per run: ${all(t.ddWrite, t.cliPut)})`,
      `mount read ${sizeMiB} MiB (cp out of the mount): ${m(t.mountRead).toFixed(0)} ms (${mibs(m(t.mountRead))}); CLI get ${m(t.cliGet).toFixed(0)} ms (${mibs(m(t.cliGet))}); mount ÷ CLI throughput ${(m(t.cliGet) / m(t.mountRead)).toFixed(2)} (target >= 0.80)`,
      `mount write ${sizeMiB} MiB (cp into the mount): ${m(t.mountWrite).toFixed(0)} ms (${mibs(m(t.mountWrite))}); CLI put ${m(t.cliPut).toFixed(0)} ms (${mibs(m(t.cliPut))}); mount ÷ CLI throughput ${(m(t.cliPut) / m(t.mountWrite)).toFixed(2)} (target >= 0.80)`,
      `ls -l ${entries} entries through the mount: ${m(t.mountLs).toFixed(0)} ms; smbclient ls ${m(t.smbLs).toFixed(0)} ms; ratio ${(m(t.mountLs) / m(t.smbLs)).toFixed(2)}`,
    ];
  } finally {
    await mounts.dispose().catch(() => undefined);
    await supervisor.dispose();
  }
}
