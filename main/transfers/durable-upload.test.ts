// The queue's durable uploads over a scripted share (the real Samba runs are in
// test/integration/transfers-durable.test.ts and transfers-resume.test.ts): a drop mid-file, then
// a reclaim that works, one the server refuses for a moment, one it leaves unanswered or keeps
// refusing (the partial is opened again), and a partial whose new open the server holds pending
// (it is left for a new one).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError, type DurableHandle, type FileHandle, type FileStat, type OpenOptions } from '../../protocol/index.js';
import { FakeProvider, FakeTree } from './fake-tree.test-helpers.js';
import { RECLAIM_RETRY_DELAYS_MS } from './durable-partial.js';
import { LocalTransferQueue } from './transfer-queue.js';
import { REOPEN_WAIT_MS } from './upload-file.js';
import type { TransferJob } from './types.js';

const MiB = 1024 * 1024;

/** A FakeTree that opens handles (durable) and reclaims them, with scripted failures. */
class DurableTree extends FakeTree {
  opens: { path: string; disposition: string | undefined }[] = [];
  reclaims = 0;
  /** WRITEs at or past this offset fail as a dropped connection would, until cleared. */
  dropAt: number | undefined;
  reclaimError: Error | undefined;
  /** Errors for the next reclaims, one each, before reclaimError applies. */
  reclaimFailures: Error[] = [];
  /** Opens of the partial wait (as on a break to a dead connection) until their signal aborts. */
  holdReopens = false;
  /** false: the server grants no durable open (as SMB1). */
  grant = true;

  async open(path: string, opts: OpenOptions = {}): Promise<FileHandle> {
    this.opens.push({ path, disposition: opts.disposition });
    const signal = opts.signal;
    if (this.holdReopens && opts.disposition === 'open' && signal) {
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      throw new SmbStatusError(NtStatus.STATUS_CANCELLED, { operation: 'create', path });
    }
    if (!this.files.has(path)) this.addFile(path, Buffer.alloc(0));
    return this.handle(path);
  }

  async reclaim(d: DurableHandle): Promise<FileHandle> {
    this.reclaims++;
    const next = this.reclaimFailures.shift() ?? this.reclaimError;
    if (next) throw next;
    return this.handle(d.path);
  }

  private handle(path: string): FileHandle {
    const stat = (): FileStat => {
      const at = new Date(0);
      const size = this.files.get(path)?.length ?? 0;
      return { name: path, type: 'file', size, allocationSize: size, created: at, modified: at, accessed: at, changed: at, attributes: 0x80 };
    };
    const durable: DurableHandle = { version: 2, path, fileId: Buffer.alloc(16), createGuid: Buffer.alloc(16), timeoutMs: 60_000, open: {} };
    return {
      path,
      openStat: stat(),
      durable: this.grant ? durable : undefined,
      maxRead: MiB,
      maxWrite: MiB,
      readChunk: MiB,
      writeChunk: MiB,
      readAt: async () => Buffer.alloc(0),
      writeAt: async (offset, data) => {
        const buf = Buffer.isBuffer(data) ? data : Buffer.concat(data);
        if (this.dropAt !== undefined && offset + buf.length > this.dropAt) throw new SmbError('transport', 'connection reset', { command: 'WRITE' });
        const old = this.files.get(path) ?? Buffer.alloc(0);
        const next = Buffer.alloc(Math.max(old.length, offset + buf.length));
        old.copy(next);
        buf.copy(next, offset);
        this.files.set(path, next);
        return buf.length;
      },
      stat: async () => stat(),
      setInfo: async () => undefined,
      flush: async () => undefined,
      close: async () => undefined,
    };
  }
}

let dir: string;
let queue: LocalTransferQueue | undefined;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-durable-'))));
afterEach(async () => {
  await queue?.dispose();
  queue = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** `size` random bytes in src.bin and a queue over a DurableTree whose WRITEs drop from `dropAt` on. */
async function dropRig(size: number, dropAt: number): Promise<{ data: Buffer; tree: DurableTree; q: LocalTransferQueue }> {
  const data = randomBytes(size);
  await writeFile(join(dir, 'src.bin'), data);
  const tree = new DurableTree();
  tree.dropAt = dropAt;
  const q = await LocalTransferQueue.open({ provider: new FakeProvider({ nas: tree }), configDir: join(dir, 'config'), offlineRetryMs: 5, progressIntervalMs: 0 });
  queue = q;
  return { data, tree, q };
}

const enqueueUpload = (q: LocalTransferQueue): TransferJob =>
  q.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'dst.bin', localPath: join(dir, 'src.bin'), conflict: 'overwrite' });

function ended(q: LocalTransferQueue, id: string): Promise<TransferJob> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const j = q.get(id);
      if (j && ['done', 'failed', 'cancelled'].includes(j.state)) return (resolve(j), true);
      return false;
    };
    if (check()) return;
    const off = q.on('state', () => check() && off());
  });
}

it('a reclaim the server does not answer is not tried again: the partial is opened again and continued at the confirmed offset', async () => {
  const { data, tree, q } = await dropRig(8 * MiB, 3 * MiB);
  const paused: number[] = [];
  q.on('paused', (e) => {
    paused.push(e.job.bytesDone);
    // After the first drop the connection is back, but the reclaim goes unanswered once.
    if (paused.length === 1) {
      tree.dropAt = undefined;
      tree.reclaimError = new SmbError('timeout', 'no response to CREATE in 5000 ms', { command: 'CREATE' });
    }
  });
  const job = enqueueUpload(q);
  const end = await ended(q, job.id);
  expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
  expect(paused).toHaveLength(2);
  expect(tree.reclaims).toBe(1);
  // First run: a new partial; last run: the same partial opened again (FILE_OPEN), at exactly the 3 MiB acknowledged.
  expect(tree.opens.map((o) => o.disposition)).toEqual(['create', 'open']);
  expect(tree.opens[1]!.path).toBe(tree.opens[0]!.path);
  expect(end.resumedFrom).toBe(3 * MiB);
  expect(end.reclaimed).toBeUndefined();
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
  expect(tree.names()).toEqual(['dst.bin']);
});

