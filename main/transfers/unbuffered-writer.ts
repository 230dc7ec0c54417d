// Large downloads written past the page cache (O_DIRECT), as Windows' own copy does for large
// files (unbuffered I/O): a buffered write(2) has the kernel find a new page-cache page for every
// 4 KiB of the file, and on this machine kind (a VM whose balloon takes free memory back) each of
// those pages is a host fault. Measured with dd, 1 GiB to a new file on ext4 after free-page
// reporting went quiet: 1.55-1.60 s buffered (all of it system time) against 0.62-0.67 s with
// O_DIRECT in 2 MiB writes (0.09 s system). smbclient writes through the page cache, so this is
// where our download can be cheaper than its. The bytes also stop evicting what the person was
// using from the cache for a file they will not read again at once.
//
// O_DIRECT needs the memory, the file offset and the length aligned to the device's logical block
// (512 B or 4 KiB). The bytes arrive inside SMB frames at arbitrary offsets, so they are copied
// into a page-aligned stage (WebAssembly memory is page-aligned by construction) and written a
// stage at a time; the last partial block goes through the ordinary (buffered) descriptor. Where
// the file system refuses O_DIRECT (at open or at the first write: tmpfs before Linux 6.6, FUSE,
// network file systems) the writer carries on buffered, so a copy never fails for it.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { releaseBuffer } from '../../protocol/index.js';

// The one part of WebAssembly used here (Node has it; this project's TypeScript libs do not declare it).
declare const WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { buffer: ArrayBuffer } };

const O_DIRECT: number | undefined = (constants as { O_DIRECT?: number }).O_DIRECT;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/** The largest logical block of a device we may meet: offsets and lengths are multiples of it. */
export const DIRECT_ALIGN = 4096;
/** Bytes per direct write(2): large enough that one write per stage costs little, small in RSS. */
export const STAGE_BYTES = 4 * 1024 * 1024;
/** Files from this size on are written unbuffered; smaller ones are not worth a second open. */
export const UNBUFFERED_MIN_BYTES = 16 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;
/** Stages kept for the next download (each one's pages are touched once, not per file). */
const KEPT_STAGES = 2;
const keptStages: Buffer[] = [];

/** Whether this platform can open files O_DIRECT at all (Linux; not macOS or Windows). */
export const unbufferedSupported = O_DIRECT !== undefined;

function takeStage(): Buffer {
  return keptStages.pop() ?? Buffer.from(new WebAssembly.Memory({ initial: STAGE_BYTES / WASM_PAGE, maximum: STAGE_BYTES / WASM_PAGE }).buffer);
}

function keepStage(stage: Buffer): void {
  if (keptStages.length < KEPT_STAGES) keptStages.push(stage);
}

/**
 * A writer for the file `path` that `fh` (opened without following links) already holds, from
 * `start` on, or undefined when it cannot be unbuffered here (the platform, an unaligned start, a
 * file system that refuses O_DIRECT, or `path` no longer being `fh`'s file). Like handleWriter it
 * never closes `fh`, and it gives each chunk's buffer back to its pool once copied.
 */
export async function openUnbufferedWriter(path: string, fh: FileHandle, start: number): Promise<Writable | undefined> {
  if (O_DIRECT === undefined || start % DIRECT_ALIGN !== 0) return undefined;
  const direct = await open(path, constants.O_WRONLY | O_DIRECT | NOFOLLOW).catch(() => undefined);
  if (!direct) return undefined;
  // The second open is by name: make sure it reached the file we created, not one put in its place.
  const [a, b] = await Promise.all([fh.stat(), direct.stat()]);
  if (a.dev !== b.dev || a.ino !== b.ino) {
    await direct.close();
    return undefined;
  }
  let stage: Buffer;
  try {
    stage = takeStage();
  } catch {
    // WebAssembly memory reserves address space generously; where a limit (ulimit -v) refuses it, buffered.
    await direct.close();
    return undefined;
  }
  return new UnbufferedWriter(direct, fh, start, stage).stream;
}

class UnbufferedWriter {
  readonly stream: Writable;
  private fill = 0;
  /** File offset of stage[0]. */
  private position: number;
  /** Set once the file system refused a direct write: the rest goes through `buffered`. */
  private refused = false;

  constructor(
    private readonly direct: FileHandle,
    private readonly buffered: FileHandle,
    start: number,
    private stage: Buffer,
  ) {
    this.position = start;
    this.stream = new Writable({
      highWaterMark: STAGE_BYTES,
      write: (chunk: Buffer, _enc, cb) => this.track(this.take(chunk)).then(() => cb(), cb),
      final: (cb) => this.track(this.finish()).then(() => cb(), cb),
      // A destroy can come while a write is in flight (the source failed, the copy was cancelled):
      // the stage goes back only once nothing uses it.
      destroy: (err, cb) => {
        void this.busy.catch(() => undefined).then(async () => {
          this.release();
          await this.direct.close().catch(() => undefined);
          cb(err);
        });
      },
    });
  }

  private busy: Promise<void> = Promise.resolve();

  private track(work: Promise<void>): Promise<void> {
    this.busy = work;
    return work;
  }

  private async take(chunk: Buffer): Promise<void> {
    for (let off = 0; off < chunk.length; ) {
      const n = chunk.copy(this.stage, this.fill, off);
      this.fill += n;
      off += n;
      if (this.fill === STAGE_BYTES) await this.flush(STAGE_BYTES);
      if (this.stream.destroyed) return;
    }
    // Copied: the READ buffer can take the next answer (protocol's buffer-pool.ts).
    releaseBuffer(chunk);
  }

  private async finish(): Promise<void> {
    const whole = this.fill - (this.fill % DIRECT_ALIGN);
    if (whole > 0) await this.flush(whole);
    // The last partial block: O_DIRECT cannot write it, the buffered descriptor can.
    await writeAll(this.buffered, this.stage, 0, this.fill, this.position);
    this.position += this.fill;
    this.fill = 0;
    this.release();
  }

  /** Writes stage[0, length) at `position`; what is left of the stage moves to its front. */
  private async flush(length: number): Promise<void> {
    if (!this.refused) {
      try {
        await writeAll(this.direct, this.stage, 0, length, this.position);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
        this.refused = true; // an alignment this device does not take: buffered from here on
      }
    }
    if (this.refused) await writeAll(this.buffered, this.stage, 0, length, this.position);
    this.position += length;
    this.stage.copyWithin(0, length, this.fill);
    this.fill -= length;
  }

  private release(): void {
    if (this.stage.length === 0) return;
    keepStage(this.stage);
    this.stage = Buffer.alloc(0);
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, from: number, to: number, position: number): Promise<void> {
  for (let off = from; off < to; ) {
    const { bytesWritten } = await fh.write(buf, off, to - off, position + (off - from));
    off += bytesWritten;
  }
}
