// The confirmed offset a durable upload continues from after a drop: the end of the bytes whose
// WRITEs were all acknowledged, whatever order the answers came in (short writes included).
import { describe, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError, type DurableHandle, type FileHandle } from '../../protocol/index.js';
import { confirmingHandle, DurableOpens, durableReader, openHeldSource, partialWriter, reclaimPatiently } from './durable-partial.js';
import type { TransferTree } from './types.js';

/** A handle whose WRITE answers come when the test says, each taking `take` bytes (default all). */
function scriptedHandle() {
  const pending: { offset: number; length: number; resolve: (n: number) => void }[] = [];
  const h = {
    path: 'p',
    writeAt: (offset: number, data: Buffer | readonly Buffer[]) =>
      new Promise<number>((resolve) => pending.push({ offset, length: Buffer.isBuffer(data) ? data.length : data.reduce((n, b) => n + b.length, 0), resolve })),
  } as unknown as FileHandle;
  const answer = async (i: number, take?: number): Promise<void> => {
    const p = pending[i]!;
    p.resolve(take ?? p.length);
    await new Promise((r) => setImmediate(r));
  };
  return { h, answer };
}

describe('confirmingHandle', () => {
  it('moves on only over bytes with no unacknowledged gap before them', async () => {
    const { h, answer } = scriptedHandle();
    const kept = { confirmed: 100 };
    const f = confirmingHandle(h, kept);
    const chunk = Buffer.alloc(10);
    void f.writeAt(100, chunk);
    void f.writeAt(110, chunk);
    void f.writeAt(120, chunk);
    await answer(2);
    await answer(1);
    // 100..110 is still out: nothing after it counts yet.
    expect(kept.confirmed).toBe(100);
    await answer(0);
    expect(kept.confirmed).toBe(130);
  });

  it('a short write confirms what the server took; the resent rest fills the gap', async () => {
    const { h, answer } = scriptedHandle();
    const kept = { confirmed: 0 };
    const f = confirmingHandle(h, kept);
    void f.writeAt(0, Buffer.alloc(10));
    void f.writeAt(10, Buffer.alloc(10));
    await answer(0, 4);
    expect(kept.confirmed).toBe(4);
    await answer(1);
    expect(kept.confirmed).toBe(4);
    void f.writeAt(4, Buffer.alloc(6));
    await answer(2);
    expect(kept.confirmed).toBe(20);
  });

  it('a WRITE that took nothing confirms nothing', async () => {
    const { h, answer } = scriptedHandle();
    const kept = { confirmed: 0 };
    const f = confirmingHandle(h, kept);
    void f.writeAt(0, [Buffer.alloc(3), Buffer.alloc(5)]);
    await answer(0, 0);
    expect(kept.confirmed).toBe(0);
  });
});

describe('DurableOpens', () => {
  it('keeps one open per job until it is forgotten', () => {
    const opens = new DurableOpens();
    const a = opens.slot('a');
    const kept = { durable: {} as never, path: 'x', confirmed: 5 };
    a.set(kept);
    expect(opens.slot('a').get()).toBe(kept);
    expect(opens.slot('b').get()).toBeUndefined();
    opens.forget('a');
    expect(a.get()).toBeUndefined();
  });
});

