// The queue's cost is linear in the number of files (issue 8: it used to clone every job on every
// state change and scan all jobs for a folder's children, 26.5 s for 1,000 files). A folder of
// 100,000 files on an in-memory share, with a copier that only reports the bytes, measures the
// queue alone (expansion, scheduling, events, folder sums, the journal on a real disk): the time
// per file at 100,000 stays within twice the time per file at 10,000, the heap grows by a bounded
// amount per job, and the 100,000 jobs come back after a restart.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeProvider, FakeTree } from './fake-tree.test-helpers.js';
import type { FileCopier } from './job-runner.js';
import { LocalTransferQueue } from './transfer-queue.js';
import { TERMINAL_STATES, type TransferJob } from './types.js';

/** Files per folder of the fake tree (folders of a realistic size, not one folder of 100,000). */
const PER_FOLDER = 1000;
/**
 * The heap a job may cost, all included: the job object and its strings (id, two paths, two
 * timestamps: about 400 bytes of text), its entries in the queue's indexes (jobs, children,
 * seen names, folder sums) and the journal's batch. Measured about 1 KiB; a clone per change or a
 * leak per event would break it at once (100,000 × anything per change is hundreds of MiB).
 */
const MAX_HEAP_PER_JOB = 2048;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Copies nothing: says the file's bytes came over, as a copy would through onBytes. */
const countingCopier: FileCopier = {
  download: async (ctx, src) => {
    ctx.job.bytesTotal = src.size;
    ctx.onBytes(src.size);
    return { kind: 'done' };
  },
  upload: async () => ({ kind: 'done' }),
};

function treeOf(files: number, root: string): FakeTree {
  const tree = new FakeTree();
  const one = Buffer.from('x');
  for (let i = 0; i < files; i++) tree.addFile(`${root}/d${Math.floor(i / PER_FOLDER)}/f${i}.txt`, one);
  return tree;
}

function until(q: LocalTransferQueue, id: string): Promise<TransferJob> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const j = q.get(id);
      if (!j || !TERMINAL_STATES.includes(j.state)) return false;
      resolve(j);
      return true;
    };
    if (check()) return;
    const off = q.on('state', (e) => e.job.id === id && check() && off());
  });
}

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

let dir: string;
beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-scale-'))));
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface Run {
  files: number;
  ms: number;
  perFileUs: number;
  heapPerJob: number;
  events: number;
  queue: LocalTransferQueue;
  config: string;
}

async function run(files: number): Promise<Run> {
  const tree = treeOf(files, `big${files}`);
  const config = join(dir, `config-${files}`);
  const before = heapMiB();
  const queue = await LocalTransferQueue.open({ provider: new FakeProvider({ nas: tree }), configDir: config, copier: countingCopier });
  let events = 0;
  for (const name of ['added', 'state', 'progress'] as const) queue.on(name, () => void events++);
  const t0 = performance.now();
  const job = queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: `big${files}`, localPath: join(dir, `out-${files}`) });
  const end = await until(queue, job.id);
  const ms = performance.now() - t0;
  expect({ state: end.state, error: end.error, bytesDone: end.bytesDone }).toEqual({ state: 'done', error: undefined, bytesDone: files });
  const heapPerJob = ((heapMiB() - before) * 2 ** 20) / files;
  return { files, ms, perFileUs: (ms * 1000) / files, heapPerJob, events, queue, config };
}

describe('a folder of 100,000 files', () => {
  it('costs the same per file as one of 10,000, in bounded memory, and survives a restart', async () => {
    // Warm up the JIT, so the first measured run is not also the compile.
    await (await run(2000)).queue.dispose();
    const { queue: smallQueue, ...small } = await run(10_000);
    await smallQueue.dispose();
    const large = await run(100_000);
    console.log(
      [small, large]
        .map((r) => `${r.files} files: ${r.ms.toFixed(0)} ms, ${r.perFileUs.toFixed(1)} µs/file, heap ${r.heapPerJob.toFixed(0)} B/job, ${(r.events / r.files).toFixed(1)} events/file`)
        .join('\n'),
    );
    expect(large.perFileUs).toBeLessThanOrEqual(2 * small.perFileUs);
    expect(large.heapPerJob).toBeLessThanOrEqual(MAX_HEAP_PER_JOB);
    // A constant number of events per file (added, queued→running→done, one progress), not one per job per change.
    expect(large.events / large.files).toBeLessThan(8);

    await large.queue.dispose();
    const t0 = performance.now();
    const again = await LocalTransferQueue.open({ provider: new FakeProvider({ nas: new FakeTree() }), configDir: large.config, copier: countingCopier });
    const reloadMs = performance.now() - t0;
    const jobs = again.list();
    console.log(`reload of ${jobs.length} jobs: ${reloadMs.toFixed(0)} ms`);
    expect(jobs.length).toBe(100_000 + 1); // the files and their folder
    expect(jobs.every((j) => j.state === 'done')).toBe(true);
    await again.dispose();
  }, 60_000);
});
