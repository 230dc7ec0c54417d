// Writes of one open file, gathered: the kernel hands us 128 KiB at a time; consecutive pieces are
// copied into one buffer and sent as one large WRITE (4 MiB, as the protocol's write stream does)
// with a few in flight, so a sequential copy costs a WRITE per 4 MiB instead of one per 128 KiB.
// A write() returns once its bytes are held here; drain() (flush, fsync, close, and before anything
// that must see the data: a read, a truncate, a rename, a stat of the size) sends what is held and
// waits. The first failure is kept and reported by the next write() or drain(), as close(2) does
// for a network file system. A WRITE that failed because the connection dropped is sent once more
// (the io reopens the file on the new connection): writing the same bytes at the same offset twice
// is harmless.
import { FsError } from './errno.js';
import { toFsError } from './status-errno.js';

export interface WriterIo {
  /** Writes all of `parts` at `offset` (looping over short WRITEs); may reconnect and retry. */
  writeAll(offset: number, parts: readonly Buffer[]): Promise<void>;
}

export interface WriterOptions {
  /** Bytes gathered per WRITE. */
  chunk: number;
  /** WRITEs in flight before write() waits. */
  window: number;
}

export const DEFAULT_WRITER: WriterOptions = { chunk: 4 * 1024 * 1024, window: 3 };

interface Pending {
  offset: number;
  parts: Buffer[];
  size: number;
}

export class FileWriter {
  private pending: Pending | undefined;
  private readonly inflight = new Map<Promise<void>, { offset: number; end: number }>();
  private error: FsError | undefined;

  constructor(
    private readonly io: WriterIo,
    private readonly opts: WriterOptions = DEFAULT_WRITER,
  ) {}

  /** The end of the furthest byte written but perhaps not yet on the server (0 if none). */
  get heldEnd(): number {
    let end = this.pending ? this.pending.offset + this.pending.size : 0;
    for (const r of this.inflight.values()) end = Math.max(end, r.end);
    return end;
  }

  get holding(): boolean {
    return this.pending !== undefined || this.inflight.size > 0;
  }

  async write(data: Buffer, length: number, position: number): Promise<number> {
    this.throwIfFailed();
    const p = this.pending;
    if (p && (p.offset + p.size !== position || p.size + length > this.opts.chunk)) this.dispatch();
    // The caller reuses its buffer: keep a copy.
    const copy = Buffer.allocUnsafe(length);
    data.copy(copy, 0, 0, length);
    if (this.pending) {
      this.pending.parts.push(copy);
      this.pending.size += length;
    } else {
      this.pending = { offset: position, parts: [copy], size: length };
    }
    if (this.pending.size >= this.opts.chunk) this.dispatch();
    while (this.inflight.size >= this.opts.window) await Promise.race(this.inflight.keys());
    this.throwIfFailed();
    return length;
  }

  /** Sends everything held and waits for it, keeping any failure for this file's own next call. */
  async settle(): Promise<void> {
    this.dispatch();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight.keys()]);
  }

  /** Sends everything held and waits for it; throws the first failure since the last drain. */
  async drain(): Promise<void> {
    this.dispatch();
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight.keys()]);
    const e = this.error;
    this.error = undefined;
    if (e) throw e;
  }

  private throwIfFailed(): void {
    const e = this.error;
    if (!e) return;
    this.error = undefined;
    throw e;
  }

  private dispatch(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const sent = this.io.writeAll(p.offset, p.parts).catch((e: unknown) => {
      this.error ??= toFsError(e, 'write');
    });
    const done = sent.finally(() => this.inflight.delete(done));
    this.inflight.set(done, { offset: p.offset, end: p.offset + p.size });
  }
}
