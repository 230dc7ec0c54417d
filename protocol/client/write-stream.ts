// A back-pressured Writable to a remote file: incoming chunks are gathered (without copying)
// into WRITE-sized batches and kept `window` deep in flight (MS-SMB2 3.2.4.7). 'finish' fires
// only after every WRITE was acknowledged and the handle is closed.
import { Writable } from 'node:stream';
import { SmbError, asSmbError } from '../errors.js';
import type { FileHandle, OpenOptions } from './api.js';
import { closeHandleThenReport } from './close-then-report.js';
import { ioChunkSize } from './file-io.js';
import { releaseBuffer } from '../transport/buffer-pool.js';
import type { WriteStreamOptions } from './types.js';

// A 1 GiB put is bound by the server: smbd writes each WRITE with one pwrite into new page cache,
// and on this VM (free page reporting, test/bench/machine-state.ts) that costs what a local
// `dd` of the same GiB into a new file costs, 2.6-3.2 s of system time whatever the block size
// (measured with bs 128 KiB, 1 MiB, 8 MiB). So what we can change is our CPU, which competes with
// smbd for the two cores: it goes with the number of WRITEs more than with the bytes. Measured,
// alternating, after reporting went quiet, 10 rounds (5 plain, 2 signed, 3 encrypted): 4 × 2 MiB
// beat 4 × 1 MiB in every one, by 0.16-0.47 s (plain 2.81-3.05 s against 3.05-3.44; smbclient's
// 8 MiB WRITEs 2.74-3.41), with user CPU 0.37-0.45 s per GiB against 0.61-0.87 and 4 MiB more
// peak RSS (70 MiB). 128 KiB to 256 KiB WRITEs, 16-64 deep, were slower (3.2-4.2 s); 4 MiB × 3
// no better than 2 MiB. (An earlier stop measured 1 MiB ahead, by as much: the host's cost of
// new pages moves between days; the CPU saved does not.)
const DEFAULT_WINDOW = 4;
const DEFAULT_CHUNK = 2 * 1024 * 1024;
/**
 * A sealed session's WRITEs stay at 1 MiB: each is encrypted on the main thread (as READs are
 * opened, read-stream.ts SEALED_READ_CHUNK), and the larger frames measured 85-92 MiB peak RSS
 * for an encrypted put against 77-79 (the target is 100).
 */
export const SEALED_WRITE_CHUNK = 1024 * 1024;

/** The WRITE size a stream uses by default: SEALED_WRITE_CHUNK when every message is sealed, else 2 MiB. */
export function defaultWriteChunk(sealed: boolean): number {
  return sealed ? SEALED_WRITE_CHUNK : DEFAULT_CHUNK;
}

/**
 * WRITEs in a row that the server answers with Count 0. One can be a passing condition; a server
 * that keeps taking nothing would have us resend for ever.
 */
export const MAX_ZERO_WRITES = 3;

export class SmbWriteStream extends Writable {
  private file: FileHandle | undefined;
  private offset = 0;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inFlight = 0;
  /** Bytes per WRITE: a source that hands over chunks of this size has each go out as one WRITE. */
  readonly chunk: number;
  private readonly window: number;
  private waiting: (() => void) | undefined;
  private failed: Error | undefined;
  private zeroWrites = 0;

