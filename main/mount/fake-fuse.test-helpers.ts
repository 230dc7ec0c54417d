// A fake FUSE for the unit tests: FakeFuse "mounts" FsOps by keeping them, and FakeKernel calls
// them the way Linux does for common system calls (lookup before open, 128 KiB reads and writes,
// flush then release on close, a getattr per entry after readdir for `ls -l`).
import { constants } from 'node:fs';
import { FsError } from './errno.js';
import type { FsOps, FuseBinding, FuseMount, FuseMountOptions, FuseStat } from './fuse-binding.js';

export const KERNEL_IO = 128 * 1024;

export class FakeKernel {
  constructor(readonly fs: FsOps) {}

  async exists(path: string): Promise<boolean> {
    try {
      await this.fs.getattr(path);
      return true;
    } catch (e) {
      if (e instanceof FsError && e.errnoName === 'ENOENT') return false;
      throw e;
    }
  }

  async readFile(path: string): Promise<Buffer> {
    await this.fs.getattr(path);
    const fd = await this.fs.open(path, constants.O_RDONLY);
    const parts: Buffer[] = [];
    try {
      for (let pos = 0; ; ) {
        const buf = Buffer.alloc(KERNEL_IO);
        const n = await this.fs.read(path, fd, buf, KERNEL_IO, pos);
        if (n === 0) break;
        parts.push(buf.subarray(0, n));
        pos += n;
      }
    } finally {
      await this.fs.release(path, fd);
    }
    return Buffer.concat(parts);
  }

  /** open(O_WRONLY|O_CREAT|O_TRUNC), writes in kernel-sized pieces, close. */
  async writeFile(path: string, data: Buffer): Promise<void> {
    const fd = await this.openForWrite(path, true);
    try {
      await this.writeAll(path, fd, data, 0);
      await this.fs.flush(path, fd);
    } finally {
      await this.fs.release(path, fd);
    }
  }

  async openForWrite(path: string, truncate: boolean): Promise<number> {
    if (!(await this.exists(path))) return this.fs.create(path, 0o644);
    if (truncate) await this.fs.truncate(path, 0);
    return this.fs.open(path, constants.O_RDWR);
  }

  async writeAll(path: string, fd: number, data: Buffer, at: number): Promise<void> {
    for (let off = 0; off < data.length; off += KERNEL_IO) {
      const piece = Buffer.from(data.subarray(off, off + KERNEL_IO));
      const n = await this.fs.write(path, fd, piece, piece.length, at + off);
      if (n !== piece.length) throw new Error(`short write ${n}`);
      // The kernel reuses its buffer at once: whatever we kept must be a copy.
      piece.fill(0xee);
    }
  }

  /** `ls -l`: one readdir, then a getattr per entry (FUSE 2 has no readdirplus). */
  async lsl(path: string): Promise<Map<string, FuseStat>> {
    const { names } = await this.fs.readdir(path);
    const out = new Map<string, FuseStat>();
    for (const n of names) {
      if (n === '.' || n === '..') continue;
      out.set(n, await this.fs.getattr(path === '/' ? `/${n}` : `${path}/${n}`));
    }
    return out;
  }
}

export class FakeFuse implements FuseBinding {
  readonly name = 'fake';
  readonly mounts = new Map<string, { ops: FsOps; opts: FuseMountOptions }>();
  unmounts: string[] = [];
  /** Paths the file system asked the kernel to forget, per mount point. */
  readonly invalidated = new Map<string, string[]>();

  async mount(mountPoint: string, ops: FsOps, opts: FuseMountOptions): Promise<FuseMount> {
    if (this.mounts.has(mountPoint)) throw new Error(`${mountPoint} is already mounted`);
    this.mounts.set(mountPoint, { ops, opts });
    return {
      mountPoint,
      unmount: async () => {
        if (this.mounts.delete(mountPoint)) this.unmounts.push(mountPoint);
      },
      invalidatePath: (path: string) => {
        if (!this.mounts.has(mountPoint)) return false;
        this.invalidated.set(mountPoint, [...(this.invalidated.get(mountPoint) ?? []), path]);
        return true;
      },
    };
  }

  kernel(mountPoint: string): FakeKernel {
    const m = this.mounts.get(mountPoint);
    if (!m) throw new Error(`${mountPoint} is not mounted`);
    return new FakeKernel(m.ops);
  }
}
