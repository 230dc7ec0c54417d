import { describe, expect, it } from 'vitest';
import {
  attributeLetters, attributeNames, displayWidth, humanBytes, json, lsColumns, lsJson, lsRows, lsTable, sharesJson, sharesTable, statJson, statText,
} from './format.js';
import type { FileStat, ShareInfo } from './smb-api.js';

const t = new Date('2026-03-04T05:06:07.000Z');
function entry(name: string, over: Partial<FileStat> = {}): FileStat {
  return { name, type: 'file', size: 12, allocationSize: 4096, created: t, modified: t, accessed: t, changed: t, attributes: 0x20, ...over };
}

describe('attributes', () => {
  it('names bits (MS-FSCC 2.6)', () => {
    expect(attributeNames(0x10 | 0x02)).toEqual(['HIDDEN', 'DIRECTORY']);
    expect(attributeNames(0)).toEqual([]);
  });
  it('letters as smbclient prints them', () => {
    expect(attributeLetters(0x10)).toBe('D');
    expect(attributeLetters(0x20)).toBe('A');
    expect(attributeLetters(0x80)).toBe('N');
    expect(attributeLetters(0)).toBe('N');
    expect(attributeLetters(0x10 | 0x02 | 0x01)).toBe('DHR');
    // Every lettered bit at once, in smbclient's order, whatever order the bits are in the mask.
    expect(attributeLetters(0x1 | 0x2 | 0x4 | 0x10 | 0x20 | 0x80 | 0x100 | 0x800)).toBe('DHSRATC');
    expect(attributeLetters(0x200 | 0x400)).toBe('N'); // bits without a letter
  });
});

describe('ls output', () => {
  const entries = [entry('b.txt'), entry('..', { type: 'directory', attributes: 0x10 }), entry('A dir', { type: 'directory', attributes: 0x10, size: 0 }), entry('.')];
  it('JSON has exactly the documented shape, in the server\'s order, without . and ..', () => {
    expect(lsJson(entries)).toEqual([
      { name: 'b.txt', type: 'file', size: 12, modified: '2026-03-04T05:06:07.000Z', created: '2026-03-04T05:06:07.000Z', attributes: 0x20 },
      { name: 'A dir', type: 'directory', size: 0, modified: '2026-03-04T05:06:07.000Z', created: '2026-03-04T05:06:07.000Z', attributes: 0x10 },
    ]);
  });
  it('table has one aligned row per entry', () => {
    const lines = lsTable(entries).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {2}A dir +D +0 {2}\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d 2026$/);
    expect(lines[0]).toMatch(/^ {2}b\.txt +A +12 {2}/);
    expect(lines[1]?.indexOf(' D ')).toBe(lines[0]?.indexOf(' A '));
  });
  it('formats 200,000 rows without a spread (Math.max(...rows) overflowed the stack past ~123,000)', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => entry(`file-${i}.dat`, { size: i }));
    const cols = lsColumns(many);
    expect(cols).toEqual({ nameWidth: 35, sizeWidth: 8 });
    const text = lsTable(many);
    expect(text.split('\n')).toHaveLength(200_001);
    expect(lsRows(many.slice(0, 1), cols)).toBe(text.slice(0, text.indexOf('\n') + 1));
  });
  it('aligns wide and combining characters by their display width', () => {
    const lines = lsTable([entry('日本語.txt'), entry('cafe\u0301.txt'), entry('plain.txt')]).trimEnd().split('\n');
    const col = (l: string | undefined) => displayWidth((l ?? '').slice(0, (l ?? '').indexOf(' A ')));
    expect(new Set(lines.map(col)).size).toBe(1);
  });
  it('each row shows its own modified time, whether the second repeats or not', () => {
    const at = (iso: string) => entry('x', { modified: new Date(iso) });
    const times = ['2026-03-04T05:06:07.100Z', '2026-03-04T05:06:07.900Z', '2026-03-04T05:06:08.000Z', '2025-12-31T23:59:59.000Z', '2026-03-04T05:06:07.000Z'];
    const dates = lsRows(times.map(at), lsColumns([])).trimEnd().split('\n').map((l) => l.slice(-24));
    const expected = times.map((iso) => {
      const d = new Date(iso);
      const two = (n: number) => String(n).padStart(2, '0');
      const day = d.toLocaleDateString('en-US', { weekday: 'short' });
      const mon = d.toLocaleDateString('en-US', { month: 'short' });
      return `${day} ${mon} ${String(d.getDate()).padStart(2, ' ')} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${d.getFullYear()}`;
    });
    expect(dates).toEqual(expected);
    expect(dates[0]).toBe(dates[1]);
    expect(dates[1]).not.toBe(dates[2]);
  });
  it('empty folder prints nothing', () => {
    expect(lsTable([entry('.'), entry('..')])).toBe('');
  });
});

