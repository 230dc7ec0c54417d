// FsOps served by fuse-native's N-API addon over libfuse 2 (the C side of the npm package
// fuse-native, an optional dependency; this file is our own JavaScript over its calls). Two builds
// of the same addon work: fuse-native's prebuilt one (no compiler needed; libfuse2 at run time)
// and @cocalc/fuse-native's (compiled at its install).
// Both pass the access time where the modification time belongs, so a utimens sets the access time
// only (mtime stays what the server made it) rather than a wrong one: `rsync -a` and `cp -p` cannot
// keep mtimes through the mount: native-own.ts (our libfuse 3 addon) is preferred when it is built.
// Loaded at run time: everything else builds and runs without either.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FsError } from './errno.js';
import type { FsOps, FuseBinding, FuseMount, FuseMountOptions, FuseStat, FuseStatfs } from './fuse-binding.js';

type NativeSignal = (...args: unknown[]) => void;
interface Addon {
  sizeof_fuse_thread_t: number;
  fuse_native_mount(mnt: string, opts: string, thread: Buffer, ctx: object, malloc: (size: number) => Buffer, handlers: unknown[], implemented: Uint32Array): void;
  fuse_native_unmount(mnt: string, thread: Buffer): void;
  [name: string]: unknown;
}

interface Found {
  addon: Addon;
  name: string;
  /** utimens gets the real mtime (our build). */
  mtimeFixed: boolean;
}

const require = createRequire(import.meta.url);

function fromPackage(name: string): string | undefined {
  try {
    const dir = dirname(require.resolve(`${name}/package.json`));
    const load = createRequire(join(dir, 'package.json'))('node-gyp-build') as { path?: (d: string) => string };
    return load.path ? load.path(dir) : undefined;
  } catch {
    return undefined;
  }
}

