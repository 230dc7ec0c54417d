// The adapter between our FUSE addon and FsOps, driven through a fake addon that records replies
// the way sharekeeper_fuse.c would take them (the real addon runs in test/mount/).
import { constants as fsc } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { errno, FsError } from './errno.js';
import type { FsOps, FuseMountOptions, FuseStat } from './fuse-binding.js';
import { fuseChoice } from './load-fuse.js';
import { devParts, EV, mountOptionString, OP, OwnFuse, STAT_FIELDS, writebackOpenFlags, type NativeHandler, type OwnAddon } from './native-own.js';

const T = new Date(1_700_000_000_123);
const stat = (size: number): FuseStat => ({ mode: 0o100644, uid: 1, gid: 2, size, nlink: 1, blocks: 8, blksize: 4096, atime: new Date(5), mtime: T, ctime: T });

interface Reply {
  id: number;
  result: number;
  extra?: unknown;
  extra2?: unknown;
}

class FakeAddon implements OwnAddon {
  handler: NativeHandler | undefined;
  replies: Reply[] = [];
  exited = 0;
  unrefs = 0;
  invalidated: [object, string][] = [];
  mountArgs: unknown[] = [];
  mount(mountPoint: string, options: string, config: unknown, handler: NativeHandler): object {
    this.mountArgs = [mountPoint, options, config];
    this.handler = handler;
    setTimeout(() => handler(EV.mounted, 0, '', 0, 0, 0, undefined), 0);
    return { session: true };
  }
  reply(id: number, result: number, extra?: unknown, extra2?: unknown): boolean {
    this.replies.push({ id, result, extra, extra2 });
    return true;
  }
  exit(): void {
    this.exited++;
  }
  unref(): void {
    this.unrefs++;
  }
  invalidate?(session: object, path: string): boolean {
    this.invalidated.push([session, path]);
    return true;
  }
  /** One request; resolves with its reply. */
  async request(op: number, path: string, a = 0, b = 0, data?: unknown): Promise<Reply> {
    const id = 64 * (this.replies.length + 100) + 3;
    this.handler!(op, id, path, a, b, 0, data);
    await vi.waitFor(() => expect(this.replies.some((r) => r.id === id)).toBe(true));
    return this.replies.find((r) => r.id === id)!;
  }
}

function fakeOps(over: Partial<FsOps> = {}): FsOps {
  const no = (): Promise<never> => Promise.reject(new FsError('ENOSYS', 'not in this test'));
  const base = {
    getattr: no, readdir: no, open: no, create: no, read: no, write: no, flush: no, fsync: no, release: no, truncate: no, ftruncate: no,
    unlink: no, mkdir: no, rmdir: no, rename: no, utimens: no, statfs: no, access: no, chmod: no, chown: no,
  };
  return { ...base, ...over } as FsOps;
}

const OPTS: FuseMountOptions = { fsName: '//host/share, x', subtype: 'sharekeeper' };

async function mounted(ops: FsOps, opts: FuseMountOptions = OPTS, writeback = false): Promise<{ addon: FakeAddon; unmount: () => Promise<void>; detached: string[] }> {
  const addon = new FakeAddon();
  const detached: string[] = [];
  const m = await new OwnFuse(addon, { writeback, detach: async (d) => detached.push(d) }).mount('/nowhere/mnt', ops, opts);
  return { addon, unmount: () => m.unmount(), detached };
}

