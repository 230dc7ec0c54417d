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

  it('paths', () => {
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('/');
    expect(childPath('/', 'a')).toBe('/a');
    expect(childPath('/a', 'b')).toBe('/a/b');
  });
});
