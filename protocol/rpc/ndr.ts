// Just enough NDR 2.0 (C706 chapter 14) for srvsvc: little-endian primitives aligned to their size
// (14.2.2), unique pointers as 4-byte referent ids with the pointee deferred (14.3.10 and 14.3.12.3),
// conformant arrays (14.3.3.2) and conformant varying strings of UTF-16 code units, the wire form of a
// [string] wchar_t* (14.3.4.2 / 14.3.3.4: max_count, offset, actual_count, then the characters with NUL).
// Alignment counts from the start of the stub, which a PDU always places on an 8-byte boundary.
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter } from '../wire/byte-writer.js';

/** First referent id we hand out; any non-zero value works, this one is what Windows and Samba use. */
const FIRST_REFERENT = 0x00020000;

/**
 * Writes NDR in two passes so the output is allocated once: a measuring pass (no buffer) and a writing pass
 * over a ByteWriter. Encoders are plain functions of an NdrWriter; see ndrEncode.
 */
export class NdrWriter {
  private pos = 0;
  private nextReferent = FIRST_REFERENT;

  constructor(private readonly out?: ByteWriter) {}

  get offset(): number {
    return this.pos;
  }

  align(n: number): this {
    const pad = (n - (this.pos % n)) % n;
    this.out?.zeros(pad);
    this.pos += pad;
    return this;
  }

  u16(v: number): this {
    this.align(2);
    this.out?.u16(v);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.align(4);
    this.out?.u32(v);
    this.pos += 4;
    return this;
  }

  /** A unique or full pointer's referent id: a fresh non-zero id if present, 0 for NULL. Returns `present`. */
  pointer(present: boolean): boolean {
    if (!present) {
      this.u32(0);
      return false;
    }
    this.u32(this.nextReferent);
    this.nextReferent += 4;
    return true;
  }

  /** A [string] wchar_t* pointee: conformant varying array of UTF-16 units, terminating NUL included. */
  wideString(s: string): this {
    const units = s.length + 1; // JS string length counts UTF-16 code units, as NDR does
    this.u32(units).u32(0).u32(units); // max_count, offset, actual_count
    const bytes = units * 2;
    if (this.out) {
      this.out.utf16(s);
      this.out.u16(0);
    }
    this.pos += bytes;
    return this;
  }
}

/** Runs `write` once to measure and once to fill a buffer of exactly that size. */
export function ndrEncode(write: (w: NdrWriter) => void): Buffer {
  const measure = new NdrWriter();
  write(measure);
  const out = new ByteWriter(measure.offset);
  write(new NdrWriter(out));
  return out.finish();
}

/** Bounds-checked NDR reader over one stub; every failure is a MalformedMessageError naming the field. */
export class NdrReader {
  private readonly r: ByteReader;

  constructor(
    stub: Buffer,
    readonly structure: string,
  ) {
    this.r = new ByteReader(stub, structure);
  }

  get offset(): number {
    return this.r.offset;
  }

  get remaining(): number {
    return this.r.remaining;
  }

  align(n: number, field: string): void {
    this.r.skip((n - (this.r.offset % n)) % n, `${field} (alignment)`);
  }

  u16(field: string): number {
    this.align(2, field);
    return this.r.u16(field);
  }

  u32(field: string): number {
    this.align(4, field);
    return this.r.u32(field);
  }

  /** A unique pointer's referent id; 0 means NULL and no pointee follows. */
  pointer(field: string): number {
    return this.u32(field);
  }

  /**
   * The conformance (max_count) of a conformant array, checked against the bytes left so a lying count
   * fails here instead of driving a long loop: each element needs at least `minElementSize` bytes.
   */
  arrayCount(field: string, minElementSize: number): number {
    const n = this.u32(`${field}.max_count`);
    if (n * minElementSize > this.r.remaining) {
      throw new MalformedMessageError(this.structure, `${field}.max_count`, `${n} elements cannot fit in ${this.r.remaining} bytes`);
    }
    return n;
  }

  /** A [string] wchar_t* pointee. Stops at the first NUL; a missing terminator is tolerated. */
  wideString(field: string): string {
    const max = this.u32(`${field}.max_count`);
    const offset = this.u32(`${field}.offset`);
    const actual = this.u32(`${field}.actual_count`);
    if (offset !== 0) throw new MalformedMessageError(this.structure, `${field}.offset`, `expected 0, got ${offset}`);
    if (actual > max) {
      throw new MalformedMessageError(this.structure, `${field}.actual_count`, `${actual} exceeds max_count ${max}`);
    }
    const text = this.r.utf16(actual * 2, field);
    const nul = text.indexOf('\0');
    return nul === -1 ? text : text.slice(0, nul);
  }
}
