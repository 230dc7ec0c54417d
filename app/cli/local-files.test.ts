import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertSafeLocalName, downloadAtomically, partialPath, pendingPartials, resolveDownloadPath } from './local-files.js';
import { ProgressCounter } from './progress.js';
import { LocalFileError } from './usage-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-cli-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assertSafeLocalName', () => {
  it.each(['', '.', '..', 'a/b', '../x', 'a\\b', 'x\0y', '/etc/passwd'])('refuses %j', (name) => {
    expect(() => assertSafeLocalName(name)).toThrow(LocalFileError);
  });
  it.each(['file.txt', '..hidden', 'a..b', 'Grüße ✓.txt', ' spaced name ', '.profile'])('accepts %j', (name) => {
    expect(() => assertSafeLocalName(name)).not.toThrow();
  });
  it('whatever it accepts joins to a path directly inside the folder', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 0, maxLength: 12 }), (name) => {
        try {
          assertSafeLocalName(name);
        } catch {
          return;
        }
        const p = join('/base', name);
        expect(p.startsWith('/base/')).toBe(true);
        expect(p.slice('/base/'.length)).toBe(name);
      }),
    );
  });
});

describe('resolveDownloadPath', () => {
  it('keeps the remote base name inside an existing folder', async () => {
    expect(await resolveDownloadPath(dir, 'r.txt')).toBe(join(dir, 'r.txt'));
    expect(await resolveDownloadPath(`${dir}/`, 'r.txt')).toBe(join(dir, 'r.txt'));
  });
  it('uses a file path as given when its folder exists (existing file or not)', async () => {
    expect(await resolveDownloadPath(join(dir, 'new.bin'), 'r.txt')).toBe(join(dir, 'new.bin'));
    await writeFile(join(dir, 'old'), 'x');
    expect(await resolveDownloadPath(join(dir, 'old'), 'r.txt')).toBe(join(dir, 'old'));
  });
  it('refuses a missing folder', async () => {
    await expect(resolveDownloadPath(join(dir, 'nope', 'f'), 'r')).rejects.toThrow(/does not exist/);
    await expect(resolveDownloadPath(join(dir, 'nope') + '/', 'r')).rejects.toThrow(/does not exist/);
  });
  it('refuses unsafe remote names even when LOCAL is a folder', async () => {
    await expect(resolveDownloadPath(dir, '..')).rejects.toThrow(LocalFileError);
    await expect(resolveDownloadPath(dir, 'a/b')).rejects.toThrow(LocalFileError);
  });
});

describe('downloadAtomically', () => {
  const final = () => join(dir, 'out.bin');

  it('names the partial file .NAME.sharekeeper-partial-RANDOM beside the final one', () => {
    expect(partialPath('/x/y/f.txt', 'abc')).toBe('/x/y/.f.txt.sharekeeper-partial-abc');
  });

  it('writes the content and leaves no partial file', async () => {
    const counter = new ProgressCounter({ label: 'out.bin', total: 6, sink: { write: () => true }, enabled: false });
    const n = await downloadAtomically(Readable.from([Buffer.from('abc'), Buffer.from('def')]), final(), { expectedSize: 6, through: [counter] });
    expect(n).toBe(6);
    expect(counter.bytes).toBe(6);
    expect(await readFile(final(), 'utf8')).toBe('abcdef');
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect(pendingPartials.size).toBe(0);
  });

  it('replaces an existing file only on success', async () => {
    await writeFile(final(), 'old');
    await downloadAtomically(Readable.from([Buffer.from('new!')]), final(), { expectedSize: 4 });
    expect(await readFile(final(), 'utf8')).toBe('new!');
  });

  it('a source failing mid-way leaves nothing, and an older file untouched', async () => {
    await writeFile(final(), 'old');
    const failing = async function* () {
      yield Buffer.alloc(1000);
      throw new Error('connection reset');
    };
    await expect(downloadAtomically(Readable.from(failing()), final(), { expectedSize: 5000 })).rejects.toThrow('connection reset');
    expect(await readdir(dir)).toEqual(['out.bin']);
    expect(await readFile(final(), 'utf8')).toBe('old');
    expect(pendingPartials.size).toBe(0);
  });

  it('a short download (size differs from the remote size) leaves nothing under the final name', async () => {
    await expect(downloadAtomically(Readable.from([Buffer.from('abc')]), final(), { expectedSize: 4 })).rejects.toThrow(/incomplete: got 3 of 4/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a local write error becomes a LocalFileError naming the path', async () => {
    await expect(downloadAtomically(Readable.from([Buffer.from('a')]), join(dir, 'missing', 'f'), { expectedSize: 1 })).rejects.toThrow(LocalFileError);
  });

  it('keeps memory flat: streams many chunks without buffering them', async () => {
    await mkdir(join(dir, 'big'));
    const chunk = Buffer.alloc(64 * 1024, 7);
    let made = 0;
    const src = new Readable({
      read() {
        made += 1;
        this.push(made <= 256 ? chunk : null);
      },
    });
    const n = await downloadAtomically(src, join(dir, 'big', 'f'), { expectedSize: 256 * chunk.length });
    expect(n).toBe(16 * 1024 * 1024);
  });
});
