// The file commands through the real binary against a real smbd: ls, stat, cat, get, put, mkdir,
// rm, rmdir, mv, their --json shapes, and names with spaces and non-ASCII characters in every
// target form.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { assertBuilt, runCli } from './cli-run.js';

let s: SambaServer;
let local: string;
let base: string;

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  base = `//127.0.0.1:${s.port}`;
  local = await mkdtemp(join(tmpdir(), 'sk-cli-files-'));
});
afterAll(async () => {
  await s?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

const guest = (...args: string[]) => runCli([...args, '-N']);

describe('read-only commands', () => {
  it('ls shows hello.txt in a smbclient-like table', async () => {
    const r = await guest('ls', `${base}/readonly`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}hello\.txt +[A-Z]+ +17 {2}\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n$/);
  });

  it('ls --json has the documented shape', async () => {
    const r = await guest('ls', `${base}/readonly`, '--json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect(Object.keys(e ?? {}).sort()).toEqual(['attributes', 'created', 'modified', 'name', 'size', 'type']);
    expect(e).toMatchObject({ name: 'hello.txt', type: 'file', size: 17 });
    expect(typeof e?.['attributes']).toBe('number');
    expect(new Date(String(e?.['modified'])).toISOString()).toBe(e?.['modified']);
    const mtime = (await stat(join(s.shareDir('readonly'), 'hello.txt'))).mtimeMs;
    expect(Math.abs(Date.parse(String(e?.['modified'])) - mtime)).toBeLessThan(1000);
  });

  it('ls of a file lists that file', async () => {
    const r = await guest('ls', `${base}/readonly/hello.txt`, '--json');
    expect((JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name)).toEqual(['hello.txt']);
  });

  it('stat --json and plain', async () => {
    const j = await guest('stat', `${base}/readonly/hello.txt`, '--json');
    expect(j.code).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ name: 'hello.txt', type: 'file', size: 17 });
    const dir = await guest('stat', `${base}/readonly`, '--json');
    expect(JSON.parse(dir.stdout)).toMatchObject({ type: 'directory' });
    const p = await guest('stat', `${base}/readonly/hello.txt`);
    expect(p.stdout).toContain(`File: ${base}/readonly/hello.txt\n`);
    expect(p.stdout).toContain('Size: 17\n');
  });

  it('cat streams the bytes exactly', async () => {
    const r = await guest('cat', `${base}/readonly/hello.txt`);
    expect(r).toMatchObject({ code: 0, stdout: 'hello from samba\n', stderr: '' });
  });

  it('cat of a big binary file is byte-exact', async () => {
    const sum = await makeRandomFile(join(s.shareDir('public'), 'big-cat.bin'), 3 * 1024 * 1024 + 17);
    const r = await guest('cat', `${base}/public/big-cat.bin`);
    expect(r.code).toBe(0);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(r.stdoutBytes).digest('hex')).toBe(sum);
  });

  it('a missing file is exit 1 naming the NTSTATUS and the path', async () => {
    const r = await guest('cat', `${base}/readonly/nope.txt`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sharekeeper: NT_STATUS_OBJECT_NAME_NOT_FOUND \(.*nope\.txt\)\n$/);
  });
});

