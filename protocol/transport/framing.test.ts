import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, frameHeader } from './framing.js';
import { MalformedMessageError } from '../errors.js';

function frame(body: Buffer): Buffer {
  return Buffer.concat([frameHeader(body.length), body]);
}

function decodeAll(chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  const d = new FrameDecoder();
  // Copy each frame: views may point into chunks that a real socket would reuse.
  for (const c of chunks) d.push(c, (f) => out.push(Buffer.from(f)));
  return out;
}

describe('FrameDecoder', () => {
  const bodies = [Buffer.from('fe534d4240', 'hex'), Buffer.alloc(0), Buffer.from('0123456789abcdef0123', 'hex')];
  const stream = Buffer.concat(bodies.map(frame));

  it('writes the 0x00 + 24-bit big-endian length header', () => {
    expect(frameHeader(0x012345).toString('hex')).toBe('00012345');
    expect(() => frameHeader(0x1000000)).toThrow(RangeError);
  });

  it('parses several frames packed in one chunk', () => {
    expect(decodeAll([stream])).toEqual(bodies);
  });

  it('parses the stream split at every offset', () => {
    for (let i = 0; i <= stream.length; i++) {
      expect(decodeAll([stream.subarray(0, i), stream.subarray(i)])).toEqual(bodies);
    }
  });

  it('parses the stream split at every pair of offsets', () => {
    for (let i = 0; i <= stream.length; i++) {
      for (let j = i; j <= stream.length; j++) {
        const parts = [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)];
        expect(decodeAll(parts)).toEqual(bodies);
      }
    }
  });

  it('parses a byte-at-a-time stream', () => {
    const chunks = [...stream].map((b) => Buffer.from([b]));
    expect(decodeAll(chunks)).toEqual(bodies);
  });

  it('rejects a non-zero type byte and oversize frames with a typed error', () => {
    expect(() => decodeAll([Buffer.from('81000000', 'hex')])).toThrow(MalformedMessageError);
    const d = new FrameDecoder(16);
    expect(() => d.push(Buffer.from('00000011', 'hex'), () => {})).toThrow(MalformedMessageError);
  });

  it('property: any chunking of any frames yields the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (rawBodies, cuts) => {
          const bs = rawBodies.map((b) => Buffer.from(b));
          const all = Buffer.concat(bs.map(frame));
          const points = [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let prev = 0;
          for (const p of points) {
            chunks.push(all.subarray(prev, p));
            prev = p;
          }
          chunks.push(all.subarray(prev));
          expect(decodeAll(chunks)).toEqual(bs);
        },
      ),
    );
  });
});

describe('FrameDecoder with a borrowed (reused) read buffer', () => {
  it('copies frames out, so reusing the buffer does not change them', () => {
    const d = new FrameDecoder();
    const got: Buffer[] = [];
    const buf = Buffer.concat([frameHeader(3), Buffer.from('abc'), frameHeader(2), Buffer.from('de')]);
    d.push(buf, (f) => got.push(f), true);
    buf.fill(0);
    expect(got.map((f) => f.toString())).toEqual(['abc', 'de']);
  });
});

describe('FrameDecoder direct reads into the frame being assembled', () => {
  it('lets reads land in the rest of a large frame, then resumes with pushed chunks', () => {
    const body = Buffer.from([...Array(1000).keys()].map((i) => i & 0xff));
    const next = Buffer.from('tail');
    const wire = Buffer.concat([frame(body), frame(next)]);
    const d = new FrameDecoder();
    const got: Buffer[] = [];
    d.push(wire.subarray(0, 10), (f) => got.push(Buffer.from(f)), true); // header + 6 body bytes
    let pos = 10;
    for (let target = d.directTarget(); target; target = d.directTarget()) {
      const n = Math.min(target.length, 333); // the kernel may fill less than offered
      wire.copy(target, 0, pos, pos + n);
      pos += n;
      d.commitDirect(n, (f) => got.push(Buffer.from(f)));
    }
    expect(pos).toBe(4 + body.length);
    expect(d.directTarget()).toBeUndefined();
    d.push(wire.subarray(pos), (f) => got.push(Buffer.from(f)), true);
    expect(got).toEqual([body, next]);
  });
});
