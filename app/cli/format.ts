// Output shapes. Plain text mimics smbclient so its users feel at home; --json is a stable
// contract for scripts (ISO-8601 UTC times, sizes in bytes, attributes as the raw bit mask).
import { escapeForTerminal, stringifyForTerminal } from '../../main/text/index.js';
import type { FileStat, ShareInfo } from './smb-api.js';

/** MS-FSCC 2.6 File Attributes, with the letter smbclient prints for each (see `attributeLetters`). */
const ATTRIBUTES: readonly (readonly [number, string, string])[] = [
  [0x00000001, 'READONLY', 'R'],
  [0x00000002, 'HIDDEN', 'H'],
  [0x00000004, 'SYSTEM', 'S'],
  [0x00000010, 'DIRECTORY', 'D'],
  [0x00000020, 'ARCHIVE', 'A'],
  [0x00000080, 'NORMAL', 'N'],
  [0x00000100, 'TEMPORARY', 'T'],
  [0x00000200, 'SPARSE_FILE', ''],
  [0x00000400, 'REPARSE_POINT', ''],
  [0x00000800, 'COMPRESSED', 'C'],
  [0x00001000, 'OFFLINE', ''],
  [0x00002000, 'NOT_CONTENT_INDEXED', ''],
  [0x00004000, 'ENCRYPTED', ''],
];

export function attributeNames(attributes: number): string[] {
  return ATTRIBUTES.filter(([bit]) => (attributes & bit) !== 0).map(([, name]) => name);
}

/** smbclient's letter order, each with its MS-FSCC 2.6 bit (the letters ATTRIBUTES gives them). */
const LETTER_ORDER: readonly (readonly [number, string])[] = [...'DHSRATC'].map((l) => [ATTRIBUTES.find(([, , letter]) => letter === l)![0], l]);

/** Letters in smbclient's order (D, H, S, R, A, ...); 'N' when none of them is set. Called per row
 * of a listing, so a loop over seven bits, not arrays made and sorted. */
export function attributeLetters(attributes: number): string {
  let letters = '';
  for (const [bit, l] of LETTER_ORDER) if ((attributes & bit) !== 0) letters += l;
  return letters === '' ? 'N' : letters;
}

/** `.` and `..` are not entries anyone asked for. Order is the server's, as smbclient prints it:
 * sorting would mean holding the whole listing, and a folder may have millions of entries. */
export function visibleEntries(entries: readonly FileStat[]): FileStat[] {
  return entries.filter((e) => e.name !== '.' && e.name !== '..');
}

export interface LsJsonEntry {
  name: string;
  type: 'file' | 'directory';
  size: number;
  modified: string;
  created: string;
  attributes: number;
}

export function lsJsonEntry(e: FileStat): LsJsonEntry {
  return { name: e.name, type: e.type, size: e.size, modified: e.modified.toISOString(), created: e.created.toISOString(), attributes: e.attributes };
}

export function lsJson(entries: readonly FileStat[]): LsJsonEntry[] {
  return visibleEntries(entries).map(lsJsonEntry);
}

export interface LsColumns {
  nameWidth: number;
  sizeWidth: number;
}

/**
 * Column widths for the entries at hand; a streamed listing takes them from its first batch, and a
 * later, longer name pushes its own row's columns right. A loop, never Math.max(...rows): a spread
 * of a large folder's rows overflows the call stack (~123,000 entries).
 */
export function lsColumns(entries: readonly FileStat[]): LsColumns {
  let nameWidth = 35;
  let sizeWidth = 8;
  for (const e of entries) {
    nameWidth = Math.max(nameWidth, displayWidth(escapeForTerminal(e.name)) + 1);
    sizeWidth = Math.max(sizeWidth, String(e.size).length);
  }
  return { nameWidth, sizeWidth };
}

/** smbclient-like rows, `  name   ATTR   size  date` with the date in local time, as `ls -l` does. */
export function lsRows(entries: readonly FileStat[], cols: LsColumns): string {
  let out = '';
  for (const e of entries) {
    if (e.name === '.' || e.name === '..') continue;
    const name = escapeForTerminal(e.name);
    const pad = ' '.repeat(Math.max(0, cols.nameWidth - displayWidth(name)));
    out += `  ${name}${pad}${attributeLetters(e.attributes).padStart(6)} ${String(e.size).padStart(cols.sizeWidth)}  ${localDate(e.modified)}\n`;
  }
  return out;
}

