import { describe, expect, it } from 'vitest';
import { CreditWindow, creditChargeFor } from './credits.js';

describe('credits', () => {
  it('charges one credit per started 64 KiB (MS-SMB2 3.2.4.1.5)', () => {
    expect(creditChargeFor(0)).toBe(1);
    expect(creditChargeFor(1)).toBe(1);
    expect(creditChargeFor(65536)).toBe(1);
    expect(creditChargeFor(65537)).toBe(2);
    expect(creditChargeFor(8 * 1024 * 1024)).toBe(128);
  });

  it('makes requests wait for credits in order, and releases them as responses grant more', async () => {
    const w = new CreditWindow(4);
    const order: number[] = [];
    await w.acquire(3);
    const second = w.acquire(2).then(() => order.push(2));
    const third = w.acquire(1).then(() => order.push(3));
    await Promise.resolve();
    expect(order).toEqual([]); // FIFO: the 1-credit request does not overtake the waiting 2-credit one
    w.settle(3, 3);
    await Promise.all([second, third]);
    expect(order).toEqual([2, 3]);
    expect(w.available).toBe(1);
  });

  it('never deadlocks when nothing is in flight: one credit lets a larger charge go out', async () => {
    const w = new CreditWindow(1);
    await w.acquire(2);
    expect(w.inFlight).toBe(2);
  });

  it('a server that grants no credits at all is a typed error, not a hang', async () => {
    const w = new CreditWindow(1);
    await w.acquire(1);
    const waiting = w.acquire(1);
    w.settle(1, 0); // the only answer grants nothing
    await expect(waiting).rejects.toMatchObject({ code: 'malformed', field: 'CreditResponse' });
    await expect(w.acquire(1)).rejects.toMatchObject({ code: 'malformed' });
  });

  it('asks for more credits until the target balance is held', () => {
    const w = new CreditWindow(1);
    expect(w.requestFor(1, 256)).toBe(256);
    const full = new CreditWindow(300);
    expect(full.requestFor(4, 256)).toBe(4);
  });
});
