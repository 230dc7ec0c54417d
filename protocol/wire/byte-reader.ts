// Bounds-checked little-endian reader. Every read names the structure and field so a short or
// lying packet becomes a MalformedMessageError, never a RangeError or an out-of-bounds read.
import { MalformedMessageError } from '../errors.js';

export class ByteReader {
  private pos: number;

  constructor(
    readonly buf: Buffer,
    readonly structure: string,
    start = 0,
    private readonly end = buf.length,
  ) {
    if (start < 0 || start > end || end > buf.length) {
      throw new MalformedMessageError(structure, 'bounds', `window ${start}..${end} outside ${buf.length} bytes`);
    }
    this.pos = start;
  }

  get offset(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get length(): number {
    return this.end;
  }

  private need(n: number, field: string): number {
    if (n < 0 || this.pos + n > this.end) {
      throw new MalformedMessageError(this.structure, field, `needs ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field: string): number {
    return this.buf.readUInt8(this.need(1, field));
  }

  u16(field: string): number {
    return this.buf.readUInt16LE(this.need(2, field));
  }

  u32(field: string): number {
    return this.buf.readUInt32LE(this.need(4, field));
  }

  u64(field: string): bigint {
    return this.buf.readBigUInt64LE(this.need(8, field));
  }

  /** A 64-bit value that must fit in a JS number (sizes, offsets). */
  u64Number(field: string): number {
    const v = this.u64(field);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MalformedMessageError(this.structure, field, `value ${v} too large`);
    }
    return Number(v);
  }

  /** A view (no copy) of the next n bytes. */
  bytes(n: number, field: string): Buffer {
    const at = this.need(n, field);
    return this.buf.subarray(at, at + n);
  }

  skip(n: number, field: string): void {
    this.need(n, field);
  }

  /** Moves to an absolute offset inside the window. */
  seek(offset: number, field: string): void {
    if (offset < 0 || offset > this.end) {
      throw new MalformedMessageError(this.structure, field, `offset ${offset} outside ${this.end} bytes`);
    }
    this.pos = offset;
  }

  /** Reads n bytes of UTF-16LE; n must be even. */
  utf16(n: number, field: string): string {
    if (n % 2 !== 0) throw new MalformedMessageError(this.structure, field, `odd UTF-16 length ${n}`);
    const at = this.need(n, field);
    return this.buf.toString('utf16le', at, at + n); // no view made: listings read one name per entry
  }

  /** A view of [offset, offset+length) measured from the start of `buf`, checked against the window. */
  slice(offset: number, length: number, field: string): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.end) {
      throw new MalformedMessageError(this.structure, field, `range ${offset}+${length} outside ${this.end} bytes`);
    }
    return this.buf.subarray(offset, offset + length);
  }

  expectU16(field: string, value: number): void {
    const got = this.u16(field);
    if (got !== value) throw new MalformedMessageError(this.structure, field, `expected ${value}, got ${got}`);
  }
}
