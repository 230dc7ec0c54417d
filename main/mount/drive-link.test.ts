import { describe, expect, it } from 'vitest';
import { SmbError } from '../../protocol/index.js';
import { DriveGate } from './drive-link.js';
import { FakeLink } from './fake-link.test-helpers.js';
import { FakeTree } from './fake-tree.test-helpers.js';

const timings = { settleMs: 200, slowMs: 50 };

async function timed<T>(p: Promise<T>): Promise<{ ms: number; error?: unknown; value?: T }> {
  const t0 = Date.now();
  try {
    const value = await p;
    return { ms: Date.now() - t0, value };
  } catch (error) {
    return { ms: Date.now() - t0, error };
  }
}

describe('DriveGate: never hangs', () => {
  it.each(['unavailable', 'auth-failed', 'disabled', undefined] as const)('%s → EHOSTDOWN at once, no connect attempt', async (state) => {
    const link = new FakeLink(new FakeTree());
    link.set(state);
    const r = await timed(new DriveGate(link, timings).run('stat /a', 10_000, (t) => t.stat('a')));
    expect(r.error).toMatchObject({ errnoName: 'EHOSTDOWN' });
    expect(r.ms).toBeLessThan(50);
    expect(link.acquires).toBe(0);
  });

  it('disconnected (idle) reconnects transparently', async () => {
    const tree = new FakeTree();
    tree.file('a', 'x');
    const link = new FakeLink(tree);
    link.set('disconnected');
    await expect(new DriveGate(link, timings).run('stat', 1000, (t) => t.stat('a'))).resolves.toMatchObject({ size: 1 });
    expect(link.acquires).toBe(1);
  });

  it('reconnecting: waits for the attempt at most settleMs', async () => {
    const tree = new FakeTree();
    tree.file('a', 'x');
    const link = new FakeLink(tree);
    link.set('reconnecting');
    setTimeout(() => link.set('connected'), 30);
    await expect(new DriveGate(link, timings).run('stat', 1000, (t) => t.stat('a'))).resolves.toMatchObject({ size: 1 });
    link.set('reconnecting');
    const r = await timed(new DriveGate(link, timings).run('stat', 1000, (t) => t.stat('a')));
    expect(r.error).toMatchObject({ errnoName: 'EHOSTDOWN' });
    expect(r.ms).toBeGreaterThanOrEqual(190);
    expect(r.ms).toBeLessThan(400);
  });

  it('reconnecting right after Unavailable: EHOSTDOWN at once (no wait for an attempt at a dead server)', async () => {
    const link = new FakeLink(new FakeTree());
    link.set('reconnecting');
    link.afterOutage = true;
    const r = await timed(new DriveGate(link, timings).run('stat', 1000, (t) => t.stat('a')));
    expect(r.error).toMatchObject({ errnoName: 'EHOSTDOWN' });
    expect(r.ms).toBeLessThan(50);
  });

  it('a slow answer asks for a check; the drive going down fails the operation at that moment', async () => {
    const tree = new FakeTree();
    tree.delayMs = Infinity;
    const link = new FakeLink(tree);
    link.onCheck = () => setTimeout(() => link.set('unavailable'), 100);
    const r = await timed(new DriveGate(link, timings).run('ls /', 30_000, (t) => t.readdir('')));
    expect(link.checks).toBe(1);
    expect(r.error).toMatchObject({ errnoName: 'EHOSTDOWN' });
    expect(r.ms).toBeGreaterThanOrEqual(140);
    expect(r.ms).toBeLessThan(400);
  });

  it('a live but silent server: ETIMEDOUT at the deadline', async () => {
    const tree = new FakeTree();
    tree.delayMs = Infinity;
    const r = await timed(new DriveGate(new FakeLink(tree), timings).run('ls /', 150, (t) => t.readdir('')));
    expect(r.error).toMatchObject({ errnoName: 'ETIMEDOUT' });
  });

  it('an idempotent call is repeated once on the next connection; others are not', async () => {
    const tree = new FakeTree();
    tree.file('a', 'x');
    const link = new FakeLink(tree);
    const gate = new DriveGate(link, timings);
    tree.failNext.set('stat', new SmbError('transport', 'reset'));
    await expect(gate.run('stat', 1000, (t) => t.stat('a'), { idempotent: true })).resolves.toMatchObject({ size: 1 });
    tree.failNext.set('unlink', new SmbError('transport', 'reset'));
    link.set('connected');
    await expect(gate.run('unlink', 1000, (t) => t.unlink('a'))).rejects.toMatchObject({ errnoName: 'EHOSTDOWN' });
  });

  it('waitMs: an operation waits for the drive to come back, then goes on', async () => {
    const tree = new FakeTree();
    tree.file('a', 'x');
    const link = new FakeLink(tree);
    link.set('unavailable');
    setTimeout(() => link.set('reconnecting'), 100);
    setTimeout(() => link.set('connected'), 300);
    const r = await timed(new DriveGate(link, timings).run('read', 5000, (t) => t.stat('a'), { idempotent: true, waitMs: 5000 }));
    expect(r.value).toMatchObject({ size: 1 });
    expect(r.ms).toBeGreaterThanOrEqual(290);
  });
});
