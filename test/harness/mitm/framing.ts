// NetBIOS session message framing for the test proxy (RFC 1002 4.3.1 as MS-SMB2 2.1 uses it): a zero
// type byte, then a 24-bit big-endian length, then the SMB2 message. Test code only.

/** The largest body the 24-bit length can announce. */
export const MAX_FRAME_BODY = 0xffffff;

/** Splits a byte stream into NetBIOS session messages; throws on a non-zero type byte. */
export class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      if (this.buf[0] !== 0) throw new Error(`not a NetBIOS session message (type 0x${(this.buf[0] ?? 0).toString(16)})`);
      const len = this.buf.readUIntBE(1, 3);
      if (this.buf.length < 4 + len) break;
      out.push(Buffer.from(this.buf.subarray(4, 4 + len)));
      this.buf = this.buf.subarray(4 + len);
    }
    return out;
  }
}

/** One message behind its 4-byte length prefix. */
export function frame(msg: Buffer): Buffer {
  if (msg.length > MAX_FRAME_BODY) throw new Error(`message of ${msg.length} bytes does not fit the 24-bit length`);
  const head = Buffer.alloc(4);
  head.writeUIntBE(msg.length, 1, 3);
  return Buffer.concat([head, msg]);
}
