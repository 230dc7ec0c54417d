// The fixture builders write what they say, fast, and report the right digests.
import { createHash } from 'node:crypto';
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeManyFiles, makeRandomFile, makeSparseFile, sha256File } from './fixtures.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sharekeeper-fixtures-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('makeRandomFile', () => {
  it('writes exactly the size asked, across chunk boundaries, and returns its sha256', async () => {
    for (const size of [0, 1, (1 << 20) - 1, (1 << 20) + 3]) {
      const p = join(dir, `rand-${size}`);
      const digest = await makeRandomFile(p, size, { mode: 0o640 });
      const content = await readFile(p);
      expect(content.length).toBe(size);
      expect(digest).toBe(sha(content));
      expect(await sha256File(p)).toBe(digest);
      expect((await stat(p)).mode & 0o777).toBe(0o640);
    }
  });

  it('gives different content each time', async () => {
    const a = await makeRandomFile(join(dir, 'a'), 4096);
    const b = await makeRandomFile(join(dir, 'b'), 4096);
    expect(a).not.toBe(b);
  });
});

describe('makeSparseFile', () => {
  it('is zeros except the marks and takes (almost) no disk space', async () => {
    const p = join(dir, 'sparse');
    const size = 16 * 1024 * 1024;
    await makeSparseFile(p, size, [
      { offset: 0, data: 'head' },
      { offset: size - 4, data: Buffer.from('tail') },
    ]);
    const st = await stat(p);
    expect(st.size).toBe(size);
    expect(st.blocks * 512).toBeLessThan(1024 * 1024);
    const fh = await readFile(p);
    expect(fh.subarray(0, 4).toString()).toBe('head');
    expect(fh.subarray(size - 4).toString()).toBe('tail');
    expect(fh.subarray(4, size - 4).every((x) => x === 0)).toBe(true);
    expect(await sha256File(p)).toBe(sha(fh));
  });

  it('makes a 5 GiB file with data past 4 GiB in no time', async () => {
    const p = join(dir, 'sparse-5g');
    const size = 5 * 1024 ** 3;
    const t0 = Date.now();
    await makeSparseFile(p, size, [{ offset: 4 * 1024 ** 3 + 1, data: 'past 4 GiB' }]);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect((await stat(p)).size).toBe(size);
    const fh = await open(p, 'r');
    const buf = Buffer.alloc(10);
    await fh.read(buf, 0, 10, 4 * 1024 ** 3 + 1);
    await fh.close();
    expect(buf.toString()).toBe('past 4 GiB');
    await rm(p);
  });

  it('refuses marks outside the file', async () => {
    await expect(makeSparseFile(join(dir, 'bad'), 10, [{ offset: 8, data: 'xyz' }])).rejects.toThrow(RangeError);
  });
});

describe('makeManyFiles', () => {
  it('creates 20,000 empty files quickly', async () => {
    const d = join(dir, 'many');
    const t0 = Date.now();
    const names = await makeManyFiles(d, 20_000);
    const ms = Date.now() - t0;
    expect(names).toHaveLength(20_000);
    expect(names[0]).toBe('f000000.txt');
    const onDisk = await readdir(d);
    expect(onDisk.length).toBe(20_000);
    expect((await stat(join(d, names[19_999] ?? ''))).size).toBe(0);
    expect(ms).toBeLessThan(10_000);
  });
});
