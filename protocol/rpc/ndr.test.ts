import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { ndrEncode, NdrReader } from './ndr.js';
import { hex } from './rpc-test-helpers.js';

describe('NDR writer (C706 14.2.2 alignment, 14.3.4 strings)', () => {
  it('aligns primitives to their size from the stub start and numbers referents', () => {
    const out = ndrEncode((w) => {
      w.u16(0x0102);
      w.u32(0x03040506); // 2 bytes of padding first
      w.pointer(true);
      w.pointer(false);
      w.pointer(true);
    });
    expect(out).toEqual(hex('0201 0000 06050403 00000200 00000000 04000200'));
  });

  it('writes a wide string as max_count, offset, actual_count, code units and NUL', () => {
    expect(ndrEncode((w) => w.wideString('ab'))).toEqual(hex('03000000 00000000 03000000 6100 6200 0000'));
  });
});

describe('NDR reader', () => {
  it('round-trips wide strings of any UTF-16 content, with any u16 before them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')), fc.boolean(), (s, lead) => {
        const buf = ndrEncode((w) => {
          if (lead) w.u16(7);
          w.wideString(s);
          w.u32(0xdeadbeef);
        });
        const r = new NdrReader(buf, 't');
        if (lead) expect(r.u16('lead')).toBe(7);
        expect(r.wideString('s')).toBe(s);
        expect(r.u32('tail')).toBe(0xdeadbeef);
        expect(r.remaining).toBe(0);
      }),
      { numRuns: 200 },
    );
  }, 30_000); // a second alone; several on a loaded 2-core machine

  it('rejects actual_count beyond max_count, non-zero offsets and short data', () => {
    expect(() => new NdrReader(hex('01000000 00000000 02000000 6100 0000'), 't').wideString('s')).toThrow(/exceeds max_count/);
    expect(() => new NdrReader(hex('02000000 01000000 01000000 6100'), 't').wideString('s')).toThrow(/offset/);
    expect(() => new NdrReader(hex('ffffffff 00000000 ffffffff 6100'), 't').wideString('s')).toThrow(MalformedMessageError);
    expect(() => new NdrReader(hex('01'), 't').u16('x')).toThrow(MalformedMessageError);
  });
});