  /** `open` gets the OpenOptions these stream options call for; `maxWrite` is the connection's largest WRITE. */
  constructor(
    private readonly open: (how: OpenOptions) => Promise<FileHandle>,
    maxWrite: number,
    private readonly opts: WriteStreamOptions = {},
  ) {
    const chunk = ioChunkSize(maxWrite, opts.chunkSize ?? DEFAULT_CHUNK);
    super({ highWaterMark: chunk });
    this.chunk = chunk;
    this.window = Math.max(1, opts.window ?? DEFAULT_WINDOW);
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.open({
      access: 'write',
      // FILE_OPEN_IF keeps what is there (resume); OVERWRITE_IF truncates (MS-SMB2 2.2.13).
      disposition: this.opts.start !== undefined ? 'open-if' : this.opts.overwrite === false ? 'create' : 'overwrite-if',
      share: 'none', // nobody reads a half-written file
    }).then(
      (f) => {
        this.file = f;
        this.offset = this.opts.start ?? 0;
        this.emit('open', f.openStat);
        callback();
      },
      (e) => callback(asSmbError(e, 'transport')),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.add(chunk);
    this.sendFullBatches();
    this.whenRoom(callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.batchBytes > 0) this.send(this.take(this.batchBytes));
    this.whenDrained(() => {
      if (this.failed) return callback(this.failed);
      const f = this.file!;
      this.file = undefined;
      const flushed = this.opts.flush ? f.flush() : Promise.resolve();
      flushed.then(
        () => f.close(),
        (e: unknown) => f.close().then(() => Promise.reject(e), () => Promise.reject(e)),
      ).then(
        () => callback(),
        (e) => callback(asSmbError(e, 'transport')),
      );
    });
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const f = this.file;
    this.file = undefined;
    closeHandleThenReport(f, error, callback);
  }

  private add(chunk: Buffer): void {
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
  }

  private sendFullBatches(): void {
    while (this.batchBytes >= this.chunk) this.send(this.take(this.chunk));
  }

  /** Removes exactly `n` bytes from the front of the batch, splitting a chunk by view if needed. */
  private take(n: number): Buffer[] {
    const parts: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.batch[0]!;
      if (head.length <= need) {
        parts.push(head);
        this.batch.shift();
        need -= head.length;
      } else {
        parts.push(head.subarray(0, need));
        this.batch[0] = head.subarray(need);
        need = 0;
      }
    }
    this.batchBytes -= n;
    return parts;
  }

  private send(parts: Buffer[]): void {
    const offset = this.offset;
    let length = 0;
    for (const p of parts) length += p.length;
    this.offset += length;
    this.inFlight++;
    this.file!.writeAt(offset, parts).then(
      (count) => {
        this.zeroWrites = count === 0 ? this.zeroWrites + 1 : 0;
        if (this.zeroWrites > MAX_ZERO_WRITES) {
          this.failed ??= new SmbError('malformed', `the server wrote nothing of ${this.zeroWrites} WRITEs in a row`, { command: 'WRITE', operation: 'write', path: this.file?.path });
        } else if (count < length) {
          // A short write (MS-SMB2 3.3.5.13 allows it): send what was not taken again.
          this.resend(offset + count, parts, count);
        }
        // Acknowledged (or resent as a copy): these bytes are spent, their buffers may be used again.
        for (const p of parts) releaseBuffer(p);
        this.settle();
      },
      (e) => {
        this.failed ??= asSmbError(e, 'transport');
        // Not released: a WRITE that failed without an answer (a timeout on a congested link, the
        // connection living on) may still sit in the socket's send queue, which holds these very
        // bytes. Back in the pool they would be refilled and go out under this WRITE's offset.
        // A failure is rare; the GC takes them.
        this.settle();
      },
    );
  }

  private resend(offset: number, parts: Buffer[], skip: number): void {
    const rest = Buffer.concat(parts).subarray(skip);
    const saved = this.offset;
    this.offset = offset;
    this.send([rest]);
    this.offset = saved;
  }

  private settle(): void {
    this.inFlight--;
    const w = this.waiting;
    this.waiting = undefined;
    w?.();
  }

  private whenRoom(callback: (error?: Error | null) => void): void {
    if (this.failed) return callback(this.failed);
    if (this.inFlight < this.window) return callback();
    this.waiting = () => this.whenRoom(callback);
  }

  private whenDrained(done: () => void): void {
    if (this.inFlight === 0) return done();
    this.waiting = () => this.whenDrained(done);
  }
}