describe('OwnFuse (fake addon)', () => {
  it('mounts with the source and type as libfuse options, 1 MiB writes and a later native backstop', async () => {
    const { addon } = await mounted(fakeOps(), { ...OPTS, backstopTimeoutMs: 5000 });
    expect(addon.mountArgs[0]).toBe('/nowhere/mnt');
    expect(addon.mountArgs[1]).toBe('fsname=//host/share__x,subtype=sharekeeper');
    expect(addon.mountArgs[2]).toMatchObject({ maxWrite: 1024 * 1024, maxReadahead: 1024 * 1024, writeback: false, backstopMs: 35_000 });
  });

  it('rejects when the addon reports the mount failed', async () => {
    const addon = new FakeAddon();
    addon.mount = (_m, _o, _c, handler) => {
      setTimeout(() => handler(EV.failed, 0, 'cannot mount /x: fusermount3: mountpoint is not empty', 0, 0, 0, undefined), 0);
      return {};
    };
    await expect(new OwnFuse(addon).mount('/x', fakeOps(), OPTS)).rejects.toThrow(/not empty/);
  });

  it('getattr and readdir answer with STAT_FIELDS numbers per entry', async () => {
    const { addon } = await mounted(fakeOps({ getattr: async () => stat(42), readdir: async () => ({ names: ['a', 'b'], stats: [stat(1), stat(2)] }) }));
    const g = await addon.request(OP.getattr, '/f');
    expect(g.result).toBe(0);
    // st_blksize: at least the binding's 1 MiB requests, so cp sizes its buffers by them.
    expect(Array.from(g.extra as Float64Array)).toEqual([0o100644, 1, 2, 42, 1, 8, 1024 * 1024, 5, T.getTime(), T.getTime()]);
    const d = await addon.request(OP.readdir, '/');
    expect(d.extra).toEqual(['a', 'b']);
    const s = d.extra2 as Float64Array;
    expect(s.length).toBe(2 * STAT_FIELDS);
    expect([s[3], s[STAT_FIELDS + 3]]).toEqual([1, 2]);
  });

  it('read fills a buffer of the asked size and answers the count; a count above it is EIO', async () => {
    let over = false;
    const { addon } = await mounted(
      fakeOps({
        read: async (_p, fd, buf, len, pos) => {
          expect([fd, len, pos]).toEqual([7, 10, 2 ** 40]);
          buf.write('abc');
          return over ? len + 1 : 3;
        },
      }),
    );
    const r = await addon.request(OP.read, '/f', 7, 2 ** 40, 10);
    expect(r.result).toBe(3);
    expect((r.extra as Buffer).subarray(0, 3).toString()).toBe('abc');
    over = true;
    expect((await addon.request(OP.read, '/f', 7, 2 ** 40, 10)).result).toBe(-errno('EIO'));
  });

  it('write passes the data and its offset; errors travel as -errno', async () => {
    const seen: [number, string, number][] = [];
    const { addon } = await mounted(
      fakeOps({
        write: async (_p, fd, buf, len, pos) => {
          seen.push([fd, buf.subarray(0, len).toString(), pos]);
          return len;
        },
        unlink: async () => {
          throw new FsError('EACCES', 'no');
        },
        mkdir: async () => {
          throw new Error('not an FsError');
        },
      }),
    );
    expect((await addon.request(OP.write, '/f', 4, 123, Buffer.from('hello'))).result).toBe(5);
    expect(seen).toEqual([[4, 'hello', 123]]);
    expect((await addon.request(OP.unlink, '/f')).result).toBe(-errno('EACCES'));
    expect((await addon.request(OP.mkdir, '/d', 0o755)).result).toBe(-errno('EIO'));
  });

  it('utimens passes atime and mtime apart (NaN = UTIME_OMIT, left alone)', async () => {
    const calls: [string, number, number][] = [];
    const { addon } = await mounted(fakeOps({ utimens: async (p, a, m) => void calls.push([p, a, m]) }));
    await addon.request(OP.utimens, '/f', 1000, 2000);
    await addon.request(OP.utimens, '/g', Number.NaN, 3000);
    expect(calls[0]).toEqual(['/f', 1000, 2000]);
    expect(calls[1]![1]).toBeNaN();
    expect(calls[1]![2]).toBe(3000);
  });

  it('open and create answer the handle; one the addon cannot store is EIO', async () => {
    let fd = 9;
    const { addon } = await mounted(fakeOps({ open: async () => fd, create: async () => fd }));
    expect((await addon.request(OP.open, '/f', fsc.O_RDONLY)).result).toBe(9);
    fd = 2 ** 31;
    expect((await addon.request(OP.create, '/f', 0o644, fsc.O_WRONLY)).result).toBe(-errno('EIO'));
  });

  it('rename: plain replaces, RENAME_NOREPLACE refuses an existing name, RENAME_EXCHANGE is EINVAL', async () => {
    const renamed: string[] = [];
    const { addon } = await mounted(
      fakeOps({
        getattr: async (p) => {
          if (p === '/exists') return stat(1);
          throw new FsError('ENOENT', p);
        },
        rename: async (f, t) => void renamed.push(`${f}>${t}`),
      }),
    );
    expect((await addon.request(OP.rename, '/a', 0, 0, '/exists')).result).toBe(0);
    expect((await addon.request(OP.rename, '/a', 1, 0, '/exists')).result).toBe(-errno('EEXIST'));
    expect((await addon.request(OP.rename, '/a', 1, 0, '/new')).result).toBe(0);
    expect((await addon.request(OP.rename, '/a', 2, 0, '/new')).result).toBe(-errno('EINVAL'));
    expect(renamed).toEqual(['/a>/exists', '/a>/new']);
  });

  it('answers ETIMEDOUT once the backstop passes, and ignores the late result', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const addon = new FakeAddon();
      let finish: (() => void) | undefined;
      const ops = fakeOps({ flush: () => new Promise<void>((r) => (finish = r)) });
      const p = new OwnFuse(addon, { detach: async () => undefined }).mount('/m', ops, { ...OPTS, backstopTimeoutMs: 1000 });
      await vi.advanceTimersByTimeAsync(1);
      await p;
      addon.handler!(OP.flush, 77, '/f', 3, 0, 0, undefined);
      await vi.advanceTimersByTimeAsync(999);
      expect(addon.replies).toEqual([]);
      await vi.advanceTimersByTimeAsync(2);
      expect(addon.replies).toEqual([{ id: 77, result: -errno('ETIMEDOUT'), extra: undefined, extra2: undefined }]);
      finish!();
      await vi.advanceTimersByTimeAsync(10);
      expect(addon.replies.length).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('unmount: exit, detach, and lets go of the process; once', async () => {
    const { addon, unmount, detached } = await mounted(fakeOps());
    const stopped = unmount();
    addon.handler!(EV.closed, 0, '', 0, 0, 0, undefined);
    await stopped;
    await unmount();
    expect([addon.exited, detached, addon.unrefs]).toEqual([1, ['/nowhere/mnt'], 1]);
  });

  it("invalidatePath queues the path with the mount's session, until unmount; an addon built before it says false", async () => {
    const addon = new FakeAddon();
    const m = await new OwnFuse(addon, { detach: async () => undefined }).mount('/m', fakeOps(), OPTS);
    expect(m.invalidatePath('/d/f')).toBe(true);
    expect(addon.invalidated).toEqual([[{ session: true }, '/d/f']]);
    const stopped = m.unmount();
    addon.handler!(EV.closed, 0, '', 0, 0, 0, undefined);
    await stopped;
    expect(m.invalidatePath('/d/g')).toBe(false);
    expect(addon.invalidated.length).toBe(1);
    const older = new FakeAddon();
    older.invalidate = undefined;
    const o = await new OwnFuse(older, { detach: async () => undefined }).mount('/o', fakeOps(), OPTS);
    expect(o.invalidatePath('/f')).toBe(false);
  });

  it('writeback cache: a write-only open asks for read too when the file allows it, O_APPEND is the kernel\'s', async () => {
    expect(writebackOpenFlags(fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT)).toBe(fsc.O_RDWR | fsc.O_CREAT);
    expect(writebackOpenFlags(fsc.O_RDONLY)).toBe(fsc.O_RDONLY);
    const flags: number[] = [];
    let readable = true;
    const { addon } = await mounted(
      fakeOps({
        open: async (_p, f) => (flags.push(f), 1),
        access: async () => {
          if (!readable) throw new FsError('EACCES', 'write-only');
        },
      }),
      OPTS,
      true,
    );
    await addon.request(OP.open, '/f', fsc.O_WRONLY | fsc.O_APPEND);
    readable = false;
    await addon.request(OP.open, '/f', fsc.O_WRONLY | fsc.O_APPEND);
    expect(flags).toEqual([fsc.O_RDWR, fsc.O_WRONLY]);
  });
});

describe('helpers', () => {
  it('devParts splits a Linux dev_t', () => {
    expect(devParts(0x29)).toEqual([0, 41]);
    expect(devParts((8 << 8) | 1)).toEqual([8, 1]);
    expect(devParts(0x12345678)).toEqual([0x456, 0x12378]);
  });
  it('mountOptionString never lets a name add an option', () => {
    expect(mountOptionString({ fsName: 'a,allow_other', subtype: 's=x' })).toBe('fsname=a_allow_other,subtype=s_x');
  });
  it('SHAREKEEPER_FUSE chooses', () => {
    expect(fuseChoice({})).toBe('auto');
    expect(fuseChoice({ SHAREKEEPER_FUSE: 'own' })).toBe('own');
    expect(fuseChoice({ SHAREKEEPER_FUSE: 'fuse-native' })).toBe('fuse-native');
    expect(fuseChoice({ SHAREKEEPER_FUSE: 'libfuse9' })).toMatchObject({ problem: expect.stringMatching(/not one of/) });
  });
});
