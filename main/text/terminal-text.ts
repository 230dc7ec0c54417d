// Server-supplied text is data. A file name, share comment or error message from a hostile server
// may hold ESC sequences (retitle or recolour the terminal), `\r` (overwrite a row), `\n` (forge
// one) or bidi controls (show "txt.exe" as "exe.txt", the Trojan Source trick, CVE-2021-42574).
// Everything that reaches a terminal from the CLI, `watch`, the tray or the UI goes through here.
//
// The escapes are GNU `ls --quoting-style=escape` (`ls -b`) ones, the C notation people know:
//   \a \b \t \n \v \f \r for those seven C0 controls, \ooo (three octal digits) for the other C0
//   controls and DEL (ESC → \033, NUL → \000, DEL → \177), and \uXXXX (upper-case hex) for what is
//   not ASCII: C1 controls U+0080–U+009F (U+009B alone is a CSI on some terminals), the bidi controls
//   U+202A–U+202E and U+2066–U+2069 plus the marks U+061C, U+200E, U+200F, the separators U+2028
//   and U+2029 (line breaks to some terminals and editors), and lone surrogates (not text at all).
// Zero-width joiners and the like are left alone: emoji sequences need them, and they move nothing.
//
// The backslash is doubled only in a string that has something else to escape. So the strings
// people see most (`DOMAIN\user`, `dir\file.txt`, `\\host\share`) print as they are, and in any
// string that was escaped every backslash starts an escape, so it reads back exactly. The cost: a
// string without controls that contains a literal `\n` looks like an escaped one; it cannot move
// the cursor or change the terminal, which is what this file is for.

const UNSAFE_SOURCE = '[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069]|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE = new RegExp(UNSAFE_SOURCE);
const UNSAFE_OR_BACKSLASH = new RegExp(`${UNSAFE_SOURCE}|\\\\`, 'g');

const NAMED: Readonly<Record<number, string>> = { 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r' };

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\\') return '\\\\';
  const named = NAMED[code];
  if (named !== undefined) return named;
  if (code < 0x80) return `\\${code.toString(8).padStart(3, '0')}`;
  return `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** True when `s` holds a character a terminal must not see raw (see the header). */
export function needsTerminalEscape(s: string): boolean {
  return UNSAFE.test(s);
}

/** `s` with control, bidi and lone-surrogate characters shown as escapes; unchanged when it has none. */
export function escapeForTerminal(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE_OR_BACKSLASH, escapeOne);
}

// JSON.stringify already writes C0 controls and lone surrogates as \u escapes; these it writes raw.
// They can only sit inside string literals (JSON's own syntax is ASCII), where \uXXXX means the same.
const JSON_RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * JSON.stringify whose output a terminal can show safely: JSON.parse gives back the identical value,
 * and no control or bidi character appears raw (C1, DEL, bidi and U+2028/2029 become \uXXXX too).
 */
export function stringifyForTerminal(value: unknown, space?: number): string {
  const text = JSON.stringify(value, null, space) ?? 'null';
  return text.replace(JSON_RAW_UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
