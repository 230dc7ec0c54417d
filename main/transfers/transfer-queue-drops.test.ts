// The queue against a drive that keeps dropping: a server that accepts connections but never
// completes a request makes its jobs fail after MAX_DROPS_WITHOUT_PROGRESS reconnects (issue 7),
// progress starts the count again, and a drive that cannot be reached at all does not count.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmbError } from '../../protocol/index.js';
import { MAX_DROPS_WITHOUT_PROGRESS } from './drop-budget.js';
import { FakeProvider, FakeTree, settled, timeoutError, transportError } from './fake-tree.test-helpers.js';
import { LocalTransferQueue } from './transfer-queue.js';

const KiB = 1024;
let dir: string;
let queue: LocalTransferQueue | undefined;

beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-drops-'))));
afterEach(async () => {
  await queue?.dispose();
  queue = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(provider: FakeProvider, maxConcurrent = 2): Promise<LocalTransferQueue> {
  queue = await LocalTransferQueue.open({ provider, configDir: join(dir, 'config'), offlineRetryMs: 2, progressIntervalMs: 0, maxConcurrent });
  return queue;
}

describe('a drive that drops under its jobs', () => {
  it(`fails after ${MAX_DROPS_WITHOUT_PROGRESS} reconnects without progress, with the last reason, and removes the partial`, async () => {
    const tree = new FakeTree();
    tree.addFile('big.bin', Buffer.alloc(1024 * KiB, 7));
    // The first connection copies 64 KiB and then stops answering; every later one answers nothing.
    tree.onRead = () => (tree.reads === 1 ? { bytes: 64 * KiB, error: timeoutError() } : { bytes: 0, error: timeoutError() });
    const provider = new FakeProvider({ nas: tree });
    const q = await open(provider);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'big.bin', localPath: join(dir, 'big.bin') });
    const end = await settled(q, job.id);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('timeout');
    expect(end.error?.message).toMatch(new RegExp(`^gave up after ${MAX_DROPS_WITHOUT_PROGRESS} reconnects without progress: READ did not answer`));
    // One run that made progress, then exactly the bound.
    expect(provider.acquired).toBe(1 + MAX_DROPS_WITHOUT_PROGRESS);
    expect((await readdir(dir)).filter((n) => n !== 'config')).toEqual([]);
  });

  it('a drop after progress starts the count again, so a slow but working server finishes', async () => {
    const tree = new FakeTree();
    const data = Buffer.alloc(1024 * KiB);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
    tree.addFile('big.bin', data);
    // Each connection gets 64 KiB through and then hangs: 16 drops in all, far past the bound.
    tree.onRead = () => ({ bytes: 64 * KiB, error: timeoutError() });
    const provider = new FakeProvider({ nas: tree });
    const q = await open(provider);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'big.bin', localPath: join(dir, 'big.bin') });
    const end = await settled(q, job.id);
    expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
    expect(provider.acquired).toBeGreaterThan(MAX_DROPS_WITHOUT_PROGRESS * 2);
    expect((await readFile(join(dir, 'big.bin'))).equals(data)).toBe(true);
  });

  it('jobs that drop together count once; giving up fails the drive\'s other waiting jobs too', async () => {
    const tree = new FakeTree();
    for (const n of ['a', 'b', 'c', 'd', 'e']) tree.addFile(`${n}.bin`, Buffer.alloc(10 * KiB, 1));
    tree.onRead = () => ({ bytes: 0, error: timeoutError() });
    const provider = new FakeProvider({ nas: tree });
    const q = await open(provider, 2);
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((n) => q.enqueue({ direction: 'download', driveId: 'nas', remotePath: `${n}.bin`, localPath: join(dir, `${n}.bin`) }));
    const ends = await Promise.all(jobs.map((j) => settled(q, j.id)));
    for (const e of ends) {
      expect(e.state).toBe('failed');
      expect(e.error?.message).toMatch(/^gave up after \d+ reconnects without progress/);
    }
    // Two at a time over five rounds, not five rounds for each of the five jobs.
    expect(provider.acquired).toBeLessThanOrEqual(2 * MAX_DROPS_WITHOUT_PROGRESS + 2);
    expect((await readdir(dir)).filter((n) => n !== 'config')).toEqual([]);
  });

  it('reconnects that the server accepts and never answers count too', async () => {
    const tree = new FakeTree();
    tree.addFile('big.bin', Buffer.alloc(256 * KiB, 7));
    // The first run gets some bytes; after that, every connection attempt times out after TCP.
    tree.onRead = () => {
      provider.refuse = new SmbError('timeout', 'no response to NEGOTIATE in 1600 ms', { command: 'NEGOTIATE' });
      return { bytes: 64 * KiB, error: timeoutError() };
    };
    const provider = new FakeProvider({ nas: tree });
    const q = await open(provider);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'big.bin', localPath: join(dir, 'big.bin') });
    const end = await settled(q, job.id);
    expect(end.state).toBe('failed');
    expect(end.error?.message).toMatch(/^gave up after 5 reconnects without progress: no response to NEGOTIATE/);
    expect(provider.acquired).toBe(1 + MAX_DROPS_WITHOUT_PROGRESS);
    expect((await readdir(dir)).filter((n) => n !== 'config')).toEqual([]);
  });

  it('a drive that cannot be reached at all keeps the job paused until it is back, however long', async () => {
    const tree = new FakeTree();
    tree.addFile('f.txt', 'hello\n');
    const provider = new FakeProvider({ nas: tree });
    provider.refuse = transportError();
    const q = await open(provider);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'f.txt', localPath: join(dir, 'f.txt') });
    while (provider.acquired < 4 * MAX_DROPS_WITHOUT_PROGRESS) await new Promise((r) => setTimeout(r, 2));
    expect(q.get(job.id)).toMatchObject({ state: 'paused', pauseReason: 'drive-offline' });
    provider.refuse = undefined;
    expect((await settled(q, job.id)).state).toBe('done');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('hello\n');
  });
});