it('a partial whose new open the server holds pending is cancelled after REOPEN_WAIT_MS and left for a new one', async () => {
  const { data, tree, q } = await dropRig(8 * MiB, 3 * MiB);
  q.on('paused', () => {
    tree.dropAt = undefined;
    tree.reclaimError = new SmbError('timeout', 'no response to CREATE in 5000 ms', { command: 'CREATE' });
    tree.holdReopens = true;
  });
  const job = enqueueUpload(q);
  const started = Date.now();
  const end = await ended(q, job.id);
  expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
  expect(Date.now() - started).toBeGreaterThanOrEqual(REOPEN_WAIT_MS);
  // The held partial opened once (cancelled), then a new partial (FILE_CREATE) from 0.
  expect(tree.opens.map((o) => o.disposition)).toEqual(['create', 'open', 'create']);
  expect(tree.opens[2]!.path).not.toBe(tree.opens[0]!.path);
  expect(end.resumedFrom).toBe(0);
  expect(end.leftovers).toEqual([tree.opens[0]!.path]);
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
});

it('a reclaim refused while the server still holds the open is asked again, and goes on through it once the server lets go', async () => {
  const { data, tree, q } = await dropRig(8 * MiB, 3 * MiB);
  const notFound = (): Error => new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'reclaim' });
  q.on('paused', () => {
    tree.dropAt = undefined;
    tree.reclaimFailures = [notFound(), notFound()];
  });
  const job = enqueueUpload(q);
  const end = await ended(q, job.id);
  expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
  expect(tree.reclaims).toBe(3);
  expect(tree.opens).toHaveLength(1);
  expect(end.reclaimed).toBe(true);
  expect(end.resumedFrom).toBe(3 * MiB);
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
  expect(tree.names()).toEqual(['dst.bin']);
});

it('a reclaim the server keeps refusing: the partial is opened again and continued at the confirmed offset', async () => {
  const { data, tree, q } = await dropRig(8 * MiB, 3 * MiB);
  q.on('paused', () => {
    tree.dropAt = undefined;
    tree.reclaimError = new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'reclaim' });
  });
  const job = enqueueUpload(q);
  const end = await ended(q, job.id);
  expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
  // Asked once and then after each wait (RECLAIM_RETRY_DELAYS_MS), then the same partial opened again at exactly the 3 MiB acknowledged.
  expect(tree.reclaims).toBe(1 + RECLAIM_RETRY_DELAYS_MS.length);
  expect(tree.opens.map((o) => o.disposition)).toEqual(['create', 'open']);
  expect(tree.opens[1]!.path).toBe(tree.opens[0]!.path);
  expect(end.resumedFrom).toBe(3 * MiB);
  expect(end.reclaimed).toBeUndefined();
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
  expect(tree.names()).toEqual(['dst.bin']);
}, 15_000);

it('a reclaim that works goes on through the same open at the confirmed offset', async () => {
  const { data, tree, q } = await dropRig(8 * MiB, 5 * MiB);
  q.on('paused', () => (tree.dropAt = undefined));
  const job = enqueueUpload(q);
  const end = await ended(q, job.id);
  expect(end.state).toBe('done');
  expect(tree.reclaims).toBe(1);
  expect(tree.opens).toHaveLength(1);
  expect(end.reclaimed).toBe(true);
  expect(end.resumedFrom).toBe(5 * MiB);
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
});

it('a drop before the server acknowledged any WRITE: the reclaimed open goes on in its own partial from 0', async () => {
  const { data, tree, q } = await dropRig(4 * MiB, 0);
  q.on('paused', () => (tree.dropAt = undefined));
  const job = enqueueUpload(q);
  const end = await ended(q, job.id);
  // Before, a confirmed offset of 0 started a new partial (removing the reclaimed one) but wrote through the reclaimed open.
  expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
  expect(end.reclaimed).toBe(true);
  expect(end.resumedFrom).toBe(0);
  expect(tree.opens).toHaveLength(1);
  expect(tree.files.get('dst.bin')?.equals(data)).toBe(true);
  expect(tree.names()).toEqual(['dst.bin']);
});

it('a tree that grants no durable open gets its own write stream, and is not asked again', async () => {
  await writeFile(join(dir, 'a.bin'), randomBytes(2 * MiB));
  await writeFile(join(dir, 'b.bin'), randomBytes(2 * MiB));
  const tree = new DurableTree();
  tree.grant = false;
  const provider = new FakeProvider({ nas: tree });
  queue = await LocalTransferQueue.open({ provider, configDir: join(dir, 'config'), progressIntervalMs: 0, maxConcurrent: 1 });
  const a = queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'a.bin', localPath: join(dir, 'a.bin'), conflict: 'overwrite' });
  expect((await ended(queue, a.id)).state).toBe('done');
  const b = queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'b.bin', localPath: join(dir, 'b.bin'), conflict: 'overwrite' });
  expect((await ended(queue, b.id)).state).toBe('done');
  expect(tree.opens).toHaveLength(1);
  expect(tree.names()).toEqual(['a.bin', 'b.bin']);
});
