import { describe, expect, it } from 'vitest';
import type { DirectoryChanges, SmbTree } from '../../protocol/index.js';
import { ChangeWatch, MIN_ANSWER_INTERVAL_MS } from './change-watch.js';
import { AttrCache } from './attr-cache.js';
import { FakeKernel } from './fake-fuse.test-helpers.js';
import { FakeLink } from './fake-link.test-helpers.js';
import { FakeTree } from './fake-tree.test-helpers.js';
import { SmbFileSystem, type SmbFsOptions } from './smb-fs.js';

/** A long cache lifetime: what shows sooner than that was learnt from CHANGE_NOTIFY. */
function setup(opts: Partial<SmbFsOptions> = {}) {
  const tree = new FakeTree();
  const link = new FakeLink(tree);
  // watchIntervalMs 0: these tests send batches back to back (the pacing has its own test).
  const fs = new SmbFileSystem({ link, cacheTtlMs: 60_000, timings: { settleMs: 100, slowMs: 50 }, watchIntervalMs: 0, ...opts });
  return { tree, link, fs, k: new FakeKernel(fs) };
}

const names = async (fs: SmbFileSystem, dir: string) => (await fs.readdir(dir)).names.filter((n) => n !== '.' && n !== '..').sort();
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('changes by others reach the mount through CHANGE_NOTIFY', () => {
  it('one recursive watch of the drive folder; a file added by another client shows at once', async () => {
    const { tree, fs } = setup({ rootPath: 'team' });
    tree.dir('team');
    tree.dir('team/d');
    tree.file('team/d/a', '1');
    expect(await names(fs, '/d')).toEqual(['a']);
    expect(tree.watches.map((w) => [w.path, w.recursive])).toEqual([['team', true]]);
    tree.file('team/d/b', '2'); // another client, on the server
    expect(await names(fs, '/d')).toEqual(['a']); // our listing is still fresh
    tree.notify({ overflow: false, changes: [{ action: 'added', name: 'd\\b' }] });
    await tick();
    expect(await names(fs, '/d')).toEqual(['a', 'b']);
    expect(tree.countOf('list')).toBe(2);
  });

  it("another client's write: the new size, and our reader drops what it read ahead", async () => {
    const { tree, fs, k } = setup();
    tree.file('f', 'hello');
    expect((await k.readFile('/f')).toString()).toBe('hello');
    expect((await fs.getattr('/f')).size).toBe(5);
    tree.file('f', 'hello, world');
    expect((await fs.getattr('/f')).size).toBe(5);
    tree.notify({ overflow: false, changes: [{ action: 'modified', name: 'f' }] });
    await tick();
    expect((await fs.getattr('/f')).size).toBe(12);
    expect((await k.readFile('/f')).toString()).toBe('hello, world');
  });

  it("the kernel drops its cache of each changed path and its folder, except a file we write ourselves", async () => {
    const { tree, fs, k } = setup();
    const told: string[] = [];
    fs.state.attachKernel((p) => (told.push(p), true));
    tree.dir('d');
    tree.file('d/f', '1');
    tree.file('top', '1');
    await fs.getattr('/d/f'); // the first operation starts the watch
    tree.notify({ overflow: false, changes: [{ action: 'modified', name: 'd\\f' }, { action: 'removed', name: 'top' }] });
    await tick();
    expect(told).toEqual(['/d/f', '/d', '/top', '/']);
    const fd = await k.openForWrite('/d/mine', true);
    await fs.write('/d/mine', fd, Buffer.from('x'), 1, 0);
    told.length = 0;
    tree.notify({ overflow: false, changes: [{ action: 'modified', name: 'd\\mine' }] });
    await tick();
    expect(told).toEqual([]); // the kernel saw our writes itself
    await fs.release('/d/mine', fd);
    fs.state.attachKernel(undefined); // unmounted: nobody to tell, nothing thrown
    tree.notify({ overflow: false, changes: [{ action: 'modified', name: 'd\\f' }] });
    await tick();
    expect(told).toEqual([]);
  });

  it('a folder removed or renamed away takes what is cached below it; overflow drops everything', async () => {
    const { tree, k } = setup();
    tree.dir('d');
    tree.dir('d/e');
    tree.file('d/e/x', 'x');
    tree.file('y', 'y');
    expect(await k.exists('/d/e/x')).toBe(true);
    expect(await k.exists('/y')).toBe(true);
    tree.nodes.delete('d/e/x');
    tree.nodes.delete('d/e');
    tree.notify({ overflow: false, changes: [{ action: 'renamed-from', name: 'd\\e' }] });
    await tick();
    expect(await k.exists('/d/e/x')).toBe(false);
    tree.nodes.delete('y');
    expect(await k.exists('/y')).toBe(true); // nothing said about it yet
    tree.notify({ overflow: true, changes: [] });
    await tick();
    expect(await k.exists('/y')).toBe(false);
  });

  it('a new connection gets a new watch and forgets what was cached; a failed watch is not re-armed on its connection', async () => {
    const { tree, link, fs } = setup();
    tree.file('f', 'one');
    expect((await fs.getattr('/f')).size).toBe(3);
    tree.notify(new Error('the folder went away'));
    await tick();
    await fs.getattr('/f');
    expect(tree.countOf('watch')).toBe(1);
    const next = tree.reconnect();
    next.file('f', 'three');
    link.tree = next;
    expect((await fs.getattr('/g').catch(() => undefined))).toBeUndefined(); // any operation meets the new tree
    expect(next.countOf('watch')).toBe(1);
    expect((await fs.getattr('/f')).size).toBe(5);
  });

  it('off when asked, and ended at unmount', async () => {
    const off = setup({ watchChanges: false });
    off.tree.file('f', '1');
    await off.fs.getattr('/f');
    expect(off.tree.countOf('watch')).toBe(0);
    const on = setup();
    on.tree.file('f', '1');
    await on.fs.getattr('/f');
    await on.fs.closeAll();
    await on.fs.state.watch.settled;
    expect(on.tree.watches.every((w) => w.ended)).toBe(true);
  });
});

describe('a server that answers every CHANGE_NOTIFY at once', () => {
  it('is asked again no sooner than MIN_ANSWER_INTERVAL_MS after each answer (not once per round trip)', async () => {
    let asked = 0;
    // Every next() answered after one event-loop turn (a round trip) with "list again", as a folder written non-stop or a hostile server does.
    const tree = {
      watchDirectory: (): AsyncIterableIterator<DirectoryChanges> => ({
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () => new Promise((resolve) => setImmediate(() => (asked++, resolve({ done: false, value: { overflow: true, changes: [] } })))),
        return: async () => ({ done: true, value: undefined }),
      }),
    } as unknown as SmbTree;
    let dropped = 0;
    const watch = new ChangeWatch({ cache: new AttrCache(1000), invalidateReaders: (p) => void (p === undefined && dropped++), writing: () => false, rootSharePath: '', log: () => undefined });
    watch.follow(tree);
    await new Promise((r) => setTimeout(r, 5 * MIN_ANSWER_INTERVAL_MS + 50));
    watch.stop();
    await watch.settled;
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(asked).toBeLessThanOrEqual(7);
    expect(dropped).toBeLessThanOrEqual(7);
  });
});
