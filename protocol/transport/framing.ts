// Direct TCP transport framing (MS-SMB2 2.1): every SMB2 message travels behind a 4-byte header,
// one zero byte followed by a 24-bit big-endian length. TCP delivers arbitrary chunks, so the
// decoder reassembles frames across chunk boundaries and splits several frames out of one chunk.
import { MalformedMessageError } from '../errors.js';
import { BufferPool, releaseBuffer } from './buffer-pool.js';

export const FRAME_HEADER_SIZE = 4;
/** The 24-bit length field caps a frame at 16 MiB - 1. */
export const MAX_FRAME_LENGTH = 0xffffff;
// Frames in use at once on a busy connection: the READ window (4) plus those a consumer is still
// writing out; more are left to the GC.
const POOLED_FRAMES = 8;

export function frameHeader(length: number): Buffer {
  if (length < 0 || length > MAX_FRAME_LENGTH) {
    throw new RangeError(`frame length ${length} outside 0..${MAX_FRAME_LENGTH}`);
  }
  const h = Buffer.allocUnsafe(FRAME_HEADER_SIZE);
  h.writeUInt32BE(length, 0); // the high byte is the zero "type" byte
  return h;
}

/**
 * Incremental frame decoder. A frame that lies inside one chunk is handed out as a view of that
 * chunk (no copy); a frame spread over chunks is copied once into a buffer of its final size.
 */
export class FrameDecoder {
  private header = Buffer.alloc(FRAME_HEADER_SIZE);
  private headerFill = 0;
  private body: Buffer | undefined;
  private bodyFill = 0;
  private borrowed = false;
  /** Large frame buffers, back once their bytes were consumed (decrypted, or written out by a sink). */
  private readonly pool = new BufferPool(POOLED_FRAMES);

  constructor(private readonly maxFrame = MAX_FRAME_LENGTH) {}

  /**
   * Feeds one chunk and calls `onFrame` for each completed frame, in order. A `borrowed` chunk
   * is a read buffer the caller reuses: frames are then always copied out of it.
   */
  push(chunk: Buffer, onFrame: (frame: Buffer) => void, borrowed = false): void {
    this.borrowed = borrowed;
    let pos = 0;
    while (pos < chunk.length) {
      if (this.body === undefined) {
        pos = this.readHeader(chunk, pos, onFrame);
        continue;
      }
      const take = Math.min(this.body.length - this.bodyFill, chunk.length - pos);
      chunk.copy(this.body, this.bodyFill, pos, pos + take);
      this.bodyFill += take;
      pos += take;
      if (this.bodyFill === this.body.length) {
        const frame = this.body;
        this.body = undefined;
        onFrame(frame);
      }
    }
  }

  /**
   * Where the next socket read may land directly: the unfilled rest of the frame being assembled
   * (so large READ payloads go from the kernel into their final buffer, no copy), or undefined
   * between frames. After reading n bytes into it, call `commitDirect(n)`.
   */
  directTarget(): Buffer | undefined {
    return this.body === undefined ? undefined : this.body.subarray(this.bodyFill);
  }

  commitDirect(n: number, onFrame: (frame: Buffer) => void): void {
    const body = this.body!;
    this.bodyFill += n;
    if (this.bodyFill === body.length) {
      this.body = undefined;
      onFrame(body);
    }
  }

  /** True when no partial frame is buffered. */
  get idle(): boolean {
    return this.body === undefined && this.headerFill === 0;
  }

  private readHeader(chunk: Buffer, pos: number, onFrame: (frame: Buffer) => void): number {
    if (this.headerFill === 0 && chunk.length - pos >= FRAME_HEADER_SIZE) {
      const length = this.checkLength(chunk.readUInt32BE(pos));
      const start = pos + FRAME_HEADER_SIZE;
      if (chunk.length - start >= length) {
        const view = chunk.subarray(start, start + length);
        onFrame(this.borrowed ? Buffer.from(view) : view);
        return start + length;
      }
      this.startBody(length);
      return start;
    }
    const take = Math.min(FRAME_HEADER_SIZE - this.headerFill, chunk.length - pos);
    chunk.copy(this.header, this.headerFill, pos, pos + take);
    this.headerFill += take;
    if (this.headerFill === FRAME_HEADER_SIZE) {
      this.headerFill = 0;
      const length = this.checkLength(this.header.readUInt32BE(0));
      this.startBody(length);
      if (length === 0) {
        this.body = undefined;
        onFrame(Buffer.alloc(0));
      }
    }
    return pos + take;
  }

  private startBody(length: number): void {
    this.body = this.pool.take(length);
    this.bodyFill = 0;
  }

  /**
   * Takes back a frame nobody references any more (a ciphertext frame after decryption), so the
   * next large frame reuses its memory instead of faulting in fresh pages. The same happens when
   * a consumer calls `releaseBuffer` on a READ payload it has written out.
   */
  recycle(frame: Buffer): void {
    releaseBuffer(frame);
  }

  private checkLength(word: number): number {
    if (word >>> 24 !== 0) {
      throw new MalformedMessageError('transport frame', 'type', `non-zero first byte 0x${(word >>> 24).toString(16)}`);
    }
    if (word > this.maxFrame) {
      throw new MalformedMessageError('transport frame', 'length', `${word} exceeds ${this.maxFrame}`);
    }
    return word;
  }
}