/** The whole table of entries already in memory (one batch, or a file's own stat). */
export function lsTable(entries: readonly FileStat[]): string {
  const rows = visibleEntries(entries);
  return lsRows(rows, lsColumns(rows));
}

export function statJson(s: FileStat): Record<string, unknown> {
  return {
    name: s.name,
    type: s.type,
    size: s.size,
    allocationSize: s.allocationSize,
    attributes: s.attributes,
    attributeNames: attributeNames(s.attributes),
    created: s.created.toISOString(),
    modified: s.modified.toISOString(),
    accessed: s.accessed.toISOString(),
    changed: s.changed.toISOString(),
  };
}

export function statText(s: FileStat, where: string): string {
  const hex = `0x${s.attributes.toString(16).padStart(8, '0')}`;
  return [
    `File: ${escapeForTerminal(where)}`,
    `Type: ${s.type}`,
    `Size: ${s.size}`,
    `Allocation: ${s.allocationSize}`,
    `Attributes: ${hex} (${attributeNames(s.attributes).join(' ') || 'none'})`,
    `Created:  ${s.created.toISOString()}`,
    `Modified: ${s.modified.toISOString()}`,
    `Accessed: ${s.accessed.toISOString()}`,
    `Changed:  ${s.changed.toISOString()}`,
  ].join('\n') + '\n';
}

const SHARE_TYPE_WORDS: Record<ShareInfo['type'], string> = { disk: 'Disk', printer: 'Printer', device: 'Device', ipc: 'IPC' };

/** The table `smbclient -L` prints; every share is listed, special ($) ones included. */
export function sharesTable(shares: readonly ShareInfo[]): string {
  // smbclient's layout: a tab, the name in 15 columns, a space, the type in 10 columns, the comment.
  const rows = shares.map((s) => ({ name: escapeForTerminal(s.name), type: SHARE_TYPE_WORDS[s.type], comment: escapeForTerminal(s.comment) }));
  let width = 15;
  for (const r of rows) width = Math.max(width, displayWidth(r.name));
  const line = (name: string, type: string, comment: string): string =>
    `\t${name}${' '.repeat(width - displayWidth(name))} ${type.padEnd(10)}${comment}`.trimEnd() + '\n';
  let out = line('Sharename', 'Type', 'Comment') + line('---------', '----', '-------');
  for (const r of rows) out += line(r.name, r.type, r.comment);
  return out;
}

export function sharesJson(shares: readonly ShareInfo[]): { name: string; type: string; comment: string; special: boolean }[] {
  return shares.map((s) => ({ name: s.name, type: s.type, comment: s.comment, special: s.special }));
}

/** --json output: exact for JSON.parse, with no control or bidi character raw on a terminal. */
export function json(value: unknown): string {
  return `${stringifyForTerminal(value, 2)}\n`;
}

/** 1536 → "1.5 KiB". */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The last second localDate formatted: a folder's entries often share their modified time. */
let lastDate = { second: NaN, text: '' };

function localDate(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second === lastDate.second) return lastDate.text;
  lastDate = { second, text: ctimeText(d) };
  return lastDate.text;
}

function ctimeText(d: Date): string {
  // `Sat Nov 21 10:00:00 2026`, like smbclient and ctime(3). Fixed English names, as ctime prints
  // them; toLocaleDateString would cost ~90 µs per entry (ICU), seconds for a large folder.
  const day = WEEKDAYS[d.getDay()];
  const mon = MONTHS[d.getMonth()];
  const hh = String(d.getHours()).padStart(2, '0');
  const mm = String(d.getMinutes()).padStart(2, '0');
  const ss = String(d.getSeconds()).padStart(2, '0');
  return `${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${hh}:${mm}:${ss} ${d.getFullYear()}`;
}

/** Columns a name takes in a terminal: wide East Asian characters take two, combining marks none. */
export function displayWidth(s: string): number {
  if (/^[\x20-\x7e]*$/.test(s)) return s.length; // the common case, without per-character work
  let w = 0;
  for (const ch of s.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(ch)) continue;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}
