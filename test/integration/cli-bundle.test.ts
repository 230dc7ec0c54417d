// The bundled CLI (app/cli/bundle.mjs): one module graph in dist/cli/, the decryption worker beside
// the code that starts it, packages left to node_modules. The CLI suites run it through
// bin/sharekeeper.js; these checks catch a bundle that would still work by accident, loading
// half of itself from dist/ (two copies of the protocol: two buffer pools, two SmbError classes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt } from './cli-run.js';

const BUNDLE = join(process.cwd(), 'dist', 'cli');

function chunks(): { name: string; text: string }[] {
  return readdirSync(BUNDLE)
    .filter((n) => n.endsWith('.js'))
    .map((name) => ({ name, text: readFileSync(join(BUNDLE, name), 'utf8') }));
}

/** Every `from '...'` and `import('...')` specifier of a chunk. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s*["']([^"']+)["']/gm)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

describe('the bundled CLI', () => {
  it('is built, with its two entries', () => {
    assertBuilt();
    const names = chunks().map((c) => c.name);
    expect(names).toContain('main.js');
    expect(names).toContain('aead-worker.js');
    expect(readFileSync(join(process.cwd(), 'bin', 'sharekeeper.js'), 'utf8')).toContain("'../dist/cli/main.js'");
  });

  it('loads nothing of ours from outside dist/cli: relative imports stay in the folder, the rest are packages', () => {
    const all = chunks().flatMap((c) => specifiers(c.text).map((s) => ({ chunk: c.name, s })));
    expect(all.length).toBeGreaterThan(20);
    const outside = all.filter(({ s }) => (s.startsWith('.') && !s.startsWith('./')) || s.startsWith('/') || s.includes('/dist/'));
    expect(outside).toEqual([]);
    const names = new Set(chunks().map((c) => c.name));
    const missing = all.filter(({ s }) => s.startsWith('./') && !names.has(s.slice(2)));
    expect(missing).toEqual([]);
  });

  it('finds the decryption worker beside the chunk that starts it', () => {
    const starter = chunks().filter((c) => c.text.includes('./aead-worker.js') && c.name !== 'aead-worker.js');
    expect(starter.length).toBeGreaterThan(0);
    // new URL('./aead-worker.js', import.meta.url) in a chunk of this folder names this file.
    for (const c of starter) expect(new URL('./aead-worker.js', `file://${join(BUNDLE, c.name)}`).pathname).toBe(join(BUNDLE, 'aead-worker.js'));
  });
});
