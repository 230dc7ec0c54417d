// Little-endian writer over a buffer allocated once by the encoder, which computes the size first.
export class ByteWriter {
  private pos = 0;
  readonly buf: Buffer;

  constructor(size: number) {
    this.buf = Buffer.alloc(size);
  }

  get offset(): number {
    return this.pos;
  }

  u8(v: number): this {
    this.pos = this.buf.writeUInt8(v, this.pos);
    return this;
  }

  u16(v: number): this {
    this.pos = this.buf.writeUInt16LE(v, this.pos);
    return this;
  }

  u32(v: number): this {
    this.pos = this.buf.writeUInt32LE(v >>> 0, this.pos);
    return this;
  }

  u64(v: bigint | number): this {
    this.pos = this.buf.writeBigUInt64LE(BigInt(v), this.pos);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  zeros(n: number): this {
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  utf16(s: string): this {
    this.pos += this.buf.write(s, this.pos, 'utf16le');
    return this;
  }

  /** Pads with zeros to the next multiple of `n` (counted from the buffer start). */
  align(n: number): this {
    const pad = (n - (this.pos % n)) % n;
    return this.zeros(pad);
  }

  seek(offset: number): this {
    this.pos = offset;
    return this;
  }

  /** Returns the buffer; asserts the encoder's size calculation was exact. */
  finish(): Buffer {
    if (this.pos !== this.buf.length) {
      throw new Error(`encoder size mismatch: wrote ${this.pos} of ${this.buf.length}`);
    }
    return this.buf;
  }
}

export function utf16Length(s: string): number {
  return Buffer.byteLength(s, 'utf16le');
}
