import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveDownloadPath } from './local-files.js';
import { LocalFileError } from './usage-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-cli-local-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the remote name get keeps inside a local folder', () => {
  it.each(['', '.', '..', 'a/b', '../x', 'a\\b', 'x\0y', '/etc/passwd'])('refuses %j', async (name) => {
    await expect(resolveDownloadPath(dir, name)).rejects.toThrow(LocalFileError);
  });
  it.each(['file.txt', '..hidden', 'a..b', 'Grüße ✓.txt', ' spaced name ', '.profile'])('accepts %j', async (name) => {
    expect(await resolveDownloadPath(dir, name)).toBe(join(dir, name));
  });
  it('whatever it accepts is a path directly inside the folder', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 0, maxLength: 12 }), async (name) => {
        const p = await resolveDownloadPath(dir, name).catch(() => undefined);
        if (p === undefined) return;
        expect(p.startsWith(`${dir}/`)).toBe(true);
        expect(p.slice(dir.length + 1)).not.toMatch(/[/\\]/);
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
