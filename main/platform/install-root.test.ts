import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { installRoot } from './install-root.js';

describe('installRoot', () => {
  it('is the folder with our package.json, from any depth below it', () => {
    const root = mkdtempSync(join(tmpdir(), 'sk-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'sharekeeper' }));
    // A package.json of someone else's on the way up does not stop the search.
    mkdirSync(join(root, 'dist', 'cli', 'inner'), { recursive: true });
    writeFileSync(join(root, 'dist', 'cli', 'package.json'), JSON.stringify({ name: 'other' }));
    expect(installRoot(pathToFileURL(join(root, 'dist', 'cli', 'inner', 'x.js')).href)).toBe(root);
    expect(installRoot(pathToFileURL(join(root, 'dist', 'app', 'serve', 'index.js')).href)).toBe(root);
  });

  it('is this checkout for this module', () => {
    expect(installRoot(import.meta.url)).toBe(process.cwd());
  });

  it('throws when no folder above has our package.json', () => {
    const lone = mkdtempSync(join(tmpdir(), 'sk-lone-'));
    expect(() => installRoot(pathToFileURL(join(lone, 'a.js')).href)).toThrow(/no sharekeeper package.json/);
  });
});
