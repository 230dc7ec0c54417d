// Frames decrypted on the worker come back in any order; they are handled in arrival order, and
// a frame behind them (decrypted or not) waits its turn.
import { describe, expect, it } from 'vitest';
import { OrderedReceive } from './ordered-receive.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('OrderedReceive', () => {
  it('hands frames on in arrival order whatever order their decryption finishes in', async () => {
    const seen: string[] = [];
    const q = new OrderedReceive((frame, plain) => seen.push(plain ? `plain:${plain.toString()}` : `frame:${frame.toString()}`), () => undefined);
    const a = deferred<Buffer>();
    const b = deferred<Buffer>();
    q.push(Buffer.from('A'), a.promise, 1n);
    q.push(Buffer.from('B'), b.promise, 1n);
    q.push(Buffer.from('c'));
    expect(q.busy).toBe(true);
    b.resolve(Buffer.from('b'));
    await tick();
    expect(seen).toEqual([]);
    a.resolve(Buffer.from('a'));
    await tick();
    expect(seen).toEqual(['plain:a', 'plain:b', 'frame:c']);
    expect(q.busy).toBe(false);
  });

  it('a failed decryption is reported in its turn, and later frames are still offered (the owner ignores them once closed)', async () => {
    const seen: string[] = [];
    const failures: unknown[] = [];
    const q = new OrderedReceive((frame) => seen.push(frame.toString()), (e) => failures.push(e));
    const bad = deferred<Buffer>();
    q.push(Buffer.from('x'), bad.promise);
    q.push(Buffer.from('y'));
    bad.reject(new Error('bad tag'));
    await tick();
    await tick();
    expect(failures).toHaveLength(1);
    expect(seen).toEqual(['y']);
  });

  it('a rejection before its turn is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const first = deferred<Buffer>();
      const q = new OrderedReceive(() => undefined, () => undefined);
      q.push(Buffer.from('1'), first.promise);
      q.push(Buffer.from('2'), Promise.reject(new Error('early')));
      await tick();
      await tick();
      first.resolve(Buffer.from('1'));
      await tick();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
