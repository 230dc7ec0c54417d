// DES against published known answers: the FIPS 81 / FIPS 46 worked examples, the NIST SP 800-17
// variable-plaintext and variable-key tables, and the LM constant (MS-NLMP 3.3.1).
import { describe, expect, it } from 'vitest';
import { des56, desEncryptBlock, expandDesKey } from './des.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('DES (FIPS 46-3)', () => {
  it.each([
    // The step-by-step textbook example of FIPS 46 (key 133457799BBCDFF1).
    ['133457799bbcdff1', '0123456789abcdef', '85e813540f0ab405'],
    // FIPS 81 appendix B, ECB: "Now is the time for all " with key 0123456789ABCDEF.
    ['0123456789abcdef', '4e6f772069732074', '3fa40e8a984d4815'],
    ['0123456789abcdef', '68652074696d6520', '6a271787ab8883f9'],
    ['0123456789abcdef', '666f7220616c6c20', '893d51ec4b563b53'],
    // NIST SP 800-17 table A.1 (variable plaintext, key 01..01): first and last rows.
    ['0101010101010101', '8000000000000000', '95f8a5e5dd31d900'],
    ['0101010101010101', '0000000000000001', '166b40b44aba4bd6'],
    // SP 800-17 table A.2 (variable key, plaintext 0): first row.
    ['8001010101010101', '0000000000000000', '95a8d72813daa94d'],
  ])('key %s, plaintext %s -> %s', (key, pt, ct) => {
    expect(desEncryptBlock(h(key), h(pt)).toString('hex')).toBe(ct);
  });

  it('ignores the parity bits of the key', () => {
    expect(desEncryptBlock(h('0000000000000000'), h('0000000000000000'))).toEqual(desEncryptBlock(h('0101010101010101'), h('0000000000000000')));
  });

  it('spreads a 7-byte key over 8 bytes, 7 bits each (MS-NLMP 6)', () => {
    expect(expandDesKey(h('ffffffffffffff')).toString('hex')).toBe('fefefefefefefefe');
    expect(expandDesKey(h('00000000000000')).toString('hex')).toBe('0000000000000000');
    expect(expandDesKey(h('80000000000001')).toString('hex')).toBe('8000000000000002');
  });

  it('DES of "KGS!@#$%" under an all-zero key is the empty password LM half AAD3B435B51404EE', () => {
    expect(des56(Buffer.alloc(7), Buffer.from('KGS!@#$%', 'latin1')).toString('hex')).toBe('aad3b435b51404ee');
  });

  it('refuses keys and blocks of the wrong size', () => {
    expect(() => desEncryptBlock(Buffer.alloc(7), Buffer.alloc(8))).toThrow(RangeError);
    expect(() => desEncryptBlock(Buffer.alloc(8), Buffer.alloc(9))).toThrow(RangeError);
  });
});
