// `npm run bench`: our CLI and smbclient, alternating run by run against one fresh Samba, on the
// same files. Prints medians and the ratio ours ÷ smbclient (below 1.00: we are faster), our peak
// RSS and our event-loop lag (p99). It reports; it never fails a build. BENCH_ONLY=encrypted runs
// only the rows whose name contains that word.
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeManyFiles, makeRandomFile } from '../harness/fixtures.js';
import { formatTable, makeRow, type BenchRow } from './stats.js';
import { reportRow, writeReport, type ReportRow, type Sample } from './report.js';
import type { CpuTimes } from './child-cpu.js';
import { timeSmbclient, timeSmbclientGet, timeSmbclientList, timeSmbclientPut } from './smbclient-runner.js';
import { nodeStartNote, timeOurs } from './ours-runner.js';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SmbClient } from '../../protocol/index.js';
import { downloadFile } from '../../main/transfers/copy-file.js';
import { runUiBench } from './ui-bench.js';
import { cleanupSmb1, prepareSmb1, smb1Cases } from './smb1-cases.js';
import { fresh, settleFreedMemory } from './machine-state.js';

const MiB = 1024 * 1024;
const run = promisify(execFile);
/** Where each run's report goes (git-ignored); BENCH_REPORT_DIR moves it. */
const REPORT_ROOT = process.env.BENCH_REPORT_DIR ?? join(process.cwd(), 'bench-results');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE_MiB = Number(process.env.BENCH_SIZE_MIB ?? 1024);
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 20_000);

interface Case {
  name: string;
  /** GiB moved per run, for CPU per GiB; undefined for listings. */
  gib?: number;
  /** Untimed, before every run of either side: same starting state for both (no old file, clean page cache). */
  before?: () => Promise<void>;
  ours: () => Promise<{ ms: number; rssMiB: number; lagP99Ms: number; cpu: CpuTimes }>;
  smbclient: () => Promise<{ ms: number; cpu: CpuTimes }>;
  check?: () => Promise<void>;
}

/** `n` files of `size` random bytes under `dir` (a folder copy's worth of small files). */
async function makeSmallFiles(dir: string, n: number, size: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < n; i++) await writeFile(join(dir, `f${String(i).padStart(6, '0')}.bin`), randomBytes(size));
}

async function expectCount(dir: string, n: number): Promise<void> {
  const got = (await readdir(dir)).length;
  if (got !== n) throw new Error(`${dir}: ${got} files, expected ${n}`);
}

/** Rows of issue 8: folders of small files, where round trips cost more than bytes. */
function folderCases(server: SambaServer, local: string): Case[] {
  const url = (path: string) => `//${server.host}/public/${path}`;
  const shareDir = server.shareDir('public');
  const down = (folder: string, n: number): Case => {
    const dest = join(local, `down-${folder}`);
    const fresh = async () => {
      await rm(dest, { recursive: true, force: true });
      await mkdir(dest);
      await run('sync', []);
    };
    return {
      name: `copy down ${folder.replace('x', ' × ')}`,
      before: fresh,
      ours: () => timeOurs(server, ['copy', url(folder), `${dest}/`, '--on-conflict', 'overwrite', '--no-progress']),
      smbclient: () => timeSmbclient(server, 'public', `prompt off; recurse on; lcd "${dest}"; mget ${folder}`),
      check: () => expectCount(join(dest, folder), n),
    };
  };
  const up = (folder: string, n: number): Case => ({
    name: `copy up ${folder.replace('x', ' × ')}`,
    before: async () => {
      await rm(join(shareDir, 'up'), { recursive: true, force: true });
      await mkdir(join(shareDir, 'up'), { mode: 0o777 });
      await run('chmod', ['0777', join(shareDir, 'up')]);
      await run('sync', []);
    },
    ours: () => timeOurs(server, ['copy', join(local, folder), `${url('up')}/`, '--on-conflict', 'overwrite', '--no-progress']),
    smbclient: () => timeSmbclient(server, 'public', `prompt off; recurse on; lcd "${local}"; cd up; mput ${folder}`),
    check: () => expectCount(join(shareDir, 'up', folder), n),
  });
  return [down('1000x4KiB', 1000), up('1000x4KiB', 1000), down('10000x1KiB', 10_000)];
}

