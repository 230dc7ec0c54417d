import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeForTerminal, needsTerminalEscape, stringifyForTerminal } from './terminal-text.js';

/** Every code unit a terminal must never see raw from a server (see terminal-text.ts). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The reader of escapeForTerminal's output, to prove that an escaped string reads back exactly. */
function unescape(s: string): string {
  const named: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '\\': '\\' };
  return s.replace(/\\(?:([abtnvfr\\])|([0-7]{3})|u([0-9A-F]{4}))/g, (_m, c?: string, oct?: string, hex?: string) =>
    c !== undefined ? (named[c] as string) : String.fromCharCode(parseInt((oct ?? hex) as string, oct !== undefined ? 8 : 16)),
  );
}

/** Strings biased towards the dangerous ranges, lone surrogates and backslashes. */
const hostile = fc
  .array(
    fc.oneof(
      fc.integer({ min: 0, max: 0x20 }),
      fc.integer({ min: 0x7e, max: 0xa0 }),
      fc.constantFrom(0x5c, 0x61c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069, 0xd800, 0xdbff, 0xdc00, 0xdfff),
      fc.integer({ min: 0, max: 0xffff }),
    ),
  )
  .map((units) => String.fromCharCode(...units));

describe('escapeForTerminal', () => {
  it.each([
    ['ESC ] title BEL', '\x1b]0;owned\x07', '\\033]0;owned\\a'],
    ['a colour change', '\x1b[31mred', '\\033[31mred'],
    ['a forged row', 'a.txt\n  evil.exe   A 1  Mon Jan  1 00:00:00 2026', 'a.txt\\n  evil.exe   A 1  Mon Jan  1 00:00:00 2026'],
    ['a carriage return', 'innocent\rEVIL', 'innocent\\rEVIL'],
    ['right-to-left override', 'photo\u202Egpj.exe', 'photo\\u202Egpj.exe'],
    ['a C1 CSI', '\u009B31m', '\\u009B31m'],
    ['NUL, tab, DEL', '\0\t\x7f', '\\000\\t\\177'],
    ['isolates and the line separator', '\u2066x\u2069\u2028', '\\u2066x\\u2069\\u2028'],
    ['lone surrogates', 'a\ud800b\udfff', 'a\\uD800b\\uDFFF'],
    ['backslashes beside an escape', 'dir\\a\n', 'dir\\\\a\\n'],
  ])('shows %s escaped', (_why, raw, shown) => {
    expect(escapeForTerminal(raw)).toBe(shown);
    expect(needsTerminalEscape(raw)).toBe(true);
  });

  it.each(['hello.txt', 'Grüße ünd spaces ✓ 日本.txt', '👩‍👩‍👧 family', '🇫🇷', 'DOMAIN\\user', '\\\\host\\share\\dir\\new.txt', 'עברית', ''])(
    'leaves %j as it is',
    (s) => {
      expect(escapeForTerminal(s)).toBe(s);
      expect(needsTerminalEscape(s)).toBe(false);
    },
  );

  it('never lets a forbidden character through, and an escaped string reads back exactly', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = escapeForTerminal(s);
        expect(out).not.toMatch(FORBIDDEN);
        if (out !== s) expect(unescape(out)).toBe(s);
        else expect(needsTerminalEscape(s)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('passes printable text (ASCII, CJK, emoji) unchanged', () => {
    const printable = fc.oneof(
      fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
      fc.string({ unit: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)) }),
      fc.string({ unit: fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)) }),
    );
    fc.assert(
      fc.property(printable, (s) => {
        expect(escapeForTerminal(s)).toBe(s);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('stringifyForTerminal', () => {
  it('parses back to the identical value, with no forbidden character raw', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, hostile), fc.array(hostile), (obj, arr) => {
        for (const v of [obj, arr, { name: arr[0] ?? '' }]) {
          const text = stringifyForTerminal(v, 2);
          // Pretty-printing's own line breaks are JSON syntax, outside every string.
          expect(text.replace(/\n/g, '')).not.toMatch(FORBIDDEN);
          expect(JSON.parse(text)).toEqual(v);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is JSON.stringify for ordinary values', () => {
    const v = [{ name: 'a "b" \\ c', size: 1, nested: { ok: true, list: [1, 2] } }];
    expect(stringifyForTerminal(v, 2)).toBe(JSON.stringify(v, null, 2));
    expect(stringifyForTerminal(v)).toBe(JSON.stringify(v));
  });

  it('writes C1, bidi and U+2028 as \\u escapes', () => {
    expect(stringifyForTerminal({ n: '\u009B\u202E\u2028\x1b' })).toBe('{"n":"\\u009b\\u202e\\u2028\\u001b"}');
  });
});
