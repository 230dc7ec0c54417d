import { describe, expect, it } from 'vitest';
import { FsError } from './errno.js';
import { FileWriter } from './file-writer.js';

const K = 1024;

function sink() {
  const writes: { offset: number; size: number }[] = [];
  const file = Buffer.alloc(4 * 1024 * K);
  let inFlight = 0;
  let maxInFlight = 0;
  let failWith: Error | undefined;
  const io = {
    async writeAll(offset: number, parts: readonly Buffer[]) {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      if (failWith) throw failWith;
      const data = Buffer.concat(parts as Buffer[]);
      data.copy(file, offset);
      writes.push({ offset, size: data.length });
    },
  };
  return { io, writes, file, max: () => maxInFlight, fail: (e: Error) => (failWith = e) };
}

describe('FileWriter', () => {
  it('gathers consecutive kernel writes into chunk-sized WRITEs with a window in flight', async () => {
    const s = sink();
    const w = new FileWriter(s.io, { chunk: 512 * K, window: 2 });
    const piece = Buffer.alloc(128 * K);
    for (let i = 0; i < 24; i++) {
      piece.fill(i);
      expect(await w.write(piece, piece.length, i * 128 * K)).toBe(128 * K);
    }
    expect(w.heldEnd).toBe(24 * 128 * K);
    await w.drain();
    expect(s.writes.map((x) => x.size)).toEqual(Array(6).fill(512 * K));
    expect(s.max()).toBeLessThanOrEqual(2);
    for (let i = 0; i < 24; i++) expect(s.file[i * 128 * K + 5]).toBe(i);
    expect(w.holding).toBe(false);
  });

  it('a jump starts a new WRITE; data is copied (the caller reuses its buffer)', async () => {
    const s = sink();
    const w = new FileWriter(s.io, { chunk: 1024 * K, window: 3 });
    const b = Buffer.from('abc');
    await w.write(b, 3, 0);
    b.fill('z');
    await w.write(Buffer.from('def'), 3, 100);
    await w.drain();
    expect(s.writes).toEqual([{ offset: 0, size: 3 }, { offset: 100, size: 3 }]);
    expect(s.file.subarray(0, 3).toString()).toBe('abc');
  });

  it('a failure is reported once, by the next write or drain', async () => {
    const s = sink();
    const w = new FileWriter(s.io, { chunk: 4 * K, window: 1 });
    s.fail(new FsError('ENOSPC', 'full'));
    // The window is full after this write, so it waits for the WRITE and reports its failure.
    await expect(w.write(Buffer.alloc(4 * K), 4 * K, 0)).rejects.toMatchObject({ errnoName: 'ENOSPC' });
    await expect(w.drain()).resolves.toBeUndefined();
    // Held in the buffer, then failing: drain (close) reports it.
    await w.write(Buffer.alloc(K), K, 0);
    await expect(w.drain()).rejects.toMatchObject({ errnoName: 'ENOSPC' });
  });
});
