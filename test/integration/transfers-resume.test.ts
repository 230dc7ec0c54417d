// Interrupted transfers: the drive drops mid-copy (a TCP forwarder in front of Samba is cut), and
// the app restarts mid-copy. Both continue from the bytes already on disk and finish byte-exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { nextEvent, queueFor, TcpForwarder, untilState } from './transfers-helpers.js';

const MiB = 1024 * 1024;
const SIZE = 128 * MiB;

describe('transfer queue: drive drop and restart', () => {
  let server: SambaServer;
  let local: string;
  let sum: string;
  let forwarder: TcpForwarder;

  beforeAll(async () => {
    server = await startSamba();
    local = await mkdtemp(join(tmpdir(), 'sk-resume-'));
    sum = await makeRandomFile(join(server.shareDir('private'), 'huge.bin'), SIZE);
    forwarder = new TcpForwarder({ host: server.host, port: server.port });
    await forwarder.listen();
  });
  afterAll(async () => {
    await forwarder?.cut();
    await server?.stop();
    await rm(local, { recursive: true, force: true });
  });

  it('pauses when the drive drops mid-download and resumes from the offset when it is back', async () => {
    const rig = await queueFor(server, join(local, 'config-drop'), { port: forwarder.port, progressIntervalMs: 0 });
    try {
      const target = join(local, 'dropped.bin');
      const job = rig.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'huge.bin', localPath: target });
      await nextEvent(rig.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 40 * MiB);
      const paused = nextEvent(rig.queue, 'paused', (e) => e.job.id === job.id, 30_000);
      await forwarder.cut();
      const p = await paused;
      expect(p.reason).toBe('drive-offline');
      expect(p.job.state).toBe('paused');
      expect(await readdir(local)).not.toContain('dropped.bin');

      forwarder.bytesToClient = 0;
      await forwarder.restore();
      const done = await untilState(rig.queue, job.id, ['done', 'failed'], 60_000);
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      expect(done.resumedFrom).toBeGreaterThanOrEqual(p.job.bytesDone - 16 * MiB);
      expect(done.resumedFrom).toBeGreaterThan(20 * MiB);
      // Only the rest came over the wire again (plus protocol overhead), not the whole file.
      expect(forwarder.bytesToClient).toBeLessThan(SIZE - done.resumedFrom! + 4 * MiB);
      expect(await sha256File(target)).toBe(sum);
      console.log(`drop: paused at ${p.job.bytesDone} B, resumed from ${done.resumedFrom} B, re-read ${forwarder.bytesToClient} B of ${SIZE}`);
    } finally {
      await rig.close();
    }
  });

  it('a job interrupted by a restart comes back from the state file and completes', async () => {
    const config = join(local, 'config-restart');
    const target = join(local, 'restarted.bin');
    const first = await queueFor(server, config, { progressIntervalMs: 0 });
    const job = first.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'huge.bin', localPath: target, verifyHash: true });
    await nextEvent(first.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 40 * MiB);
    await first.close();
    const saved = first.queue.get(job.id)!;
    expect(saved.state).toBe('paused');
    expect(await readdir(local)).not.toContain('restarted.bin');

    const second = await queueFor(server, config);
    try {
      const done = await untilState(second.queue, job.id, ['done', 'failed'], 60_000);
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      expect(done.resumedFrom).toBeGreaterThan(20 * MiB);
      expect(await sha256File(target)).toBe(sum);
    } finally {
      await second.close();
    }
  });

  it('pauses when the drive drops mid-upload and continues at the remote partial when it is back', async () => {
    const src = join(local, 'up-src.bin');
    const upSum = await makeRandomFile(src, SIZE);
    const rig = await queueFor(server, join(local, 'config-up'), { port: forwarder.port, progressIntervalMs: 0 });
    try {
      const job = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'uploaded.bin', localPath: src });
      await nextEvent(rig.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 40 * MiB);
      const paused = nextEvent(rig.queue, 'paused', (e) => e.job.id === job.id, 30_000);
      await forwarder.cut();
      const p = await paused;
      expect(p.reason).toBe('drive-offline');
      await forwarder.restore();
      const done = await untilState(rig.queue, job.id, ['done', 'failed'], 60_000);
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      expect(await sha256File(join(server.shareDir('private'), 'uploaded.bin'))).toBe(upSum);
      // It continued at the confirmed offset (through the reclaimed open, or the partial opened
      // again), not from 0. Only when Samba still held the partial for the dropped connection
      // (it had not seen it die; the next test makes that happen on purpose) may it start a new
      // one, and then the held one is recorded for removal.
      if (done.resumedFrom === 0) expect(done.leftovers).toEqual([p.job.partial]);
      else expect(done.resumedFrom).toBeLessThanOrEqual(p.job.bytesDone);
      const how = done.reclaimed ? 'reclaimed the open' : done.resumedFrom === 0 ? 'a new partial (the old one still held)' : 'opened the partial again';
      console.log(`upload drop: paused at ${p.job.bytesDone} B, continued from ${done.resumedFrom} B of ${SIZE}: ${how}`);
    } finally {
      await rig.close();
    }
  });

  it('a drop Samba has not noticed: the upload does not wait on the partial it still holds, it finishes through a new one and the old one goes once the server lets go', async () => {
    const src = join(local, 'held-src.bin');
    const heldSum = await makeRandomFile(src, 32 * MiB);
    const config = join(local, 'config-held');
    const rig = await queueFor(server, config, { port: forwarder.port, progressIntervalMs: 0, endsOldSession: false });
    let again: Awaited<ReturnType<typeof queueFor>> | undefined;
    try {
      const job = rig.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'held.bin', localPath: src });
      await nextEvent(rig.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 8 * MiB);
      const paused = nextEvent(rig.queue, 'paused', (e) => e.job.id === job.id, 30_000);
      await forwarder.cutClientSide();
      const p = await paused;
      const held = p.job.partial!;
      await forwarder.restore();
      const started = Date.now();
      const done = await untilState(rig.queue, job.id, ['done', 'failed'], 60_000);
      const took = Date.now() - started;
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      // Well inside Samba's 30 s wait on the oplock break an open of the held partial would start.
      expect(took).toBeLessThan(20_000);
      expect(done.resumedFrom).toBe(0);
      expect(done.leftovers).toEqual([held]);
      const share = server.shareDir('private');
      expect(await sha256File(join(share, 'held.bin'))).toBe(heldSum);
      expect(await readdir(share)).toContain(held.replace(/^.*[\\/]/, ''));
      // The server notices the old connection is gone; the next start of the queue removes the leftover.
      forwarder.releaseServerSide();
      await rig.close();
      again = await queueFor(server, config);
      const removed = Date.now() + 15_000;
      while ((await readdir(share)).includes(held) && Date.now() < removed) await new Promise((r) => setTimeout(r, 200));
      expect(await readdir(share)).not.toContain(held);
      console.log(`held partial: paused at ${p.job.bytesDone} B, done through a new partial ${took} ms after the drive was back`);
    } finally {
      forwarder.releaseServerSide();
      await rig.close();
      await again?.close();
    }
  });
});
