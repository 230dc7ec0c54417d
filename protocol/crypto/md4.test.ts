import { describe, expect, it } from 'vitest';
import { md4 } from './md4.js';

describe('md4 (RFC 1320 A.5)', () => {
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
  ])('md4(%j)', (input, digest) => {
    expect(md4(Buffer.from(input, 'latin1')).toString('hex')).toBe(digest);
  });

  // Lengths around the padding edges (RFC 1320 3.1: the length field must fit after the 0x80 byte).
  it.each([
    [55, 'c889c81dd86c4d2e025778944ea02881'],
    [56, 'd5f9a9e9257077a5f08b0b92f348b0ad'],
    [63, '7ea3da77432d44c323671097d1348fc8'],
    [64, '52f5076fabd22680234a3fa9f9dc5732'],
    [65, '330e377bf231f3cacfecc2c182fe7e5b'],
  ])('md4 of %i bytes of "a"', (n, digest) => {
    expect(md4(Buffer.alloc(n, 'a')).toString('hex')).toBe(digest);
  });

  it('gives the NT hash of "Password" (MS-NLMP 4.2.2.1.2)', () => {
    expect(md4(Buffer.from('Password', 'utf16le')).toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });
});
