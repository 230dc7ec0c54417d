// A folder dropped from the desktop keeps its structure: entries walked through the File System
// entries API (readEntries in several batches), files given with their relative paths.
import { describe, expect, it } from 'vitest';
import { droppedItems } from './drop.js';

type FakeEntry = { isFile: boolean; isDirectory: boolean; name: string; file?: (ok: (f: Blob) => void) => void; createReader?: () => { readEntries: (ok: (es: FakeEntry[]) => void) => void } };

const file = (name: string): FakeEntry => ({ isFile: true, isDirectory: false, name, file: (ok) => ok(new Blob([name])) });
function dir(name: string, children: FakeEntry[]): FakeEntry {
  return {
    isFile: false,
    isDirectory: true,
    name,
    createReader: () => {
      // Chromium answers at most 100 entries per call: give them one at a time, then [].
      const left = [...children];
      return { readEntries: (ok) => ok(left.length ? [left.shift() as FakeEntry] : []) };
    },
  };
}

describe('dropped items', () => {
  it('walks dropped folders into relative paths', async () => {
    const entries = [dir('photos', [file('a.jpg'), dir('2024', [file('b.jpg')])]), file('notes.txt')];
    const dt = { items: entries.map((e) => ({ webkitGetAsEntry: () => e })), files: [] } as unknown as DataTransfer;
    const items = await droppedItems(dt);
    expect(items.map((i) => i.relativePath)).toEqual(['photos/a.jpg', 'photos/2024/b.jpg', 'notes.txt']);
  });

  it('falls back to the plain file list', async () => {
    const f = Object.assign(new Blob(['x']), { name: 'x.txt' });
    const dt = { items: [{ webkitGetAsEntry: () => null }], files: [f] } as unknown as DataTransfer;
    expect((await droppedItems(dt)).map((i) => i.relativePath)).toEqual(['x.txt']);
  });
});
