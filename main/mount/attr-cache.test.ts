import { describe, expect, it } from 'vitest';
import type { FileStat } from '../../protocol/index.js';
import { AttrCache, childPath, parentOf } from './attr-cache.js';

const st = (name: string, size = 1): FileStat => ({
  name, type: 'file', size, allocationSize: size, created: new Date(0), modified: new Date(0), accessed: new Date(0), changed: new Date(0), attributes: 0x20,
});

describe('AttrCache', () => {
  it('keeps stats and misses for the TTL only', () => {
    let now = 1000;
    const c = new AttrCache(1000, { now: () => now });
    c.put('/a', st('a'));
    c.put('/b', 'missing');
    expect(c.get('/a')).toMatchObject({ name: 'a' });
    expect(c.get('/b')).toBe('missing');
    now += 1001;
    expect(c.get('/a')).toBeUndefined();
    expect(c.get('/b')).toBeUndefined();
  });

  it('answers for every child of a fresh listing, present or not', () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now });
    c.putListing('/d', [st('x', 5), st('y')]);
    expect(c.get('/d/x')).toMatchObject({ size: 5 });
    expect(c.get('/d/nope')).toBe('missing');
    expect(c.listing('/d')?.size).toBe(2);
    now = 2000;
    expect(c.get('/d/x')).toBeUndefined();
  });

  it('our own changes invalidate the path, its parent listing, and a renamed folder below', () => {
    const c = new AttrCache(1000);
    c.putListing('/d', [st('x')]);
    c.put('/d/x', st('x'));
    c.put('/d/sub/deep', st('deep'));
    c.invalidate('/d/x');
    expect(c.get('/d/x')).toBeUndefined();
    expect(c.listing('/d')).toBeUndefined();
    c.invalidateTree('/d');
    expect(c.get('/d/sub/deep')).toBeUndefined();
  });

  it("a listing's entries last as long as the kernel walks them, however slow the walk", () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now });
    const names = Array.from({ length: 5000 }, (_, i) => `f${i}`);
    c.putListing('/d', names.map((n) => st(n)));
    // 5,000 getattrs 3 ms apart: 15 s, fifteen times the TTL.
    for (const n of names) {
      now += 3;
      expect(c.get(`/d/${n}`)).toMatchObject({ name: n });
    }
    // The walk is done: the usual TTL from its last step, then the server is asked again.
    now += 999;
    expect(c.get('/d/f0')).toMatchObject({ name: 'f0' });
    now += 2;
    expect(c.get('/d/f0')).toBeUndefined();
  });

  it('a listing nobody walks ages like any answer: the TTL', () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now });
    c.putListing('/d', [st('a'), st('b')]);
    now = 1001;
    expect(c.get('/d/a')).toBeUndefined();
    expect(c.listing('/d')).toBeUndefined();
  });

  it('an abandoned walk ends a grace period after its last step; no walk outlives the cap', () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now }, { walkGraceMs: 2000, maxWalkMs: 10_000 });
    c.putListing('/d', ['a', 'b', 'c'].map((n) => st(n)));
    now = 900;
    expect(c.get('/d/a')).toBeDefined();
    now = 2800; // 1.9 s after the last step
    expect(c.get('/d/b')).toBeDefined();
    now = 4801; // 2.001 s after it: the walk was given up
    expect(c.get('/d/c')).toBeUndefined();

    c.putListing('/e', ['a', 'b', 'c'].map((n) => st(n)));
    const t0 = now;
    // Asking the same entry again is no progress: the walk does not go on for it.
    for (let i = 0; i < 4; i++) {
      now += 500;
      expect(c.get('/e/a')).toBeDefined(); // first asked at t0 + 500: the walk runs to t0 + 2500
    }
    now = t0 + 500 + 2000 + 1;
    expect(c.get('/e/b')).toBeUndefined();

    // A walk that keeps going is still cut off at maxWalkMs after the listing was read.
    const many = Array.from({ length: 5000 }, (_, i) => st(`f${i}`));
    c.putListing('/f', many);
    const t1 = now;
    let answered = 0;
    for (const e of many) {
      now += 3;
      if (c.get(`/f/${e.name}`) !== undefined) answered++;
    }
    expect(now - t1).toBe(15_000);
    expect(answered).toBe(Math.floor(10_000 / 3)); // those asked before t1 + 10 s
  });

  it('readdir is answered from a listing for the TTL only, and doing so starts a new walk', () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now });
    c.putListing('/d', [st('a'), st('b')]);
    c.get('/d/a');
    c.get('/d/b'); // walk done at t=0: entries until t=1000
    now = 900;
    expect(c.listing('/d')?.size).toBe(2); // a second `ls -l` at once
    now = 2800; // its walk is slow: still answered
    expect(c.get('/d/a')).toBeDefined();
    expect(c.listing('/d')).toBeUndefined(); // but a new readdir goes to the server
  });

  it('our own write ends a walk at once', () => {
    let now = 0;
    const c = new AttrCache(1000, { now: () => now });
    c.putListing('/d', [st('a', 1), st('b', 1)]);
    now = 10;
    c.get('/d/a');
    c.invalidate('/d/b');
    expect(c.get('/d/b')).toBeUndefined();
    expect(c.get('/d/a')).toBeUndefined();
  });

  it('keeps at most maxListings listings, the least recently used going first', () => {
    const c = new AttrCache(1000, Date, { maxListings: 2 });
    c.putListing('/a', [st('x')]);
    c.putListing('/b', [st('x')]);
    expect(c.listing('/a')).toBeDefined(); // /a is now the most recently used
    c.putListing('/c', [st('x')]);
    expect(c.listing('/b')).toBeUndefined();
    expect(c.listing('/a')).toBeDefined();
    expect(c.listing('/c')).toBeDefined();
  });

  it('paths', () => {
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(childPath('/', 'a')).toBe('/a');
    expect(childPath('/a', 'b')).toBe('/a/b');
  });
});