describe('stat output', () => {
  it('JSON carries every field with ISO times', () => {
    expect(statJson(entry('x'))).toEqual({
      name: 'x', type: 'file', size: 12, allocationSize: 4096, attributes: 0x20, attributeNames: ['ARCHIVE'],
      created: t.toISOString(), modified: t.toISOString(), accessed: t.toISOString(), changed: t.toISOString(),
    });
  });
  it('text names the target and the attributes', () => {
    const s = statText(entry('x'), '//h/s/x');
    expect(s).toContain('File: //h/s/x\n');
    expect(s).toContain('Attributes: 0x00000020 (ARCHIVE)');
    expect(s).toContain('Size: 12\n');
  });
});

describe('shares output', () => {
  const shares: ShareInfo[] = [
    { name: 'public', type: 'disk', special: false, comment: 'Public files' },
    { name: 'IPC$', type: 'ipc', special: true, comment: 'IPC Service (Samba 4.17)' },
    { name: 'a long share name here', type: 'printer', special: false, comment: '' },
  ];
  it('table lists everything, special shares included', () => {
    const text = sharesTable(shares);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\tSharename +Type +Comment$/);
    expect(lines[1]).toMatch(/^\t-{9} +-{4} +-{7}$/);
    expect(lines[2]).toMatch(/^\tpublic +Disk +Public files$/);
    expect(lines[3]).toMatch(/^\tIPC\$ +IPC +IPC Service \(Samba 4\.17\)$/);
    expect(lines[4]).toMatch(/^\ta long share name here +Printer$/);
  });
  it('JSON keeps name, type, comment and special', () => {
    expect(sharesJson(shares)[1]).toEqual({ name: 'IPC$', type: 'ipc', comment: 'IPC Service (Samba 4.17)', special: true });
  });
});

describe('server text on a terminal (issue 7, defect 6)', () => {
  // What a hostile server put in names and comments: retitle (OSC 0 … BEL), recolour (CSI 31 m),
  // a forged row after \n, an overwrite after \r, a right-to-left override, a C1 CSI.
  const hostile = ['\x1b]0;pwned\x07title', '\x1b[31mred', 'a.txt\n  forged.exe                 A 1  Mon Jan  1 00:00:00 2026', 'ok\rEVIL', 'photo\u202Egpj.exe', '\u009B31mcsi'];
  // Raw controls, bar \t and \n: the table's own layout uses those.
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

  it('ls rows show every name escaped, one line per entry', () => {
    const text = lsTable(hostile.map((n) => entry(n)));
    expect(text).not.toMatch(RAW);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(hostile.length);
    expect(lines[0]).toMatch(/^ {2}\\033\]0;pwned\\atitle +A +12 /);
    expect(lines[2]).toMatch(/^ {2}a\.txt\\n {2}forged\.exe/);
    expect(lines[3]).toMatch(/^ {2}ok\\rEVIL /);
    expect(lines[4]).toContain('photo\\u202Egpj.exe');
    expect(lines[5]).toContain('\\u009B31mcsi');
    // Still aligned: the width is the escaped name's.
    expect(new Set(lines.map((l) => l.indexOf(' A ')).filter((i) => i < 40)).size).toBe(1);
  });

  it('shares names and comments are escaped', () => {
    const text = sharesTable(hostile.map((n, i) => ({ name: n, type: 'disk', special: false, comment: hostile[(i + 1) % hostile.length] as string })));
    expect(text).not.toMatch(RAW);
    expect(text.trimEnd().split('\n')).toHaveLength(2 + hostile.length);
    expect(text).toContain('\\033[31mred');
  });

  it('stat text escapes the target', () => {
    expect(statText(entry('x'), '//h/s/a\nFile: forged')).toContain('File: //h/s/a\\nFile: forged\n');
  });

  it('--json stays exact, with C1 and bidi controls as \\u escapes', () => {
    const text = json(lsJson(hostile.map((n) => entry(n))));
    expect(text.replace(/\n/g, '')).not.toMatch(RAW);
    expect((JSON.parse(text) as { name: string }[]).map((e) => e.name)).toEqual(hostile);
    expect(text).toContain('photo\\u202egpj.exe');
    expect(JSON.parse(json(sharesJson([{ name: hostile[5] as string, type: 'disk', special: false, comment: hostile[4] as string }])))).toEqual([
      { name: hostile[5], type: 'disk', comment: hostile[4], special: false },
    ]);
  });
});

describe('humanBytes', () => {
  it.each([
    [0, '0 B'], [1023, '1023 B'], [1536, '1.5 KiB'], [10 * 1024 * 1024, '10 MiB'], [5 * 2 ** 30, '5.0 GiB'],
  ])('%i → %s', (n, s) => {
    expect(humanBytes(n)).toBe(s);
  });
});