async function expectSize(path: string, size: number): Promise<void> {
  const s = await stat(path);
  if (s.size !== size) throw new Error(`${path}: ${s.size} bytes, expected ${size}`);
}

function cases(server: SambaServer, local: string): Case[] {
  const url = (path: string) => `//${server.host}/public/${path}`;
  const size = SIZE_MiB * MiB;
  const got = join(local, 'got.bin');
  const src = join(local, 'src.bin');
  return [
    {
      name: `get ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(got),
      ours: () => timeOurs(server, ['get', url('big.bin'), got]),
      smbclient: () => timeSmbclientGet(server, 'public', 'big.bin', got),
      check: () => expectSize(got, size),
    },
    {
      name: `put ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(join(server.shareDir('public'), 'up.bin')),
      ours: () => timeOurs(server, ['put', src, url('up.bin')]),
      smbclient: () => timeSmbclientPut(server, 'public', src, 'up.bin'),
      check: () => expectSize(join(server.shareDir('public'), 'up.bin'), size),
    },
    {
      name: `ls ${ENTRIES} entries`,
      ours: () => timeOurs(server, ['ls', url('many')]),
      smbclient: () => timeSmbclientList(server, 'public', 'many'),
    },
    {
      name: `signed get ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(got),
      ours: () => timeOurs(server, ['get', url('big.bin'), got], ['--sign']),
      smbclient: () => timeSmbclient(server, 'public', `get big.bin "${got}"`, { extraArgs: ['--client-protection=sign'] }),
      check: () => expectSize(got, size),
    },
    {
      name: `encrypted get ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(got),
      ours: () => timeOurs(server, ['get', url('big.bin'), got], ['--encrypt']),
      smbclient: () => timeSmbclient(server, 'public', `get big.bin "${got}"`, { extraArgs: ['--client-protection=encrypt'] }),
      check: () => expectSize(got, size),
    },
    {
      name: `encrypted put ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(join(server.shareDir('public'), 'up.bin')),
      ours: () => timeOurs(server, ['put', src, url('up.bin')], ['--encrypt']),
      smbclient: () => timeSmbclient(server, 'public', `put "${src}" up.bin`, { extraArgs: ['--client-protection=encrypt'] }),
      check: () => expectSize(join(server.shareDir('public'), 'up.bin'), size),
    },
    {
      name: `signed put ${SIZE_MiB} MiB`,
      gib: SIZE_MiB / 1024,
      before: () => fresh(join(server.shareDir('public'), 'up.bin')),
      ours: () => timeOurs(server, ['put', src, url('up.bin')], ['--sign']),
      smbclient: () => timeSmbclient(server, 'public', `put "${src}" up.bin`, { extraArgs: ['--client-protection=sign'] }),
      check: () => expectSize(join(server.shareDir('public'), 'up.bin'), size),
    },
  ];
}

async function measure(c: Case): Promise<{ row: BenchRow; report: ReportRow; rssMiB: number; lagP99Ms: number }> {
  const ours: Sample[] = [];
  const theirs: Sample[] = [];
  let rssMiB = 0;
  let lagP99Ms = 0;
  // One unmeasured warm-up each, then alternate so drift hits both sides alike.
  await c.before?.();
  await c.ours();
  await c.before?.();
  await c.smbclient();
  // Before each timed run: the same files and the same memory state for both (machine-state.ts).
  const prepare = async () => {
    await c.before?.();
    await settleFreedMemory();
  };
  for (let i = 0; i < RUNS; i++) {
    await prepare();
    const o = await c.ours();
    await c.check?.();
    await prepare();
    const s = await c.smbclient();
    await c.check?.();
    ours.push(o);
    theirs.push(s);
    rssMiB = Math.max(rssMiB, o.rssMiB);
    lagP99Ms = Math.max(lagP99Ms, o.lagP99Ms);
  }
  const row = makeRow(c.name, ours.map((x) => x.ms), theirs.map((x) => x.ms));
  return { row, report: reportRow(c.name, ours, theirs, c.gib), rssMiB, lagP99Ms };
}

/**
 * The event-loop lag while an encrypted 1 GiB get runs, measured in this process through the API
 * (the CLI's own figure above also counts its start-up, when module loading blocks the loop).
 * Decryption runs on the main thread, so this is what a UI sharing the loop would feel.
 */
async function lagDuringEncryptedGet(server: SambaServer, local: string): Promise<string> {
  const client = await SmbClient.connect({ host: server.host, port: server.port, encrypt: true });
  try {
    const session = await client.login({ kind: 'user', user: server.user, password: server.password });
    const tree = await session.connectTree('public');
    const lag = monitorEventLoopDelay({ resolution: 1 });
    await fresh(join(local, 'lag.bin'));
    // As before every timed run (machine-state.ts): it came straight after the rows, while the
    // memory they freed was still being reported, and ran 2.2-2.6 s instead of 1.4.
    await settleFreedMemory();
    lag.enable();
    const t0 = performance.now();
    // The product's own download path (the one engine the CLI and the queue run), not a bare stream.
    await downloadFile(tree, 'big.bin', join(local, 'lag.bin'), { flushToDisk: false });
    const ms = performance.now() - t0;
    lag.disable();
    const f = (ns: number) => (ns / 1e6).toFixed(1);
    return `event-loop lag during an encrypted ${SIZE_MiB} MiB get (${client.cipher}, ${ms.toFixed(0)} ms, in-process): p99 ${f(lag.percentile(99))} ms, max ${f(lag.max)} ms (target p99 <= 10 ms)\n`;
  } finally {
    await client.close();
  }
}

const BIG_ENTRIES = Number(process.env.BENCH_BIG_ENTRIES ?? 200_000);

/** Issue 12's listing target: `ls` of BIG_ENTRIES entries, output streamed, peak RSS <= 150 MiB (one run each side). */
async function bigListing(server: SambaServer): Promise<string> {
  const dir = join(server.shareDir('public'), 'huge');
  await makeManyFiles(dir, BIG_ENTRIES);
  try {
    const url = `//${server.host}/public/huge`;
    await timeOurs(server, ['ls', url]); // warm: Samba's directory and inode caches
    const o = await timeOurs(server, ['ls', url]);
    const s = await timeSmbclientList(server, 'public', 'huge');
    if (s.entries !== BIG_ENTRIES) throw new Error(`smbclient listed ${s.entries} of ${BIG_ENTRIES}`);
    return `ls ${BIG_ENTRIES} entries: ours ${o.ms.toFixed(0)} ms, smbclient ${s.ms.toFixed(0)} ms (ratio ${(o.ms / s.ms).toFixed(2)}); our peak RSS ${o.rssMiB.toFixed(0)} MiB (target <= 150 MiB)`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const server = await startSamba();
  const local = await mkdtemp(join(tmpdir(), 'sk-bench-'));
  let nt1: SambaServer | undefined;
  try {
    process.stdout.write(`preparing: ${SIZE_MiB} MiB files, ${ENTRIES} entries; ${RUNS} runs per side\n`);
    await makeRandomFile(join(server.shareDir('public'), 'big.bin'), SIZE_MiB * MiB);
    await makeRandomFile(join(local, 'src.bin'), SIZE_MiB * MiB);
    await makeManyFiles(join(server.shareDir('public'), 'many'), ENTRIES);
    await makeSmallFiles(join(server.shareDir('public'), '1000x4KiB'), 1000, 4096);
    await makeSmallFiles(join(local, '1000x4KiB'), 1000, 4096);
    await makeSmallFiles(join(server.shareDir('public'), '10000x1KiB'), 10_000, 1024);
    const rows: BenchRow[] = [];
    const reports: ReportRow[] = [];
    const notes: string[] = [await nodeStartNote()];
    // Issue 12's memory targets: 1 GiB transfers (the rows with a size) <= 100 MiB; a 200,000-entry listing <= 150.
    let peakTransfers = 0;
    let peakOther = 0;
    const only = process.env.BENCH_ONLY;
    // Issue 11: the SMB1 rows run against a second Samba pinned to NT1 (skipped unless asked for or all run).
    nt1 = !only || 'SMB1'.includes(only) || only.includes('SMB1') ? await prepareSmb1(local, SIZE_MiB, ENTRIES) : undefined;
    const legacy = nt1 ? smb1Cases(nt1, local, SIZE_MiB, ENTRIES, fresh) : [];
    for (const c of [...cases(server, local), ...folderCases(server, local), ...legacy].filter((x) => !only || x.name.includes(only))) {
      const { row, report, rssMiB, lagP99Ms } = await measure(c);
      rows.push(row);
      reports.push(report);
      if (c.gib !== undefined && !c.name.startsWith('SMB1')) peakTransfers = Math.max(peakTransfers, rssMiB);
      else peakOther = Math.max(peakOther, rssMiB);
      process.stdout.write(
        `  ${row.name}: ours ${row.oursMs?.toFixed(0)} ms, smbclient ${row.smbclientMs.toFixed(0)} ms, ` +
          `peak RSS ${rssMiB.toFixed(0)} MiB, event-loop lag p99 ${lagP99Ms.toFixed(1)} ms (worst run)\n`,
      );
    }
    if (!only || 'lag'.includes(only)) notes.push((await lagDuringEncryptedGet(server, local)).trim());
    notes.push(`our peak RSS copying ${SIZE_MiB} MiB (get, put, signed, encrypted): ${peakTransfers.toFixed(0)} MiB (target <= 100 MiB); other rows (listings, folders, SMB1): ${peakOther.toFixed(0)} MiB`);
    if (!only || only === 'ls') notes.push(await bigListing(server));
    // Issue 10: the FUSE mount beside the CLI and smbclient (mount-bench.ts); reports, never fails the run.
    if (!only || only === 'mount') {
      const { runMountBench } = await import('./mount-bench.js');
      notes.push(...(await runMountBench(server, local, SIZE_MiB, ENTRIES, RUNS).catch((e: unknown) => [`mount rows failed: ${e instanceof Error ? e.message : String(e)}`])));
    }
    // Issue 12: the best Node peer library on the same get (peer-row.ts); installed into a temp folder, skipped when it cannot be.
    if (!only || only === 'peer') {
      const { runPeerRow } = await import('./peer-row.js');
      notes.push(...(await runPeerRow(local, SIZE_MiB, RUNS, async (path) => {
        await fresh(path);
        await settleFreedMemory();
      })));
    }
    // The UI section: its own Samba, serve and Chromium (ui-bench.ts); reports, never fails the run.
    if (!only || only === 'ui') {
      process.stdout.write('\nUI section\n');
      notes.push(...(await runUiBench().catch((e: unknown) => [`UI section failed: ${e instanceof Error ? e.message : String(e)}`])));
    }
    process.stdout.write('\n' + formatTable(rows) + notes.map((n) => `${n}\n`).join(''));
    if (reports.length > 0) {
      const dir = await writeReport(join(REPORT_ROOT, new Date().toISOString().replace(/[:.]/g, '-')), reports, notes);
      process.stdout.write(`report: ${join(dir, 'report.md')}, ${join(dir, 'report.json')}, ${join(dir, 'ratios.svg')}\n`);
    }
  } finally {
    await cleanupSmb1(nt1, local);
    await server.stop();
    await rm(local, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
