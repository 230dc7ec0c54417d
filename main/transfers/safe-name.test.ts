import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { join, relative, isAbsolute, sep } from 'node:path';
import { assertSafeRemoteName, safeLocalName, UnsafeNameError } from './safe-name.js';

describe('safeLocalName', () => {
  const refused: [string, string][] = [
    ['', 'empty'],
    ['.', 'dot'],
    ['..', 'dot dot'],
    ['../etc', 'parent prefix'],
    ['a/b', 'slash'],
    ['/etc/passwd', 'absolute posix'],
    ['a\\b', 'backslash'],
    ['..\\..\\evil', 'backslash parents'],
    ['\\\\server\\share', 'UNC'],
    ['C:\\Windows', 'absolute drive'],
    ['nul\0byte', 'NUL'],
  ];
  for (const platform of ['posix', 'win32'] as const) {
    for (const [name, why] of refused) {
      it(`refuses ${why} (${JSON.stringify(name)}) on ${platform}`, () => {
        expect(() => safeLocalName(name, platform)).toThrow(UnsafeNameError);
      });
    }
  }

  it.each([
    ['C:evil', 'drive-relative'],
    ['file.txt:stream', 'alternate data stream'],
    ['a<b', '<'],
    ['what?', '?'],
    ['tab\there', 'control character'],
  ])('refuses %j on Windows (%s) but keeps it on posix', (name) => {
    expect(() => safeLocalName(name, 'win32')).toThrow(UnsafeNameError);
    expect(safeLocalName(name, 'posix')).toBe(name);
  });

  it.each([
    ['CON', 'CON_'],
    ['con.txt', 'con_.txt'],
    ['Prn.tar.gz', 'Prn_.tar.gz'],
    ['AUX', 'AUX_'],
    ['nul.', 'nul_._'],
    ['COM1.log', 'COM1_.log'],
    ['com9', 'com9_'],
    ['LPT1', 'LPT1_'],
    ['lpt9.doc', 'lpt9_.doc'],
    ['CON .txt', 'CON _.txt'],
    ['trailing.', 'trailing._'],
    ['trailing ', 'trailing _'],
    ['...', '..._'],
    ['.. ', '.. _'],
  ])('renames %j to %j on Windows', (name, expected) => {
    expect(safeLocalName(name, 'win32')).toBe(expected);
  });

  it.each(['COM0', 'LPT10', 'CONSOLE', 'console.log', 'report.pdf', '.bashrc', 'con-fig', 'naïve café.txt'])('keeps %j on Windows', (name) => {
    expect(safeLocalName(name, 'win32')).toBe(name);
  });

  it('keeps device names on posix', () => {
    expect(safeLocalName('CON.txt', 'posix')).toBe('CON.txt');
  });

  it('never yields a name that leaves the folder (property)', () => {
    const root = '/dest/folder';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('.', '/', '\\', '\0', 'a', ' ', 'C', ':', 'O', 'N') , maxLength: 12 }), fc.constantFrom('posix' as const, 'win32' as const), (name, platform) => {
        let safe: string;
        try {
          safe = safeLocalName(name, platform);
        } catch (e) {
          expect(e).toBeInstanceOf(UnsafeNameError);
          return;
        }
        const rel = relative(root, join(root, safe));
        // "..." is an ordinary child name; only ".." itself or "../…" would leave the folder.
        expect(rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)).toBe(false);
        expect(safe).not.toMatch(/[/\\\0]/);
      }),
    );
  });
});

describe('assertSafeRemoteName', () => {
  it.each(['a\\b', '..', '.', '', 'a:b', 'x\0', 'a/b'])('refuses %j', (name) => {
    expect(() => assertSafeRemoteName(name)).toThrow(UnsafeNameError);
  });
  it.each(['report.pdf', '.hidden', 'with space', 'naïve'])('accepts %j', (name) => {
    expect(() => assertSafeRemoteName(name)).not.toThrow();
  });
});