describe('reclaimPatiently', () => {
  const durable = { version: 2, path: 'p', fileId: Buffer.alloc(16), createGuid: Buffer.alloc(16), timeoutMs: 60_000, open: {} } as DurableHandle;
  const notFound = (): Error => new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'reclaim', path: 'p' });
  /** A tree whose reclaims fail with the scripted errors in turn, then succeed. */
  const treeFailing = (errors: Error[]) => {
    let calls = 0;
    const handle = {} as FileHandle;
    const tree = {
      reclaim: async () => {
        const e = errors[calls++];
        if (e) throw e;
        return handle;
      },
    } as unknown as TransferTree;
    return { tree, handle, calls: () => calls };
  };

  it('asks again while the server still says the open is not there, and gets it once the server lets go', async () => {
    const t = treeFailing([notFound(), notFound()]);
    expect(await reclaimPatiently(t.tree, durable, undefined, [1, 1, 1])).toBe(t.handle);
    expect(t.calls()).toBe(3);
  });

  it('gives up (undefined) after the last wait, and at once on any other refusal', async () => {
    const always = treeFailing([notFound(), notFound(), notFound(), notFound()]);
    expect(await reclaimPatiently(always.tree, durable, undefined, [1, 1])).toBeUndefined();
    expect(always.calls()).toBe(3);
    const denied = treeFailing([new SmbStatusError(NtStatus.STATUS_ACCESS_DENIED, { operation: 'reclaim' })]);
    expect(await reclaimPatiently(denied.tree, durable, undefined, [1, 1])).toBeUndefined();
    expect(denied.calls()).toBe(1);
  });

  it('throws a drive drop for the caller to keep the open for the next run', async () => {
    const t = treeFailing([notFound(), new SmbError('transport', 'connection reset')]);
    await expect(reclaimPatiently(t.tree, durable, undefined, [1, 1])).rejects.toMatchObject({ code: 'transport' });
  });

  it('stops waiting when the job is stopped', async () => {
    const t = treeFailing([notFound(), notFound()]);
    const stop = new AbortController();
    const asked = reclaimPatiently(t.tree, durable, stop.signal, [60_000]);
    setTimeout(() => stop.abort(), 5);
    await expect(asked).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('openHeldSource', () => {
  /** A tree whose open answers after `ms`, or when its signal aborts with STATUS_CANCELLED (as our CANCEL of a pending CREATE). */
  const slowTree = (ms: number) => {
    const handle = {} as FileHandle;
    const seen: (AbortSignal | undefined)[] = [];
    const tree = {
      open: (_path: string, opts: { signal?: AbortSignal }) =>
        new Promise<FileHandle>((resolve, reject) => {
          seen.push(opts.signal);
          const timer = setTimeout(() => resolve(handle), ms);
          opts.signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new SmbStatusError(NtStatus.STATUS_CANCELLED, { operation: 'open' }));
          });
        }),
    } as unknown as TransferTree;
    return { tree, handle, seen };
  };

  it('waits out a server that answers late, within the bound', async () => {
    const t = slowTree(30);
    expect(await openHeldSource(t.tree, 'f', undefined, 1000)).toBe(t.handle);
    expect(t.seen[0]).toBeInstanceOf(AbortSignal);
  });

  it('a wait past the bound is cancelled and reported as a timeout (the queue retries), not as the server refusing', async () => {
    const t = slowTree(10_000);
    await expect(openHeldSource(t.tree, 'f', undefined, 30)).rejects.toMatchObject({ code: 'timeout', operation: 'open' });
  });

  it('a stopped job ends the wait as stopped', async () => {
    const t = slowTree(10_000);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 10);
    await expect(openHeldSource(t.tree, 'f', stop.signal, 5000)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('durableReader', () => {
  it('reads through its durable open in the handle\'s READ size (1 MiB on a sealed session), as the tree\'s own stream would', async () => {
    const size = 3 * 65_536 + 5;
    const asked: number[] = [];
    const handle = {
      path: 'big.bin',
      openStat: { name: 'big.bin', type: 'file', size },
      durable: { version: 2, path: 'big.bin', fileId: Buffer.alloc(16), createGuid: Buffer.alloc(16), timeoutMs: 60_000, open: {} },
      maxRead: 8 * 65_536,
      readChunk: 65_536,
      readAt: async (offset: number, length: number) => {
        asked.push(length);
        return Buffer.alloc(Math.max(0, Math.min(length, size - offset)), 7);
      },
      close: async () => undefined,
    } as unknown as FileHandle;
    const tree = { open: async () => handle, createReadStream: () => expect.unreachable('the tree stream is for trees without durable opens') } as unknown as TransferTree;
    const stream = await durableReader(tree, 'big.bin', 0, new DurableOpens().slot('job'), () => undefined);
    let got = 0;
    for await (const chunk of stream) got += (chunk as Buffer).length;
    expect(got).toBe(size);
    expect(Math.max(...asked)).toBe(65_536);
  });
});

describe('partialWriter', () => {
  it('writes through its durable open in the handle\'s WRITE size, as the tree\'s own stream would', async () => {
    const sent: number[] = [];
    const handle = {
      path: 'up.part',
      openStat: { name: 'up.part', type: 'file', size: 0 },
      durable: { version: 2, path: 'up.part', fileId: Buffer.alloc(16), createGuid: Buffer.alloc(16), timeoutMs: 60_000, open: {} },
      maxWrite: 8 * 65_536,
      writeChunk: 65_536,
      writeAt: async (_offset: number, data: Buffer | readonly Buffer[]) => {
        const n = Buffer.isBuffer(data) ? data.length : data.reduce((sum, b) => sum + b.length, 0);
        sent.push(n);
        return n;
      },
      close: async () => undefined,
    } as unknown as FileHandle;
    const tree = { open: async () => handle, createWriteStream: () => expect.unreachable('the tree stream is for trees without durable opens') } as unknown as TransferTree;
    const ws = await partialWriter(tree, 'up.part', 0, new DurableOpens().slot('job'));
    await new Promise<void>((done, fail) => {
      ws.on('error', fail);
      ws.on('finish', done);
      ws.end(Buffer.alloc(3 * 65_536 + 5));
    });
    expect(sent).toEqual([65_536, 65_536, 65_536, 5]);
  });
});
