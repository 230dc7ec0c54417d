import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FakeKernel } from './fake-fuse.test-helpers.js';
import { FakeLink } from './fake-link.test-helpers.js';
import { FakeTree } from './fake-tree.test-helpers.js';
import { S_IFDIR } from './fuse-binding.js';
import { SmbFileSystem, type SmbFsOptions } from './smb-fs.js';

function setup(opts: Partial<SmbFsOptions> = {}) {
  const tree = new FakeTree();
  const link = new FakeLink(tree);
  const fs = new SmbFileSystem({ link, timings: { settleMs: 100, slowMs: 50 }, writer: { chunk: 1024 * 1024, window: 2 }, ...opts });
  return { tree, link, fs, k: new FakeKernel(fs) };
}

describe('SmbFileSystem through a fake kernel', () => {
  it('ls -l of 20,000 entries is one listing: no stat per entry', async () => {
    const { tree, k } = setup();
    tree.dir('big');
    for (let i = 0; i < 20_000; i++) tree.file(`big/f${i}`, 'x'.repeat(i % 7));
    const entries = await k.lsl('/big');
    expect(entries.size).toBe(20_000);
    expect(entries.get('f13')?.size).toBe(6);
    expect(tree.countOf('list')).toBe(1);
    expect(tree.countOf('stat')).toBe(1); // the folder itself, for "."
  });

  it('ls -l on a loaded machine: a walk fifteen times the cache TTL is still one listing', async () => {
    let now = 1_000_000;
    const { tree, fs } = setup({ clock: { now: () => now } });
    tree.dir('big');
    for (let i = 0; i < 5000; i++) tree.file(`big/f${i}`, 'x');
    const { names } = await fs.readdir('/big');
    // The kernel's getattr per entry, 3 ms apart (15 s in all; the TTL is 1 s).
    for (const n of names.slice(2)) {
      now += 3;
      expect((await fs.getattr(`/big/${n}`)).size).toBe(1);
    }
    expect(tree.countOf('list')).toBe(1);
    expect(tree.countOf('stat')).toBe(1); // the folder itself, for "."
    // Walk given up (no step for longer than its grace): the server is asked again.
    now += 3000;
    await fs.getattr('/big/f7');
    expect(tree.countOf('stat')).toBe(2);
  });

  it('a writable share by its MaximalAccess: no probe, writes go through', async () => {
    const { tree, fs, k } = setup();
    await fs.warmUp();
    await k.writeFile('/w.txt', Buffer.from('w'));
    expect(tree.content('w.txt')?.toString()).toBe('w');
    expect(tree.countOf('setTimes')).toBe(0);
  });

  it('a file stat-ed a hundred times is asked once; our own write invalidates it', async () => {
    const { tree, k, fs } = setup();
    tree.file('a.txt', 'hello');
    for (let i = 0; i < 100; i++) expect((await fs.getattr('/a.txt')).size).toBe(5);
    expect(tree.countOf('stat')).toBe(1);
    await k.writeFile('/a.txt', Buffer.from('longer content'));
    expect((await fs.getattr('/a.txt')).size).toBe(14);
  });

  it('writes and reads back through kernel-sized pieces; writes are gathered', async () => {
    const { tree, k } = setup();
    const data = randomBytes(5 * 1024 * 1024 + 123);
    await k.writeFile('/big.bin', data);
    expect(tree.content('big.bin')?.equals(data)).toBe(true);
    expect(tree.countOf('write')).toBe(6);
    expect((await k.readFile('/big.bin')).equals(data)).toBe(true);
  });

  it('size shown while writes are held, and a read sees them', async () => {
    const { k, fs } = setup();
    const fd = await k.openForWrite('/f', true);
    await k.writeAll('/f', fd, Buffer.from('0123456789'), 0);
    expect((await fs.getattr('/f')).size).toBe(10);
    const r = await fs.open('/f', constants.O_RDONLY);
    const buf = Buffer.alloc(10);
    expect(await fs.read('/f', r, buf, 10, 0)).toBe(10);
    expect(buf.toString()).toBe('0123456789');
    await fs.release('/f', r);
    await fs.release('/f', fd);
  });

  it('rename over an existing file, and an open file follows its rename', async () => {
    const { tree, k, fs } = setup();
    tree.file('old', 'old content');
    const fd = await k.openForWrite('/new', true);
    await k.writeAll('/new', fd, Buffer.from('first '), 0);
    await fs.rename('/new', '/old');
    await k.writeAll('/old', fd, Buffer.from('second'), 6);
    await fs.flush('/old', fd);
    await fs.release('/old', fd);
    expect(tree.content('old')?.toString()).toBe('first second');
    expect(await k.exists('/new')).toBe(false);
  });

  it('rename of a folder over an empty folder (POSIX) but not over a full one', async () => {
    const { tree, fs } = setup();
    tree.dir('a');
    tree.file('a/x', '1');
    tree.dir('b');
    await fs.rename('/a', '/b');
    expect(tree.content('b/x')?.toString()).toBe('1');
    tree.dir('c');
    tree.file('c/y', '2');
    await expect(fs.rename('/b', '/c')).rejects.toMatchObject({ errnoName: 'ENOTEMPTY' });
  });

  it('maps server answers to errno', async () => {
    const { tree, fs, k } = setup();
    tree.dir('d');
    tree.file('d/x', '1');
    await expect(fs.getattr('/nope')).rejects.toMatchObject({ errnoName: 'ENOENT' });
    await expect(fs.mkdir('/d', 0o755)).rejects.toMatchObject({ errnoName: 'EEXIST' });
    await expect(fs.rmdir('/d')).rejects.toMatchObject({ errnoName: 'ENOTEMPTY' });
    await expect(fs.create('/d/x', 0o644)).rejects.toMatchObject({ errnoName: 'EEXIST' });
    await expect(fs.open('/d', constants.O_WRONLY)).rejects.toMatchObject({ errnoName: 'EISDIR' });
    await expect(fs.getattr('/a\\b')).rejects.toMatchObject({ errnoName: 'EINVAL' });
    await fs.unlink('/d/x');
    await fs.rmdir('/d');
    expect(await k.exists('/d')).toBe(false);
  });

  it.each([
    ['its MaximalAccess', true],
    ['a no-op set of times (a tree that does not say)', false],
  ])('a read-only share, told by %s: EROFS for every change, no write bits shown', async (_how, reports) => {
    const { tree, fs } = setup();
    tree.file('r.txt', 'r');
    tree.readOnly = true;
    tree.reportsAccess = reports;
    await fs.warmUp();
    // MaximalAccess answers without a round trip; otherwise the probe asks the server.
    expect(tree.countOf('setTimes')).toBe(reports ? 0 : 1);
    for (const op of [
      () => fs.create('/n', 0o644),
      () => fs.mkdir('/m', 0o755),
      () => fs.unlink('/r.txt'),
      () => fs.rename('/r.txt', '/s'),
      () => fs.truncate('/r.txt', 0),
      () => fs.open('/r.txt', constants.O_WRONLY),
      () => fs.utimens('/r.txt', 0, 0),
      () => fs.access('/r.txt', constants.W_OK),
    ]) {
      await expect(op()).rejects.toMatchObject({ errnoName: 'EROFS' });
    }
    expect((await fs.getattr('/r.txt')).mode & 0o222).toBe(0);
    expect((await fs.statfs()).flag & 1).toBe(1);
  });

  it('the mount point answers at once when the drive is down; the rest fails with EHOSTDOWN', async () => {
    const { link, fs } = setup();
    link.set('unavailable');
    const t0 = Date.now();
    expect((await fs.getattr('/')).mode & S_IFDIR).toBe(S_IFDIR);
    await expect(fs.getattr('/x')).rejects.toMatchObject({ errnoName: 'EHOSTDOWN' });
    await expect(fs.readdir('/')).rejects.toMatchObject({ errnoName: 'EHOSTDOWN' });
    expect(Date.now() - t0).toBeLessThan(100);
  });

  it('truncate, ftruncate and utimens', async () => {
    const { tree, fs, k } = setup();
    tree.file('t', '0123456789');
    await fs.truncate('/t', 4);
    expect(tree.content('t')?.toString()).toBe('0123');
    const fd = await fs.open('/t', constants.O_RDWR);
    await k.writeAll('/t', fd, Buffer.from('ab'), 8);
    await fs.ftruncate('/t', fd, 9);
    await fs.utimens('/t', Date.UTC(2020, 0, 1), Date.UTC(2021, 0, 1));
    await fs.release('/t', fd);
    expect(tree.content('t')).toEqual(Buffer.from('0123\0\0\0\0a'));
    expect((await fs.getattr('/t')).mtime.toISOString()).toBe('2021-01-01T00:00:00.000Z');
  });

  it('a drop with a durable handle: the write waits, the handle is reclaimed, nothing is lost', async () => {
    const { tree, link, fs, k } = setup();
    tree.grantDurable = true;
    const fd = await k.openForWrite('/d.bin', true);
    const a = randomBytes(1024 * 1024);
    await k.writeAll('/d.bin', fd, a, 0);
    await fs.fsync('/d.bin', fd);
    link.tree = tree.reconnect();
    link.set('unavailable');
    setTimeout(() => link.set('connected'), 200);
    const b = randomBytes(1024 * 1024);
    await k.writeAll('/d.bin', fd, b, a.length);
    await fs.flush('/d.bin', fd);
    await fs.release('/d.bin', fd);
    expect(tree.content('d.bin')?.equals(Buffer.concat([a, b]))).toBe(true);
    expect((link.tree as FakeTree).countOf('reclaim')).toBe(1);
  });

  it('close(2) closes the server handle at once; the descriptor still works (opened again by path)', async () => {
    const { tree, fs, k } = setup();
    tree.grantDurable = true;
    const fd = await k.openForWrite('/c.bin', true);
    await k.writeAll('/c.bin', fd, Buffer.from('abc'), 0);
    await fs.flush('/c.bin', fd);
    expect(tree.countOf('close')).toBe(1);
    await k.writeAll('/c.bin', fd, Buffer.from('def'), 3);
    await fs.flush('/c.bin', fd);
    await fs.release('/c.bin', fd);
    expect(tree.content('c.bin')?.toString()).toBe('abcdef');
    expect(tree.countOf('close')).toBe(2);
  });

  it('during a reconnect after an outage, getattr of a file held open durably waits; of any other it fails fast', async () => {
    const { tree, link, fs } = setup();
    tree.grantDurable = true;
    tree.file('held.bin', randomBytes(3 * 1024 * 1024));
    tree.file('other.bin', 'x');
    const fd = await fs.open('/held.bin', constants.O_RDONLY);
    const buf = Buffer.alloc(128 * 1024);
    await fs.read('/held.bin', fd, buf, buf.length, 0);
    link.tree = tree.reconnect();
    link.afterOutage = true;
    link.set('unavailable');
    link.set('reconnecting');
    await new Promise((r) => setTimeout(r, 1100)); // both cached answers expire
    setTimeout(() => link.set('connected'), 300);
    const t0 = Date.now();
    const [held, other] = await Promise.allSettled([fs.getattr('/held.bin'), fs.getattr('/other.bin')]);
    expect(held).toMatchObject({ status: 'fulfilled', value: { size: 3 * 1024 * 1024 } });
    expect(other).toMatchObject({ status: 'rejected', reason: { errnoName: 'EHOSTDOWN' } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(await fs.read('/held.bin', fd, buf, buf.length, 128 * 1024)).toBe(buf.length);
    await fs.release('/held.bin', fd);
  });

  it('without a durable handle a drop fails fast and the file is opened again by path later', async () => {
    const { tree, link, fs } = setup({ reader: { chunk: 256 * 1024, window: 1 } });
    tree.file('n.bin', randomBytes(3 * 1024 * 1024));
    const fd = await fs.open('/n.bin', constants.O_RDONLY);
    const buf = Buffer.alloc(128 * 1024);
    await fs.read('/n.bin', fd, buf, buf.length, 0);
    link.tree = tree.reconnect();
    link.set('unavailable');
    await expect(fs.read('/n.bin', fd, buf, buf.length, 2 * 1024 * 1024 + 5)).rejects.toMatchObject({ errnoName: 'EHOSTDOWN' });
    link.set('connected');
    expect(await fs.read('/n.bin', fd, buf, buf.length, 2 * 1024 * 1024 + 5)).toBe(buf.length);
    expect((link.tree as FakeTree).countOf('open')).toBe(1);
    await fs.release('/n.bin', fd);
  });
});
