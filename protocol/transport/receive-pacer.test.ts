import { describe, expect, it } from 'vitest';
import { COSTLY_FRAME_BYTES, ReceivePacer, isCostlyFrame } from './receive-pacer.js';

function sealed(tag: number, size = COSTLY_FRAME_BYTES): Buffer {
  const f = Buffer.alloc(size);
  f.writeUInt32LE(0x424d53fd, 0);
  f[size - 1] = tag;
  return f;
}

function plain(tag: number, signed = false, size = COSTLY_FRAME_BYTES): Buffer {
  const f = Buffer.alloc(size);
  f.writeUInt32LE(0x424d53fe, 0);
  if (signed) f.writeUInt32LE(0x08, 16);
  f[size - 1] = tag;
  return f;
}

/** A pacer whose "next turns" run only when the test says so. */
function manual(): { pacer: ReceivePacer; got: number[]; nextTurn: () => void; turns: () => number } {
  const got: number[] = [];
  const queue: (() => void)[] = [];
  const pacer = new ReceivePacer((f) => got.push(f[f.length - 1]!), (fn) => queue.push(fn));
  return { pacer, got, nextTurn: () => queue.shift()?.(), turns: () => queue.length };
}

describe('ReceivePacer', () => {
  it('knows which frames cost crypto work: large sealed or signed ones', () => {
    expect(isCostlyFrame(sealed(0))).toBe(true);
    expect(isCostlyFrame(plain(0, true))).toBe(true);
    expect(isCostlyFrame(plain(0, false))).toBe(false);
    expect(isCostlyFrame(sealed(0, COSTLY_FRAME_BYTES - 1))).toBe(false);
  });

  it('hands on one costly frame per turn, and the rest in order on later turns', () => {
    const { pacer, got, nextTurn } = manual();
    for (const t of [1, 2, 3]) pacer.push(sealed(t));
    expect(got).toEqual([1]);
    expect(pacer.waiting).toBe(2);
    nextTurn();
    expect(got).toEqual([1, 2]);
    nextTurn();
    expect(got).toEqual([1, 2, 3]);
    nextTurn();
    expect(pacer.waiting).toBe(0);
  });

  it('a cheap frame behind a waiting costly one waits too (answers stay in order)', () => {
    const { pacer, got, nextTurn } = manual();
    pacer.push(sealed(1));
    pacer.push(sealed(2));
    pacer.push(plain(3));
    expect(got).toEqual([1]);
    nextTurn();
    expect(got).toEqual([1, 2, 3]);
  });

  it('cheap frames are never held back when nothing waits', () => {
    const { pacer, got, turns } = manual();
    for (const t of [1, 2, 3]) pacer.push(plain(t));
    expect(got).toEqual([1, 2, 3]);
    expect(turns()).toBe(0);
  });

  it('flush hands on everything at once; stop drops what waits', () => {
    const a = manual();
    for (const t of [1, 2, 3]) a.pacer.push(sealed(t));
    a.pacer.flush();
    expect(a.got).toEqual([1, 2, 3]);
    const b = manual();
    for (const t of [1, 2, 3]) b.pacer.push(sealed(t));
    b.pacer.stop();
    b.nextTurn();
    b.pacer.push(sealed(4));
    expect(b.got).toEqual([1]);
  });
});