describe('write commands (guest on public)', () => {
  it('put, get back, and the bytes match; get into a folder keeps the name', async () => {
    const src = join(local, 'up.bin');
    const sum = await makeRandomFile(src, 2 * 1024 * 1024 + 3);
    expect((await guest('put', src, `${base}/public/up.bin`)).code).toBe(0);
    expect(await sha256File(join(s.shareDir('public'), 'up.bin'))).toBe(sum);

    const into = await mkdtemp(join(local, 'get-'));
    const r = await guest('get', `${base}/public/up.bin`, into);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(await readdir(into)).toEqual(['up.bin']);
    expect(await sha256File(join(into, 'up.bin'))).toBe(sum);

    const renamed = join(into, 'other-name.bin');
    expect((await guest('get', `${base}/public/up.bin`, renamed)).code).toBe(0);
    expect(await sha256File(renamed)).toBe(sum);
  });

  it('put into a folder (share root, existing folder, trailing slash) keeps the local name', async () => {
    const src = join(local, 'into.txt');
    await writeFile(src, 'into\n');
    expect((await guest('put', src, `${base}/public`)).code).toBe(0);
    expect((await guest('mkdir', `${base}/public/putdir`)).code).toBe(0);
    expect((await guest('put', src, `${base}/public/putdir`)).code).toBe(0);
    expect(await readFile(join(s.shareDir('public'), 'into.txt'), 'utf8')).toBe('into\n');
    expect(await readFile(join(s.shareDir('public'), 'putdir', 'into.txt'), 'utf8')).toBe('into\n');
  });

  it('put of an empty file', async () => {
    const src = join(local, 'empty');
    await writeFile(src, '');
    expect((await guest('put', src, `${base}/public/empty`)).code).toBe(0);
    expect((await stat(join(s.shareDir('public'), 'empty'))).size).toBe(0);
    const into = await mkdtemp(join(local, 'get-empty-'));
    expect((await guest('get', `${base}/public/empty`, into)).code).toBe(0);
    expect(await readdir(into)).toEqual(['empty']);
  });

  it('mkdir, rmdir, rm', async () => {
    expect((await guest('mkdir', `${base}/public/d1`)).code).toBe(0);
    expect((await stat(join(s.shareDir('public'), 'd1'))).isDirectory()).toBe(true);
    const again = await guest('mkdir', `${base}/public/d1`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('NT_STATUS_OBJECT_NAME_COLLISION');
    expect((await guest('rmdir', `${base}/public/d1`)).code).toBe(0);
    await expect(stat(join(s.shareDir('public'), 'd1'))).rejects.toThrow();

    await writeFile(join(local, 'gone.txt'), 'x');
    expect((await guest('put', join(local, 'gone.txt'), `${base}/public/gone.txt`)).code).toBe(0);
    expect((await guest('rm', `${base}/public/gone.txt`)).code).toBe(0);
    await expect(stat(join(s.shareDir('public'), 'gone.txt'))).rejects.toThrow();
    const missing = await guest('rm', `${base}/public/gone.txt`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NT_STATUS_OBJECT_NAME_NOT_FOUND');
  });

  it('rmdir of a non-empty folder is refused by the server', async () => {
    expect((await guest('mkdir', `${base}/public/full`)).code).toBe(0);
    await writeFile(join(local, 'f'), 'x');
    expect((await guest('put', join(local, 'f'), `${base}/public/full/f`)).code).toBe(0);
    const r = await guest('rmdir', `${base}/public/full`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_DIRECTORY_NOT_EMPTY');
  });

  it('mv: a path in the share, a full target, into a folder, and --force over an existing file', async () => {
    const pub = s.shareDir('public');
    await writeFile(join(local, 'm.txt'), 'move me\n');
    expect((await guest('put', join(local, 'm.txt'), `${base}/public/m.txt`)).code).toBe(0);
    expect((await guest('mv', `${base}/public/m.txt`, 'm2.txt')).code).toBe(0);
    expect(await readFile(join(pub, 'm2.txt'), 'utf8')).toBe('move me\n');

    expect((await guest('mkdir', `${base}/public/mvdir`)).code).toBe(0);
    expect((await guest('mv', `${base}/public/m2.txt`, `${base}/public/mvdir`)).code).toBe(0);
    expect(await readdir(join(pub, 'mvdir'))).toEqual(['m2.txt']);

    expect((await guest('put', join(local, 'm.txt'), `${base}/public/other.txt`)).code).toBe(0);
    const clash = await guest('mv', `${base}/public/other.txt`, '/mvdir/m2.txt');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('NT_STATUS_OBJECT_NAME_COLLISION');
    expect((await guest('mv', `${base}/public/other.txt`, '/mvdir/m2.txt', '--force')).code).toBe(0);
    expect(await readdir(join(pub, 'mvdir'))).toEqual(['m2.txt']);

    const cross = await guest('mv', `${base}/public/mvdir/m2.txt`, `${base}/private/x`);
    expect(cross.code).toBe(2);
  });
});

describe('Unicode and spaces', () => {
  const folder = 'My Folder Ω';
  const name = 'Grüße ünd spaces ✓ 日本.txt';

  it('put/ls/get/cat work in //, \\\\ and smb:// (percent-encoded) forms', async () => {
    const src = join(local, 'u.txt');
    await writeFile(src, 'unicode content ✓\n');
    expect((await guest('mkdir', `${base}/public/${folder}`)).code).toBe(0);
    expect((await guest('put', src, `${base}/public/${folder}/${name}`)).code).toBe(0);
    expect(await readFile(join(s.shareDir('public'), folder, name), 'utf8')).toBe('unicode content ✓\n');

    const ls = await guest('ls', `${base}/public/${folder}`, '--json');
    expect((JSON.parse(ls.stdout) as { name: string }[]).map((e) => e.name)).toEqual([name]);
    const table = await guest('ls', `${base}/public/${folder}`);
    expect(table.stdout).toContain(`  ${name} `);

    const unc = `\\\\127.0.0.1:${s.port}\\public\\${folder}\\${name}`;
    expect((await guest('cat', unc)).stdout).toBe('unicode content ✓\n');

    const url = `smb://127.0.0.1:${s.port}/public/${encodeURIComponent(folder)}/${encodeURIComponent(name)}`;
    expect((await guest('cat', url)).stdout).toBe('unicode content ✓\n');

    const into = await mkdtemp(join(local, 'uni-'));
    expect((await guest('get', url, into)).code).toBe(0);
    expect(await readdir(into)).toEqual([name]);
  });
});

describe('user session on private', () => {
  it('put, ls and get as the test user', async () => {
    const env = { SHAREKEEPER_PASSWORD: s.password };
    const src = join(local, 'priv.txt');
    await writeFile(src, 'private\n');
    const put = await runCli(['put', src, `${base}/private/priv.txt`, '-U', s.user], { env });
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const ls = await runCli(['ls', `smb://${s.user}@127.0.0.1:${s.port}/private`, '--json'], { env });
    expect((JSON.parse(ls.stdout) as { name: string }[]).map((e) => e.name)).toContain('priv.txt');
    const cat = await runCli(['cat', `${base}/private/priv.txt`, '-U', `WORKGROUP\\${s.user}`], { env });
    expect(cat.stdout).toBe('private\n');
  });
});
