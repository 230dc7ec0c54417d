import { describe, expect, it } from 'vitest';
import { BufferPool, MIN_POOLED_BYTES, releaseBuffer } from './buffer-pool.js';
import { FrameDecoder, frameHeader } from './framing.js';

const BIG = 2 * 1024 * 1024;

describe('BufferPool', () => {
  it('gives a released buffer to the next take of a size it fits', () => {
    const pool = new BufferPool(4);
    const a = pool.take(BIG);
    a.fill(7);
    releaseBuffer(a.subarray(100, 200)); // a whole loan ends with any view of it
    expect(pool.size).toBe(1);
    const b = pool.take(BIG - 10);
    expect(b.buffer).toBe(a.buffer);
    expect(b.length).toBe(BIG - 10);
    expect(pool.size).toBe(0);
  });

  it('never lends one buffer twice: a second release, or a release of a buffer it did not lend, is ignored', () => {
    const pool = new BufferPool(4);
    const a = pool.take(BIG);
    releaseBuffer(a);
    releaseBuffer(a);
    expect(pool.size).toBe(1);
    const b = pool.take(BIG);
    const c = pool.take(BIG);
    expect(c.buffer).not.toBe(b.buffer);
    releaseBuffer(Buffer.allocUnsafeSlow(BIG));
    expect(pool.size).toBe(0);
  });

  it('a bytes loan comes back only when releases add up to the bytes lent', () => {
    const pool = new BufferPool(4);
    const a = pool.take(BIG, 'bytes');
    BufferPool.setLentBytes(a, 1000);
    releaseBuffer(a.subarray(0, 400));
    expect(pool.size).toBe(0);
    releaseBuffer(a.subarray(400, 1000));
    expect(pool.size).toBe(1);
  });

  it('keeps at most maxFree buffers and leaves small ones to Node', () => {
    const pool = new BufferPool(2);
    const taken = [pool.take(BIG), pool.take(BIG), pool.take(BIG)];
    for (const t of taken) releaseBuffer(t);
    expect(pool.size).toBe(2);
    const small = pool.take(MIN_POOLED_BYTES - 1);
    releaseBuffer(small);
    expect(pool.size).toBe(2);
  });
});

describe('FrameDecoder with pooled frames', () => {
  function bigFrame(fill: number): Buffer {
    return Buffer.concat([frameHeader(BIG), Buffer.alloc(BIG, fill)]);
  }

  it('assembles the next large frame in the memory of one whose payload was released', () => {
    const d = new FrameDecoder();
    const got: Buffer[] = [];
    const push = (b: Buffer): void => {
      // 64 KiB pieces, as a socket delivers them: the frame is assembled in its own buffer.
      for (let i = 0; i < b.length; i += 65536) d.push(b.subarray(i, i + 65536), (f) => got.push(f));
    };
    push(bigFrame(1));
    const first = got[0]!;
    expect(first.every((x) => x === 1)).toBe(true);
    releaseBuffer(first.subarray(80)); // a READ payload written out by its consumer
    push(bigFrame(2));
    expect(got[1]!.buffer).toBe(first.buffer);
    expect(got[1]!.every((x) => x === 2)).toBe(true);
  });

  it('a frame nobody released is never reused: its bytes stay as they were', () => {
    const d = new FrameDecoder();
    const got: Buffer[] = [];
    for (const fill of [3, 4]) {
      const b = bigFrame(fill);
      for (let i = 0; i < b.length; i += 65536) d.push(b.subarray(i, i + 65536), (f) => got.push(f));
    }
    expect(got[1]!.buffer).not.toBe(got[0]!.buffer);
    expect(got[0]!.every((x) => x === 3)).toBe(true);
  });
});
