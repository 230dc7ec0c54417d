// Jobs on another share of the drive's server (issue 9): the job asks its provider for that share's
// tree, a folder's files inherit the share, and a job saved before jobs had a share (no field) runs
// on the drive's own share after a restart.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeProvider, FakeTree } from './fake-tree.test-helpers.js';
import { LocalTransferQueue } from './transfer-queue.js';
import type { TransferJob } from './types.js';

let dir: string;
let queue: LocalTransferQueue | undefined;

beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-shares-'))));
afterEach(async () => {
  await queue?.dispose();
  queue = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(trees: Record<string, FakeTree>): Promise<LocalTransferQueue> {
  queue = await LocalTransferQueue.open({ provider: new FakeProvider(trees), configDir: join(dir, 'config'), offlineRetryMs: 5, progressIntervalMs: 0 });
  return queue;
}

describe('jobs on another share of the drive server', () => {
  it('a folder download comes from that share, its files carry the share; an upload goes there', async () => {
    const own = new FakeTree();
    own.addFile('f/a.txt', 'own share');
    const media = new FakeTree();
    media.addFile('f/a.txt', 'media share');
    media.addFile('f/sub/b.txt', 'bb');
    const q = await open({ nas: own, 'nas/Media': media });
    const job = q.enqueue({ direction: 'download', driveId: 'nas', share: 'Media', remotePath: 'f', localPath: join(dir, 'f') });
    expect(job.share).toBe('Media');
    await q.idle();
    expect(q.get(job.id)?.state).toBe('done');
    expect(await readFile(join(dir, 'f', 'a.txt'), 'utf8')).toBe('media share');
    expect(await readFile(join(dir, 'f', 'sub', 'b.txt'), 'utf8')).toBe('bb');
    const children = q.children(job.id);
    expect(children.length).toBeGreaterThanOrEqual(2);
    expect(children.every((c) => c.share === 'Media')).toBe(true);

    await writeFile(join(dir, 'up.txt'), 'up');
    const up = q.enqueue({ direction: 'upload', driveId: 'nas', share: 'Media', remotePath: 'up.txt', localPath: join(dir, 'up.txt') });
    await q.idle();
    expect(q.get(up.id)?.state).toBe('done');
    expect(media.files.get('up.txt')?.toString()).toBe('up');
    expect(own.files.has('up.txt')).toBe(false);
  });

  it('refuses a share name with a separator or past 80 characters', async () => {
    const q = await open({ nas: new FakeTree() });
    for (const share of ['a/b', 'a\\b', '', 'x'.repeat(81), '..']) {
      expect(() => q.enqueue({ direction: 'download', driveId: 'nas', share, remotePath: 'a', localPath: join(dir, 'a') })).toThrow(/share/);
    }
  });

  it('a job saved without a share (before it existed) runs on the drive own share after a restart', async () => {
    const own = new FakeTree();
    own.addFile('a.txt', 'own share');
    const config = join(dir, 'config');
    await mkdir(config, { recursive: true });
    const saved: TransferJob = {
      id: 'old-1',
      direction: 'download',
      driveId: 'nas',
      remotePath: 'a.txt',
      localPath: join(dir, 'a.txt'),
      conflict: 'ask',
      verifyHash: false,
      kind: 'file',
      state: 'queued',
      bytesDone: 0,
      bytesTotal: 0,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await writeFile(join(config, 'transfers.json'), JSON.stringify({ schemaVersion: 2, generation: 0, jobs: [saved] }));
    const q = await open({ nas: own });
    await q.idle();
    expect(q.get('old-1')).toMatchObject({ state: 'done' });
    expect(q.get('old-1')?.share).toBeUndefined();
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('own share');
  });
});