/** fuse-native's addon if it loads here, or why not (load-fuse.ts chooses between it and ours). */
export function loadFuseNative(): { binding: FuseBinding } | { problem: string } {
  const tries: [string, string | undefined, boolean][] = [
    ['fuse-native', fromPackage('fuse-native'), false],
    ['@cocalc/fuse-native', fromPackage('@cocalc/fuse-native'), false],
  ];
  const errors: string[] = [];
  for (const [name, path, mtimeFixed] of tries) {
    if (path === undefined) {
      errors.push(`${name}: not built or not installed`);
      continue;
    }
    try {
      return { binding: new NativeFuse({ addon: require(path) as Addon, name, mtimeFixed }) };
    } catch (e) {
      errors.push(`${name}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  return { problem: `no FUSE addon loads (apt-get install fuse3 libfuse2 libfuse-dev; npm install): ${errors.join('; ')}` };
}

const OPS = [
  'init', 'error', 'access', 'statfs', 'fgetattr', 'getattr', 'flush', 'fsync', 'fsyncdir', 'readdir', 'truncate', 'ftruncate', 'utimens',
  'readlink', 'chown', 'chmod', 'mknod', 'setxattr', 'getxattr', 'listxattr', 'removexattr', 'open', 'opendir', 'read', 'write', 'release',
  'releasedir', 'create', 'unlink', 'rename', 'link', 'symlink', 'mkdir', 'rmdir',
] as const;
type OpName = (typeof OPS)[number];

/** What we serve; the rest stay unimplemented (libfuse answers ENOSYS). */
const SERVED: ReadonlySet<OpName> = new Set<OpName>([
  'init', 'error', 'access', 'statfs', 'fgetattr', 'getattr', 'flush', 'fsync', 'readdir', 'truncate', 'ftruncate', 'utimens', 'chown', 'chmod',
  'open', 'read', 'write', 'release', 'create', 'unlink', 'rename', 'mkdir', 'rmdir',
]);

const TIMEOUT = -110; // ETIMEDOUT (Linux)
const EIO = -5;

function splitU64(ints: Uint32Array, at: number, n: number): void {
  ints[at] = n % 4294967296;
  ints[at + 1] = (n - (ints[at] ?? 0)) / 4294967296;
}

const u64 = (low: number, high: number): number => low + high * 4294967296;

function statArray(s?: FuseStat): Uint32Array {
  const a = new Uint32Array(18);
  if (!s) return a;
  a[0] = s.mode;
  a[1] = s.uid;
  a[2] = s.gid;
  splitU64(a, 3, s.size);
  a[6] = s.nlink;
  a[9] = s.blksize;
  splitU64(a, 10, s.blocks);
  splitU64(a, 12, s.atime.getTime());
  splitU64(a, 14, s.mtime.getTime());
  splitU64(a, 16, s.ctime.getTime());
  return a;
}

function statfsArray(s?: FuseStatfs): Uint32Array {
  const a = new Uint32Array(11);
  if (!s) return a;
  [s.bsize, s.frsize, s.blocks, s.bfree, s.bavail, s.files, s.ffree, s.favail, s.fsid, s.flag, s.namemax].forEach((v, i) => (a[i] = v));
  return a;
}

const errnoOf = (e: unknown): number => -(e instanceof FsError ? e.errno : -EIO);

/** libfuse 2 gives UTIME_NOW/UTIME_OMIT as tv_sec 0 (plus ~1073 ms of tv_nsec): "not given". */
const timeGiven = (ms: number): number => (ms < 2000 ? Number.NaN : ms);

class NativeFuse implements FuseBinding {
  readonly name: string;
  constructor(private readonly found: Found) {
    this.name = found.name;
  }

  mount(mountPoint: string, ops: FsOps, opts: FuseMountOptions): Promise<FuseMount> {
    return new Promise((resolve, reject) => {
      const session = new Session(this.found, mountPoint, ops, opts);
      session.start((err) => {
        if (err) return reject(err);
        // fuse-native's addon has no call to drop the kernel's cache (it exports only mount and
        // unmount): a change another client made shows once attr_timeout (1 s) has passed.
        resolve({ mountPoint, unmount: () => session.stop(), invalidatePath: () => false });
      });
    });
  }
}

/** One mounted folder: the native thread, the handler table, the buffers the addon asked for. */
class Session {
  private readonly thread: Buffer;
  private readonly kept = new Set<Buffer>();
  private onInit: ((err?: Error) => void) | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly found: Found,
    private readonly mnt: string,
    private readonly ops: FsOps,
    private readonly opts: FuseMountOptions,
  ) {
    this.thread = Buffer.alloc(found.addon.sizeof_fuse_thread_t);
  }

  start(done: (err?: Error) => void): void {
    this.onInit = done;
    const { addon } = this.found;
    const implemented = new Uint32Array(35);
    const handlers: unknown[] = [];
    for (const name of OPS) {
      const op = addon[`op_${name}`] as number;
      const signal = addon[`fuse_native_signal_${name}`] as NativeSignal | undefined;
      if (!signal || !SERVED.has(name)) continue;
      implemented[op] = 1;
      handlers[op] = (native: unknown, _op: number, ...args: unknown[]) => this.dispatch(name, signal.bind(null, native), args);
    }
    try {
      addon.fuse_native_mount(this.mnt, this.optionString(), this.thread, this, (size) => this.malloc(size), handlers, implemented);
    } catch (e) {
      this.onInit = undefined;
      done(e instanceof Error ? e : new Error(String(e)));
    }
  }

  stop(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      // Lazy: detached at once even if busy; the kernel lets go when the last user does.
      execFile('fusermount', ['-uz', this.mnt], { timeout: 10_000 }, () => {
        try {
          this.found.addon.fuse_native_unmount(this.mnt, this.thread);
        } catch {
          // already gone
        }
        resolve();
      });
    });
    return this.stopping;
  }

  private malloc(size: number): Buffer {
    const b = Buffer.alloc(size);
    this.kept.add(b);
    return b;
  }

  private optionString(): string {
    const clean = (s: string): string => s.replace(/[,\s\\]/g, '_');
    const o = this.opts;
    const list = [
      'big_writes',
      `max_write=${o.maxWrite ?? 128 * 1024}`,
      `subtype=${clean(o.subtype)}`,
      `fsname=${clean(o.fsName)}`,
      `attr_timeout=${o.attrTimeoutS ?? 1}`,
      `entry_timeout=${o.entryTimeoutS ?? 1}`,
    ];
    return `-o${list.join(',')}`;
  }

  /** Calls FsOps for one request and answers the native thread exactly once (with a backstop). */
  private dispatch(name: OpName, signal: NativeSignal, args: unknown[]): void {
    let answered = false;
    const answer = (...out: unknown[]): void => {
      if (answered) return;
      answered = true;
      clearTimeout(backstop);
      process.nextTick(signal, ...out);
    };
    const fail = (code: number): void => {
      if (name === 'read' || name === 'write') answer(code, 0, (args[2] as Buffer).buffer);
      else if (name === 'getattr' || name === 'fgetattr') answer(code, statArray());
      else if (name === 'statfs') answer(code, statfsArray());
      else if (name === 'readdir') answer(code, [], []);
      else if (name === 'open' || name === 'create') answer(code, 0);
      else answer(code);
    };
    const backstop = setTimeout(() => fail(TIMEOUT), this.opts.backstopTimeoutMs ?? 120_000);
    let work: Promise<unknown[]>;
    try {
      work = this.call(name, args);
    } catch (e) {
      work = Promise.reject(e);
    }
    work.then(
      (out) => answer(...out),
      (e: unknown) => fail(errnoOf(e)),
    );
  }

  private async call(name: OpName, a: unknown[]): Promise<unknown[]> {
    const ops = this.ops;
    const p = a[0] as string;
    switch (name) {
      case 'init':
        this.onInit?.();
        this.onInit = undefined;
        return [0];
      case 'error':
        return [0];
      case 'getattr':
      case 'fgetattr':
        return [0, statArray(await ops.getattr(p))];
      case 'readdir': {
        const r = await ops.readdir(p);
        return [0, r.names, r.stats.map(statArray)];
      }
      case 'access':
        await ops.access(p, a[1] as number);
        return [0];
      case 'statfs':
        return [0, statfsArray(await ops.statfs(p))];
      case 'open':
        return [0, await ops.open(p, a[1] as number)];
      case 'create':
        return [0, await ops.create(p, a[1] as number)];
      case 'read': {
        const buf = a[2] as Buffer;
        const n = await ops.read(p, a[1] as number, buf, a[3] as number, u64(a[4] as number, a[5] as number));
        return [n, 0, buf.buffer];
      }
      case 'write': {
        const buf = a[2] as Buffer;
        const n = await ops.write(p, a[1] as number, buf, a[3] as number, u64(a[4] as number, a[5] as number));
        return [n, 0, buf.buffer];
      }
      case 'flush':
        await ops.flush(p, a[1] as number);
        return [0];
      case 'fsync':
        // The addon passes (path, datasync, fd).
        await ops.fsync(p, a[2] as number, (a[1] as number) !== 0);
        return [0];
      case 'release':
        await ops.release(p, a[1] as number);
        return [0];
      case 'truncate':
        await ops.truncate(p, u64(a[1] as number, a[2] as number));
        return [0];
      case 'ftruncate':
        await ops.ftruncate(p, a[1] as number, u64(a[2] as number, a[3] as number));
        return [0];
      case 'utimens': {
        const atime = timeGiven(u64(a[1] as number, a[2] as number));
        const mtime = this.found.mtimeFixed ? timeGiven(u64(a[3] as number, a[4] as number)) : Number.NaN;
        await ops.utimens(p, atime, mtime);
        return [0];
      }
      case 'unlink':
        await ops.unlink(p);
        return [0];
      case 'rename':
        await ops.rename(p, a[1] as string);
        return [0];
      case 'mkdir':
        await ops.mkdir(p, a[1] as number);
        return [0];
      case 'rmdir':
        await ops.rmdir(p);
        return [0];
      case 'chmod':
        await ops.chmod(p, a[1] as number);
        return [0];
      case 'chown':
        await ops.chown(p, a[1] as number, a[2] as number);
        return [0];
      default:
        return [-38 /* ENOSYS */];
    }
  }
}
