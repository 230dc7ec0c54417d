// downloadFile/uploadFile: one file now, through the queue's own download and upload. What a
// person would notice: the bytes arrive under the final name, and a failure (server fault, short
// read, abort) leaves nothing there, no partial beside it, and an older file as it was.
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadFile, uploadFile } from './copy-file.js';
import { FakeTree, timeoutError } from './fake-tree.test-helpers.js';
import { TransferError } from './transfer-errors.js';

let dir: string;
let tree: FakeTree;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-copy-file-'));
  tree = new FakeTree();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);

describe('downloadFile', () => {
  it('writes the file, reports progress and the partial, and leaves only the final name', async () => {
    tree.addFile('a/f.bin', big);
    const progress: number[] = [];
    const partials: string[] = [];
    const r = await downloadFile(tree, 'a/f.bin', join(dir, 'f.bin'), { onProgress: (d, t) => progress.push(d / t), onPartial: (p) => partials.push(p) });
    expect(r).toEqual({ path: join(dir, 'f.bin'), bytes: big.length });
    expect((await readFile(join(dir, 'f.bin'))).equals(big)).toBe(true);
    expect(await readdir(dir)).toEqual(['f.bin']);
    expect(progress.at(-1)).toBe(1);
    expect(partials).toHaveLength(1);
    expect(partials[0]).toMatch(/\/\.f\.bin\.sharekeeper-partial-[0-9a-f]{12}$/);
  });

  it('replaces an older file only on success; a failure mid-way leaves it and no partial', async () => {
    await writeFile(join(dir, 'f.bin'), 'old');
    tree.addFile('f.bin', big);
    tree.onRead = () => ({ bytes: 1024 * 1024, error: timeoutError() });
    await expect(downloadFile(tree, 'f.bin', join(dir, 'f.bin'))).rejects.toMatchObject({ code: 'timeout' });
    expect(await readdir(dir)).toEqual(['f.bin']);
    expect(await readFile(join(dir, 'f.bin'), 'utf8')).toBe('old');
    tree.onRead = undefined;
    await downloadFile(tree, 'f.bin', join(dir, 'f.bin'));
    expect((await readFile(join(dir, 'f.bin'))).equals(big)).toBe(true);
  });

  it('a short read (fewer bytes than the server said) leaves nothing under the final name', async () => {
    tree.addFile('f.bin', big);
    tree.onRead = () => ({ bytes: 100 });
    await expect(downloadFile(tree, 'f.bin', join(dir, 'f.bin'))).rejects.toMatchObject({ code: 'size-mismatch' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('an abort stops the copy and removes the partial', async () => {
    tree.addFile('f.bin', big);
    tree.onRead = () => ({ bytes: 1024 * 1024, hang: true });
    const abort = new AbortController();
    const copy = downloadFile(tree, 'f.bin', join(dir, 'f.bin'), { signal: abort.signal, onProgress: () => abort.abort() });
    await expect(copy).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('a folder is refused; with overwrite off, an existing file is kept and the call fails', async () => {
    tree.mkdirp('d');
    await expect(downloadFile(tree, 'd', join(dir, 'd'))).rejects.toBeInstanceOf(TransferError);
    tree.addFile('f.txt', 'new');
    await writeFile(join(dir, 'f.txt'), 'mine');
    await expect(downloadFile(tree, 'f.txt', join(dir, 'f.txt'), { overwrite: false })).rejects.toMatchObject({ code: 'exists' });
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['f.txt']);
  });

  it('a link planted at the final name is replaced, not written through', async () => {
    await writeFile(join(dir, 'elsewhere'), 'keep');
    await symlink(join(dir, 'elsewhere'), join(dir, 'f.txt'));
    tree.addFile('f.txt', 'new');
    await downloadFile(tree, 'f.txt', join(dir, 'f.txt'));
    expect(await readFile(join(dir, 'elsewhere'), 'utf8')).toBe('keep');
    expect(await readFile(join(dir, 'f.txt'), 'utf8')).toBe('new');
  });
});

describe('uploadFile', () => {
  it('uploads to the exact path, replacing a file there, and leaves no partial on the share', async () => {
    await writeFile(join(dir, 'u.bin'), big);
    tree.addFile('up/u.bin', 'old');
    const r = await uploadFile(tree, join(dir, 'u.bin'), 'up/u.bin');
    expect(r).toEqual({ path: 'up/u.bin', bytes: big.length });
    expect(tree.files.get('up/u.bin')?.equals(big)).toBe(true);
    expect(tree.names()).toEqual(['up/u.bin']);
  });

  it('a failed write removes the partial from the share and keeps the older file', async () => {
    await writeFile(join(dir, 'u.bin'), big);
    tree.addFile('u.bin', 'old');
    tree.fault = (op) => (op === 'write' ? timeoutError('WRITE') : undefined);
    await expect(uploadFile(tree, join(dir, 'u.bin'), 'u.bin')).rejects.toMatchObject({ code: 'timeout' });
    expect(tree.names()).toEqual(['u.bin']);
    expect(tree.files.get('u.bin')?.toString()).toBe('old');
  });

  it('a symbolic link as the source is refused', async () => {
    await writeFile(join(dir, 'real'), 'x');
    await symlink(join(dir, 'real'), join(dir, 'link'));
    await expect(uploadFile(tree, join(dir, 'link'), 'link')).rejects.toBeInstanceOf(TransferError);
    expect(tree.names()).toEqual([]);
  });
});

/** A fake with the compounded writeFile a real tree has; `afterWrite` runs once the file has landed. */
class CompoundingTree extends FakeTree {
  afterWrite: (() => void) | undefined;
  async writeFile(path: string, data: Buffer): Promise<void> {
    this.addFile(path, data);
    this.afterWrite?.();
  }
}

describe('an abort during a small file\'s one round trip', () => {
  it('the upload is not renamed into place and its partial is removed', async () => {
    const t = new CompoundingTree();
    await writeFile(join(dir, 's.txt'), 'small');
    const abort = new AbortController();
    t.afterWrite = () => abort.abort();
    await expect(uploadFile(t, join(dir, 's.txt'), 's.txt', { signal: abort.signal })).rejects.toThrow();
    expect(t.names()).toEqual([]);
    t.afterWrite = undefined;
    await uploadFile(t, join(dir, 's.txt'), 's.txt');
    expect(t.names()).toEqual(['s.txt']);
  });
});
