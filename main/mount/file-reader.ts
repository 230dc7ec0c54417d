// Reads of one open file. Sequential reads (what cp, dd, cat and the kernel's read-ahead do) are
// served from aligned chunks fetched ahead in a window, the way the protocol's read stream keeps
// READs in flight; the kernel's own requests (128 KiB, sometimes two at once and out of order)
// then find their bytes already here. A read far from the last one is random access: it is sent
// as asked, and the window starts again from there. A small file read from its start comes in one
// round trip (the caller's `whole`, CREATE + READ + CLOSE compounded).

export interface ReaderIo {
  /** Up to `length` bytes at `offset` (fewer only at end of file; empty = EOF). */
  readAt(offset: number, length: number): Promise<Buffer>;
  /** The whole file in one round trip when it is small and read from 0, else undefined. */
  whole?(): Promise<Buffer | undefined>;
}

export interface ReaderOptions {
  /** Bytes per READ fetched ahead. */
  chunk: number;
  /** Chunks kept in flight ahead of the reader. */
  window: number;
}

// As the read stream measured against Samba (protocol/client/read-stream.ts): 4 × 2 MiB.
export const DEFAULT_READER: ReaderOptions = { chunk: 2 * 1024 * 1024, window: 4 };

export class FileReader {
  private readonly chunks = new Map<number, Promise<Buffer>>();
  /** End of the furthest read served, to tell sequential from random access. */
  private lastEnd = 0;
  /** Index of the first chunk known to end the file (shorter than a chunk), if any. */
  private eofChunk: number | undefined;
  private wholeTried = false;
  private wholeRead: Promise<Buffer | undefined> | undefined;
  private generation = 0;

  constructor(
    private readonly io: ReaderIo,
    private readonly opts: ReaderOptions = DEFAULT_READER,
  ) {}

  /** Drops everything fetched (the file changed under us). */
  invalidate(): void {
    this.chunks.clear();
    this.eofChunk = undefined;
    this.generation++;
  }

  /** Copies up to `length` bytes at `position` into `buf`; returns how many (0 = EOF). */
  async read(buf: Buffer, length: number, position: number): Promise<number> {
    if (length <= 0) return 0;
    // The first read, wherever it is (the kernel's read-ahead may come first), tries the whole
    // small file in one round trip; reads meanwhile wait for it rather than open a second handle
    // (the server would break one open's oplock for the other, which takes seconds).
    if (!this.wholeTried && this.io.whole) {
      this.wholeTried = true;
      this.wholeRead = this.io.whole().then((data) => {
        if (data !== undefined) this.keepWhole(data);
        return data;
      });
    }
    if (this.wholeRead) await this.wholeRead.catch(() => undefined);
    const { chunk } = this.opts;
    const first = Math.floor(position / chunk);
    const sequential = position === 0 || this.chunks.has(first) || Math.abs(position - this.lastEnd) <= 2 * chunk;
    if (!sequential) {
      this.invalidate();
      const n = await this.direct(buf, length, position);
      this.lastEnd = position + n;
      return n;
    }
    this.prefetch(first, Math.floor((position + length - 1) / chunk));
    let done = 0;
    while (done < length) {
      const at = position + done;
      const idx = Math.floor(at / chunk);
      const data = await this.chunkAt(idx);
      const within = at - idx * chunk;
      if (within >= data.length) break;
      const n = Math.min(length - done, data.length - within);
      data.copy(buf, done, within, within + n);
      done += n;
      if (data.length < chunk) break;
    }
    // Keep one chunk behind the reader for requests the kernel sends out of order.
    for (const k of this.chunks.keys()) if (k < first - 1) this.chunks.delete(k);
    this.lastEnd = Math.max(this.lastEnd, position + done);
    return done;
  }

  /** A whole small file, kept as chunks (invalidate() forgets it like any fetched chunk). */
  private keepWhole(data: Buffer): void {
    const { chunk } = this.opts;
    for (let i = 0; ; i++) {
      const part = data.subarray(i * chunk, (i + 1) * chunk);
      this.chunks.set(i, Promise.resolve(part));
      if (part.length < chunk) {
        this.eofChunk = i;
        break;
      }
    }
  }

  private prefetch(first: number, last: number): void {
    const end = Math.min(last + this.opts.window, this.eofChunk ?? Infinity);
    for (let i = first; i <= end; i++) if (!this.chunks.has(i)) this.chunks.set(i, this.fetch(i));
  }

  private chunkAt(idx: number): Promise<Buffer> {
    let p = this.chunks.get(idx);
    if (!p) {
      p = this.fetch(idx);
      this.chunks.set(idx, p);
    }
    return p;
  }

  /** One whole chunk: several READs if the server answers short before the end of the file. */
  private fetch(idx: number): Promise<Buffer> {
    const { chunk } = this.opts;
    const gen = this.generation;
    const p = this.readFull(idx * chunk, chunk).then((data) => {
      if (data.length < chunk && gen === this.generation) this.eofChunk = Math.min(this.eofChunk ?? idx, idx);
      return data;
    });
    // A failed fetch is not kept: the next read asks again (and reports the error itself).
    p.catch(() => {
      if (this.chunks.get(idx) === p) this.chunks.delete(idx);
    });
    return p;
  }

  private async readFull(offset: number, length: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    let got = 0;
    while (got < length) {
      const data = await this.io.readAt(offset + got, length - got);
      if (data.length === 0) break;
      parts.push(data);
      got += data.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, got);
  }

  private async direct(buf: Buffer, length: number, position: number): Promise<number> {
    const data = await this.readFull(position, length);
    data.copy(buf, 0, 0, data.length);
    return data.length;
  }
}
