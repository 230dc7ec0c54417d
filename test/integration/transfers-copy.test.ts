// The transfer queue against a real smbd: byte-exact files and folder trees both ways, cancel,
// conflicts, and server-side names that try to leave the local folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import type { TransferJob } from '../../main/transfers/index.js';
import { queueFor, nextEvent, untilState, type QueueRig } from './transfers-helpers.js';

const MiB = 1024 * 1024;

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}

/** Shows the job's error when it did not finish. */
function expectDone(job: TransferJob): void {
  expect({ state: job.state, error: job.error }).toEqual({ state: 'done', error: undefined });
}

describe('transfer queue against Samba', () => {
  let server: SambaServer;
  let share: string;
  let local: string;
  let rig: QueueRig;

  beforeAll(async () => {
    server = await startSamba();
    share = server.shareDir('private');
    local = await mkdtemp(join(tmpdir(), 'sk-transfers-'));
    rig = await queueFor(server, join(local, 'config'));
  });
  afterAll(async () => {
    await rig?.close();
    await server?.stop();
    await rm(local, { recursive: true, force: true });
  });

  it('downloads and uploads a 64 MiB file byte-exact, with progress and hash check', async () => {
    const sum = await makeRandomFile(join(share, 'big.bin'), 64 * MiB);
    const progress: number[] = [];
    const off = rig.queue.on('progress', (p) => progress.push(p.bytesDone));
    const down = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'big.bin', localPath: join(local, 'big.bin'), verifyHash: true });
    expect((await untilState(rig.queue, down.id, ['done', 'failed'])).state).toBe('done');
    off();
    expect(await sha256File(join(local, 'big.bin'))).toBe(sum);
    expect(progress.at(-1)).toBe(64 * MiB);
    expect(await readdir(local)).not.toContain('.big.bin.sharekeeper-partial');

    const up = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'big-copy.bin', localPath: join(local, 'big.bin'), verifyHash: true });
    expectDone(await untilState(rig.queue, up.id, ['done', 'failed']));
    expect(await sha256File(join(share, 'big-copy.bin'))).toBe(sum);
    expect((await readdir(share)).filter((n) => n.includes('sharekeeper-partial'))).toEqual([]);
  });

  it('copies a folder tree both ways byte-exact', async () => {
    const src = join(share, 'tree');
    const sums = new Map<string, string>();
    for (const rel of ['a.txt', 'sub/b.bin', 'sub/deeper/c.bin', 'sub/empty.txt']) {
      await mkdir(join(src, rel, '..'), { recursive: true });
      sums.set(rel, await makeRandomFile(join(src, rel), rel.includes('empty') ? 0 : 300_000 + rel.length));
    }
    await mkdir(join(src, 'emptydir'));
    const down = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'tree', localPath: join(local, 'tree') });
    const done = await untilState(rig.queue, down.id, ['done', 'failed']);
    expectDone(done);
    expect(done.kind).toBe('folder');
    expect(await listTree(join(local, 'tree'))).toEqual([...sums.keys()].sort());
    for (const [rel, sum] of sums) expect(await sha256File(join(local, 'tree', rel))).toBe(sum);
    expect((await stat(join(local, 'tree', 'emptydir'))).isDirectory()).toBe(true);

    const up = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'tree-up', localPath: join(local, 'tree') });
    expectDone(await untilState(rig.queue, up.id, ['done', 'failed']));
    expect(await listTree(join(share, 'tree-up'))).toEqual([...sums.keys()].sort());
    for (const [rel, sum] of sums) expect(await sha256File(join(share, 'tree-up', rel))).toBe(sum);
  });

  it('cancel mid-copy leaves nothing under the final name nor a partial', async () => {
    // Large enough to be mid-copy at a progress sample (every 100 ms): a download written
    // unbuffered finishes 96 MiB on loopback in about that long.
    await makeRandomFile(join(share, 'cancel.bin'), 384 * MiB);
    const dir = join(local, 'cancel');
    await mkdir(dir);
    const job = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'cancel.bin', localPath: join(dir, 'cancel.bin') });
    await nextEvent(rig.queue, 'progress', (p) => p.id === job.id && p.bytesDone > 0 && p.bytesDone < p.bytesTotal);
    await rig.queue.cancel(job.id);
    expect(rig.queue.get(job.id)!.state).toBe('cancelled');
    expect(await readdir(dir)).toEqual([]);

    const src = join(local, 'cancel-up.bin');
    // As large as the download: 96 MiB went up in ~120 ms here, a single 100 ms progress sample
    // apart, and a run in CI saw none before the end (no mid-copy event within 60 s).
    await makeRandomFile(src, 384 * MiB);
    const up = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'cancel-up.bin', localPath: src });
    // Mid-copy: the sample a job sends as it ends (all bytes) comes just before it is done, too late to cancel.
    await nextEvent(rig.queue, 'progress', (p) => p.id === up.id && p.bytesDone > 0 && p.bytesDone < p.bytesTotal);
    await rig.queue.cancel(up.id);
    expect(rig.queue.get(up.id)!.state).toBe('cancelled');
    expect((await readdir(share)).filter((n) => n.includes('cancel-up'))).toEqual([]);
  });

  describe('conflicts', () => {
    const incoming = Buffer.from('new contents from the share\n');
    const existing = Buffer.from('old local contents\n');
    let dir: string;
    beforeAll(async () => {
      await writeFile(join(share, 'c.txt'), incoming);
      dir = join(local, 'conflicts');
      await mkdir(dir);
    });
    const fresh = async (): Promise<string> => {
      for (const n of await readdir(dir)) await rm(join(dir, n));
      await writeFile(join(dir, 'c.txt'), existing);
      return join(dir, 'c.txt');
    };

    it('ask waits for a decision while other jobs go on, then obeys it', async () => {
      const target = await fresh();
      const asked = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'c.txt', localPath: target });
      const waiting = await untilState(rig.queue, asked.id, ['waiting-for-decision', 'failed']);
      expect(waiting.state).toBe('waiting-for-decision');
      expect(waiting.conflictInfo).toMatchObject({ path: target, existing: { size: existing.length }, incoming: { size: incoming.length } });
      const other = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'c.txt', localPath: join(dir, 'other.txt') });
      expect((await untilState(rig.queue, other.id, ['done', 'failed'])).state).toBe('done');
      expect(rig.queue.get(asked.id)!.state).toBe('waiting-for-decision');
      rig.queue.decide(asked.id, 'keep-both');
      const done = await untilState(rig.queue, asked.id, ['done', 'failed']);
      expect(done.targetPath).toBe(join(dir, 'c (2).txt'));
      expect(await readFile(target)).toEqual(existing);
      expect(await readFile(join(dir, 'c (2).txt'))).toEqual(incoming);
    });

    it('skip leaves the existing file', async () => {
      const target = await fresh();
      const j = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'c.txt', localPath: target, conflict: 'skip' });
      expect((await untilState(rig.queue, j.id, ['skipped', 'done', 'failed'])).state).toBe('skipped');
      expect(await readFile(target)).toEqual(existing);
      expect(await readdir(dir)).toEqual(['c.txt']);
    });

    it('overwrite replaces it', async () => {
      const target = await fresh();
      const j = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'c.txt', localPath: target, conflict: 'overwrite' });
      expect((await untilState(rig.queue, j.id, ['done', 'failed'])).state).toBe('done');
      expect(await readFile(target)).toEqual(incoming);
    });

    it('keep-both picks "name (2).ext", then "(3)"', async () => {
      const target = await fresh();
      for (const n of [2, 3]) {
        const j = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'c.txt', localPath: target, conflict: 'keep-both' });
        expect((await untilState(rig.queue, j.id, ['done', 'failed'])).targetPath).toBe(join(dir, `c (${n}).txt`));
      }
      expect((await readdir(dir)).sort()).toEqual(['c (2).txt', 'c (3).txt', 'c.txt']);
    });

    it('applies to uploads too (ask, then overwrite on the share)', async () => {
      await writeFile(join(share, 'u.txt'), 'on the share\n');
      const src = join(local, 'u.txt');
      await writeFile(src, incoming);
      const j = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'u.txt', localPath: src });
      expect((await untilState(rig.queue, j.id, ['waiting-for-decision', 'failed'])).state).toBe('waiting-for-decision');
      rig.queue.decide(j.id, 'overwrite');
      expect((await untilState(rig.queue, j.id, ['done', 'failed'])).state).toBe('done');
      expect(await readFile(join(share, 'u.txt'))).toEqual(incoming);
      const k = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'u.txt', localPath: src, conflict: 'keep-both' });
      expect((await untilState(rig.queue, k.id, ['done', 'failed'])).targetPath).toBe('u (2).txt');
      expect(await readFile(join(share, 'u (2).txt'))).toEqual(incoming);
    });
  });

  it('a server-side name with backslashes and dots cannot escape the local folder', async () => {
    const nasty = join(share, 'nasty');
    await mkdir(nasty);
    // Legal Linux file names that mean "two folders up" to anything that reads `\` as a separator.
    await writeFile(join(nasty, '..\\..\\escaped.txt'), 'gotcha\n');
    await writeFile(join(nasty, 'a\\b.txt'), 'backslash\n');
    await writeFile(join(nasty, 'fine.txt'), 'fine\n');
    const outer = join(local, 'nasty-outer');
    const root = join(outer, 'inner', 'nasty');
    await mkdir(join(outer, 'inner'), { recursive: true });
    const j = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'nasty', localPath: root, conflict: 'overwrite' });
    await untilState(rig.queue, j.id, ['done', 'failed']);
    const children = rig.queue.list().filter((c) => c.parentId === j.id);
    expect(children.length).toBe(3);
    for (const c of children) {
      expect(relative(root, c.targetPath ?? c.localPath).startsWith('..')).toBe(false);
      if (c.state === 'failed') expect(c.error?.code).toBe('unsafe-name');
    }
    // Nothing landed outside the chosen folder, whatever name the server used.
    expect(await listTree(outer)).toEqual((await listTree(root)).map((p) => join('inner', 'nasty', p)));
    expect(await readFile(join(root, 'fine.txt'), 'utf8')).toBe('fine\n');
    expect(await readdir(local)).not.toContain('escaped.txt');
  });
});
