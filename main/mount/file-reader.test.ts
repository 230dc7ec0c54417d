import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileReader } from './file-reader.js';

function source(data: Buffer, opts: { short?: number } = {}) {
  const reads: [number, number][] = [];
  return {
    reads,
    io: {
      async readAt(offset: number, length: number) {
        reads.push([offset, length]);
        return data.subarray(offset, offset + Math.min(length, opts.short ?? length));
      },
    },
  };
}

const K = 1024;

describe('FileReader', () => {
  it('sequential reads are served from chunks fetched ahead in a window', async () => {
    const data = randomBytes(40 * 64 * K);
    const { io, reads } = source(data);
    const r = new FileReader(io, { chunk: 256 * K, window: 3 });
    const out: Buffer[] = [];
    for (let pos = 0; pos < data.length; pos += 64 * K) {
      const buf = Buffer.alloc(64 * K);
      const n = await r.read(buf, buf.length, pos);
      out.push(buf.subarray(0, n));
    }
    expect(Buffer.concat(out).equals(data)).toBe(true);
    // One READ per chunk (plus the one past the end), not one per kernel request.
    expect(reads.every(([off, len]) => off % (256 * K) === 0 && len === 256 * K)).toBe(true);
    expect(reads.length).toBeLessThanOrEqual(data.length / (256 * K) + 4);
  });

  it('out-of-order requests close together stay sequential; far ones read only what they ask', async () => {
    const data = randomBytes(4 * 1024 * K);
    const { io, reads } = source(data);
    const r = new FileReader(io, { chunk: 256 * K, window: 2 });
    const b = Buffer.alloc(128 * K);
    await r.read(b, b.length, 0);
    await r.read(b, b.length, 256 * K);
    expect(b.equals(data.subarray(256 * K, 384 * K))).toBe(true);
    await r.read(b, b.length, 128 * K);
    expect(b.equals(data.subarray(128 * K, 256 * K))).toBe(true);
    reads.length = 0;
    const n = await r.read(b, 100, 3 * 1024 * K + 7);
    expect(n).toBe(100);
    expect(b.subarray(0, 100).equals(data.subarray(3 * 1024 * K + 7, 3 * 1024 * K + 107))).toBe(true);
    expect(reads).toEqual([[3 * 1024 * K + 7, 100]]);
  });

  it('short answers before the end are completed; the end of file gives 0', async () => {
    const data = randomBytes(300 * K);
    const { io } = source(data, { short: 50 * K });
    const r = new FileReader(io, { chunk: 256 * K, window: 1 });
    const b = Buffer.alloc(200 * K);
    expect(await r.read(b, b.length, 0)).toBe(200 * K);
    expect(await r.read(b, b.length, 200 * K)).toBe(100 * K);
    expect(b.subarray(0, 100 * K).equals(data.subarray(200 * K))).toBe(true);
    expect(await r.read(b, b.length, 300 * K)).toBe(0);
  });

  it('a small file read from 0 comes whole in one call; invalidate() forgets it', async () => {
    const data = Buffer.from('hello small file');
    let wholes = 0;
    const { io, reads } = source(data);
    const r = new FileReader({ ...io, whole: async () => (wholes++, data) }, { chunk: 256 * K, window: 2 });
    const b = Buffer.alloc(4096);
    expect(await r.read(b, 4096, 0)).toBe(data.length);
    expect(await r.read(b, 4096, data.length)).toBe(0);
    expect(wholes).toBe(1);
    expect(reads).toEqual([]);
    r.invalidate();
    expect(await r.read(b, 4, 6)).toBe(4);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('a failed fetch is reported to the read that needs it and retried by the next', async () => {
    const data = randomBytes(10 * K);
    let fail = true;
    const r = new FileReader({ async readAt(o, l) { if (fail) { fail = false; throw new Error('boom'); } return data.subarray(o, o + l); } }, { chunk: 4 * K, window: 1 });
    const b = Buffer.alloc(4 * K);
    await expect(r.read(b, b.length, 0)).rejects.toThrow('boom');
    expect(await r.read(b, b.length, 0)).toBe(4 * K);
  });
});
