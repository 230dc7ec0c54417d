import { describe, expect, it } from 'vitest';
import { Rc4, rc4 } from './rc4.js';

describe('rc4 (RFC 6229 key stream)', () => {
  it('40-bit key 0102030405, offsets 0 and 16', () => {
    const ks = rc4(Buffer.from('0102030405', 'hex'), Buffer.alloc(32));
    expect(ks.toString('hex')).toBe('b2396305f03dc027ccc3524a0a1118a86982944f18fc82d589c403a47a0d0919');
  });

  it('128-bit key 0102..10, offset 0', () => {
    const ks = rc4(Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'), Buffer.alloc(16));
    expect(ks.toString('hex')).toBe('9ac7cc9a609d1ef7b2932899cde41b97');
  });

  it('continues the key stream across update() calls and round-trips', () => {
    const key = Buffer.from('0102030405', 'hex');
    const h = new Rc4(key);
    const a = h.update(Buffer.alloc(10));
    const b = h.update(Buffer.alloc(22));
    expect(Buffer.concat([a, b]).equals(rc4(key, Buffer.alloc(32)))).toBe(true);
    const msg = Buffer.from('hello, sealed world');
    expect(rc4(key, rc4(key, msg)).equals(msg)).toBe(true);
  });
});
