// An upload that fails while the server stalls: removing its partial from the share is bounded
// (the failure is reported within the removal deadline, not the request timeout), the partial is
// named in the failure, kept recorded with the job (persisted), and removed once the drive answers
// again: when the provider says it is back, or when the queue starts next time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NtStatus, SmbStatusError } from '../../protocol/index.js';
import { uploadFile } from './copy-file.js';
import { FakeProvider, FakeTree, settled } from './fake-tree.test-helpers.js';
import { LocalTransferQueue } from './transfer-queue.js';
import type { TransferJob } from './types.js';
import { uploadStream } from './upload-stream.js';
import { Readable } from 'node:stream';

const KiB = 1024;
const DEADLINE = 150;

/** A share that fails writes after `failAfter` bytes (disk full) and, while `stall` is set, never answers an unlink. */
class StallingTree extends FakeTree {
  stall = true;
  failAfter = 128 * KiB;
  unlinks = 0;

  override async unlink(path: string): Promise<void> {
    this.unlinks++;
    if (this.stall) return new Promise<void>(() => undefined);
    return super.unlink(path);
  }

  override createWriteStream(path: string, opts: { start?: number; overwrite?: boolean } = {}): Writable {
    const inner = super.createWriteStream(path, opts);
    let n = 0;
    return new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        n += chunk.length;
        if (n > this.failAfter) return cb(new SmbStatusError(NtStatus.STATUS_DISK_FULL, { operation: 'write', path }));
        inner.write(chunk, cb);
      },
    });
  }
}

const partials = (t: FakeTree): string[] => t.names().filter((n) => n.includes('.sharekeeper-partial-'));

let dir: string;
let queue: LocalTransferQueue | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-leftover-'));
  await writeFile(join(dir, 'big.bin'), Buffer.alloc(1024 * KiB, 3));
});
afterEach(async () => {
  await queue?.dispose();
  queue = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a partial the stalled server does not let us remove', () => {
  it('one-shot upload: fails within the deadline and names the partial left on the share', async () => {
    const tree = new StallingTree();
    const t0 = Date.now();
    const err = await uploadFile(tree, join(dir, 'big.bin'), 'big.bin', { partialRemoveDeadlineMs: DEADLINE }).catch((e: Error) => e);
    expect(Date.now() - t0).toBeLessThan(DEADLINE + 2000);
    expect(err).toBeInstanceOf(SmbStatusError);
    const [left] = partials(tree);
    expect(left).toBeDefined();
    expect((err as Error).message).toContain(`${left} could not be removed from the share`);
    expect(tree.names()).not.toContain('big.bin');
  });

  it('stream upload: the same bound and report', async () => {
    const tree = new StallingTree();
    const err = await uploadStream(tree, Readable.from([Buffer.alloc(512 * KiB)]), 'up.bin', { partialRemoveDeadlineMs: DEADLINE }).catch((e: Error) => e);
    const [left] = partials(tree);
    expect((err as Error).message).toContain(`${left} could not be removed`);
    tree.stall = false;
    // Once the server answers, a removal goes through (nothing under the final name meanwhile).
    expect(tree.names()).toEqual([left]);
  });

  it('queue: the job fails at once with the partial in its failure, keeps it recorded, and removes it when the drive is back', async () => {
    const tree = new StallingTree();
    const provider = new FakeProvider({ nas: tree });
    queue = await LocalTransferQueue.open({ provider, configDir: join(dir, 'config'), progressIntervalMs: 0, partialRemoveDeadlineMs: DEADLINE });
    const t0 = Date.now();
    const job = queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'big.bin', localPath: join(dir, 'big.bin'), conflict: 'overwrite' });
    const end = await settled(queue, job.id);
    expect(Date.now() - t0).toBeLessThan(DEADLINE + 2000);
    expect(end.state).toBe('failed');
    const [left] = partials(tree);
    expect(left).toBeDefined();
    expect(end.leftovers).toEqual([left]);
    expect(end.error?.message).toContain(`${left} could not be removed from the share`);
    // The server answers again and the drive says so: the partial goes.
    tree.stall = false;
    provider.announce({ driveId: 'nas', available: true });
    await until(() => partials(tree).length === 0 && queue!.get(job.id)?.leftovers === undefined, 'the partial removed');
    expect(tree.names()).toEqual([]);
  });

  it('queue: a partial left at the end of one run is removed when the queue starts again', async () => {
    const tree = new StallingTree();
    const provider = new FakeProvider({ nas: tree });
    const configDir = join(dir, 'config');
    queue = await LocalTransferQueue.open({ provider, configDir, progressIntervalMs: 0, partialRemoveDeadlineMs: DEADLINE });
    const job = queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'big.bin', localPath: join(dir, 'big.bin'), conflict: 'overwrite' });
    expect((await settled(queue, job.id)).leftovers).toHaveLength(1);
    await queue.dispose();
    tree.stall = false;
    queue = await LocalTransferQueue.open({ provider, configDir, progressIntervalMs: 0, partialRemoveDeadlineMs: DEADLINE });
    await until(() => partials(tree).length === 0, 'the partial removed after the restart');
    await until(() => queue!.get(job.id)?.leftovers === undefined, 'the job to forget it');
    expect(queue.get(job.id)?.state).toBe('failed');
  });

  it('a recorded leftover that is not one of our partial names is never removed', async () => {
    const tree = new StallingTree();
    tree.stall = false;
    tree.addFile('precious.doc', 'keep');
    const provider = new FakeProvider({ nas: tree });
    const configDir = join(dir, 'config');
    queue = await LocalTransferQueue.open({ provider, configDir, progressIntervalMs: 0, partialRemoveDeadlineMs: DEADLINE });
    const job = queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'x.bin', localPath: join(dir, 'big.bin'), conflict: 'overwrite' });
    await settled(queue, job.id);
    // As if someone edited the state file.
    (queue as unknown as { core: { jobs: { get(id: string): TransferJob } } }).core.jobs.get(job.id).leftovers = ['precious.doc'];
    queue.retry(job.id);
    await settled(queue, job.id);
    expect(tree.files.get('precious.doc')?.toString()).toBe('keep');
  });
});
