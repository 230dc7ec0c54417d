// FsOps served through the npm module `fuse-native` (a prebuilt N-API addon over the system's
// libfuse.so.2: `apt-get install fuse3 libfuse2`), or its maintained fork `@cocalc/fuse-native`
// (same API, compiled at install against libfuse-dev). Loaded at run time, so everything else in
// ShareKeeper builds and runs without it; loadFuseBinding says why a mount cannot work here.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FsError } from './errno.js';
import type { FsOps, FuseBinding, FuseMount, FuseMountOptions, FuseStat } from './fuse-binding.js';

type Cb = (...args: unknown[]) => void;

interface NativeFuse {
  mount(cb: (err: Error | null) => void): void;
  unmount(cb: (err: Error | null) => void): void;
  _fuseOptions(): string;
}

type NativeFuseClass = new (mnt: string, ops: Record<string, unknown>, opts: Record<string, unknown>) => NativeFuse;

const MODULES = ['fuse-native', '@cocalc/fuse-native'] as const;

/** The module that loads here, or the reason none does. */
export function loadFuseBinding(): { binding: FuseBinding } | { problem: string } {
  if (!existsSync('/dev/fuse')) return { problem: 'this system has no /dev/fuse (the kernel needs FUSE; in a container, pass --device /dev/fuse)' };
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const name of MODULES) {
    try {
      const cls = require(name) as NativeFuseClass;
      return { binding: new NativeFuseBinding(name, cls) };
    } catch (e) {
      errors.push(`${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return { problem: `no FUSE module loads (npm install fuse-native; apt-get install fuse3 libfuse2): ${errors.join('; ')}` };
}

/** The negative errno FUSE wants for a failure. */
function failure(e: unknown): number {
  return -(e instanceof FsError ? e.errno : 5 /* EIO */);
}

/** Extra -o options fuse-native has no switch for; commas or spaces in a value would split it. */
function extraOptions(opts: FuseMountOptions): string[] {
  const clean = (s: string): string => s.replace(/[,\s\\]/g, '_');
  const out = ['big_writes', `max_write=${opts.maxWrite ?? 128 * 1024}`, `subtype=${clean(opts.subtype)}`, `fsname=${clean(opts.fsName)}`];
  out.push(`attr_timeout=${opts.attrTimeoutS ?? 1}`, `entry_timeout=${opts.entryTimeoutS ?? 1}`);
  return out;
}

function toNativeOps(fs: FsOps): Record<string, unknown> {
  // Each callback gets (errno <= 0, ...results); read/write answer with the byte count instead.
  const done = (p: Promise<unknown>, cb: Cb, shape: (v: never) => unknown[] = () => []): void => {
    p.then(
      (v) => cb(0, ...shape(v as never)),
      (e: unknown) => cb(failure(e)),
    );
  };
  const count = (p: Promise<number>, cb: Cb): void => {
    p.then(
      (n) => cb(n),
      (e: unknown) => cb(failure(e)),
    );
  };
  return {
    getattr: (path: string, cb: Cb) => done(fs.getattr(path), cb, (s: FuseStat) => [s]),
    fgetattr: (path: string, _fd: number, cb: Cb) => done(fs.getattr(path), cb, (s: FuseStat) => [s]),
    readdir: (path: string, cb: Cb) => done(fs.readdir(path), cb, (r: { names: string[]; stats: FuseStat[] }) => [r.names, r.stats]),
    open: (path: string, flags: number, cb: Cb) => done(fs.open(path, flags), cb, (fd: number) => [fd]),
    create: (path: string, mode: number, cb: Cb) => done(fs.create(path, mode), cb, (fd: number) => [fd]),
    read: (path: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb) => count(fs.read(path, fd, buf, len, pos), cb),
    write: (path: string, fd: number, buf: Buffer, len: number, pos: number, cb: Cb) => count(fs.write(path, fd, buf, len, pos), cb),
    flush: (path: string, fd: number, cb: Cb) => done(fs.flush(path, fd), cb),
    // fuse-native passes (path, datasync, fd), unlike its README.
    fsync: (path: string, datasync: number, fd: number, cb: Cb) => done(fs.fsync(path, fd, datasync !== 0), cb),
    release: (path: string, fd: number, cb: Cb) => done(fs.release(path, fd), cb),
    truncate: (path: string, size: number, cb: Cb) => done(fs.truncate(path, size), cb),
    ftruncate: (path: string, fd: number, size: number, cb: Cb) => done(fs.ftruncate(path, fd, size), cb),
    unlink: (path: string, cb: Cb) => done(fs.unlink(path), cb),
    mkdir: (path: string, mode: number, cb: Cb) => done(fs.mkdir(path, mode), cb),
    rmdir: (path: string, cb: Cb) => done(fs.rmdir(path), cb),
    rename: (from: string, to: string, cb: Cb) => done(fs.rename(from, to), cb),
    utimens: (path: string, atime: number, mtime: number, cb: Cb) => done(fs.utimens(path, atime, mtime), cb),
    statfs: (path: string, cb: Cb) => done(fs.statfs(path), cb, (s: unknown) => [s]),
    access: (path: string, mode: number, cb: Cb) => done(fs.access(path, mode), cb),
    chmod: (path: string, mode: number, cb: Cb) => done(fs.chmod(path, mode), cb),
    chown: (path: string, uid: number, gid: number, cb: Cb) => done(fs.chown(path, uid, gid), cb),
  };
}

class NativeFuseBinding implements FuseBinding {
  constructor(
    readonly name: string,
    private readonly Fuse: NativeFuseClass,
  ) {}

  mount(mountPoint: string, ops: FsOps, opts: FuseMountOptions): Promise<FuseMount> {
    const extra = extraOptions(opts);
    // fuse-native builds the -o string itself; add what it has no option for.
    const Base = this.Fuse;
    const Sub = class extends Base {
      override _fuseOptions(): string {
        const own = super._fuseOptions();
        return `${own === '' ? '-o' : `${own},`}${extra.join(',')}`;
      }
    };
    const fuse = new Sub(mountPoint, toNativeOps(ops), { timeout: opts.backstopTimeoutMs ?? 120_000, force: true, mkdir: false });
    return new Promise((resolve, reject) => {
      fuse.mount((err) => {
        if (err) return reject(err);
        let unmounting: Promise<void> | undefined;
        resolve({
          mountPoint,
          unmount: () =>
            (unmounting ??= new Promise<void>((res, rej) => {
              fuse.unmount((e) => (e ? rej(e) : res()));
            })),
        });
      });
    });
  }
}
