import { describe, expect, it } from 'vitest';
import { distinctNames, isPartialName, numberedName, partialName, pickKeepBothName, remoteBaseName, remoteDirName, remoteJoin } from './naming.js';

describe('naming', () => {
  it('makes the partial name, with a random part nobody can guess', () => {
    expect(partialName('a.bin', 'abc')).toBe('.a.bin.sharekeeper-partial-abc');
    expect(partialName('a.bin')).toMatch(/^\.a\.bin\.sharekeeper-partial-[0-9a-f]{12}$/);
    expect(partialName('a.bin')).not.toBe(partialName('a.bin'));
    expect(isPartialName(partialName('a.bin'))).toBe(true);
    expect(isPartialName('a.bin')).toBe(false);
  });

  it('never gives two partials the same random part, across refills of the random pool', () => {
    // 256 suffixes per draw: 2,000 names cross several refills; a reused or all-zero pool repeats.
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(partialName('a.bin'));
    expect(seen.size).toBe(2000);
  });

  it('gives names that clash distinct ones, the first keeping its own', () => {
    const lower = (n: string): string => n.toLowerCase();
    expect(distinctNames(['a.txt', 'A.txt', 'b.txt'], lower)).toEqual(['a.txt', 'A (2).txt', 'b.txt']);
    // A later real name is not taken by a renamed earlier one.
    expect(distinctNames(['x.txt', 'X.txt', 'x (2).txt'], lower)).toEqual(['x.txt', 'X (3).txt', 'x (2).txt']);
    expect(distinctNames(['a', 'a'], (n) => n)).toEqual(['a', 'a (2)']);
  });

  it.each([
    ['report.pdf', 2, 'report (2).pdf'],
    ['archive.tar.gz', 3, 'archive.tar (3).gz'],
    ['README', 2, 'README (2)'],
    ['.bashrc', 2, '.bashrc (2)'],
  ])('numbers %j', (name, n, out) => {
    expect(numberedName(name, n)).toBe(out);
  });

  it('picks the first free keep-both name', async () => {
    const taken = new Set(['a (2).txt', 'a (3).txt']);
    expect(await pickKeepBothName('a.txt', async (c) => taken.has(c))).toBe('a (4).txt');
  });

  it('gives up after a bounded number of tries', async () => {
    await expect(pickKeepBothName('a.txt', async () => true)).rejects.toThrow(/no free name/);
  });

  it('joins and splits share paths', () => {
    expect(remoteJoin('', 'x')).toBe('x');
    expect(remoteJoin('a\\b\\', 'x')).toBe('a\\b/x');
    expect(remoteBaseName('a\\b/c.txt')).toBe('c.txt');
    expect(remoteDirName('a\\b/c.txt')).toBe('a/b');
    expect(remoteDirName('c.txt')).toBe('');
  });
});
