// Folder copies that behave (issue 8 item 3), with an in-memory share and the real local disk:
// a failing subfolder or file is reported and the rest is copied; a share root is a folder like
// any other; names that become the same local name get distinct ones, reported; partial files go
// on cancel and on failure; a symlink planted in the destination redirects nothing.
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NtStatus, SmbStatusError } from '../../protocol/index.js';
import { FakeProvider, FakeTree } from './fake-tree.test-helpers.js';
import { LocalTransferQueue, type TransferQueueOptions } from './transfer-queue.js';
import { TERMINAL_STATES, type TransferJob } from './types.js';

let dir: string;
let queue: LocalTransferQueue | undefined;

beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-folders-'))));
afterEach(async () => {
  await queue?.dispose();
  queue = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function open(tree: FakeTree, extra: Partial<TransferQueueOptions> = {}): Promise<LocalTransferQueue> {
  queue = await LocalTransferQueue.open({ provider: new FakeProvider({ nas: tree }), configDir: join(dir, 'config'), offlineRetryMs: 5, progressIntervalMs: 0, ...extra });
  return queue;
}

/** Resolves with the job once it is terminal, and with its children as they were at that moment. */
function settled(q: LocalTransferQueue, id: string): Promise<{ job: TransferJob; children: TransferJob[] }> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const j = q.get(id);
      if (!j || !TERMINAL_STATES.includes(j.state)) return false;
      resolve({ job: j, children: q.list().filter((c) => c.parentId === id) });
      return true;
    };
    if (check()) return;
    const off = q.on('state', () => check() && off());
  });
}

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (!e.isDirectory()) out.push(relative(root, join(e.parentPath, e.name)));
  }
  return out.sort();
}

const denied = (path: string): SmbStatusError => new SmbStatusError(NtStatus.STATUS_ACCESS_DENIED, { operation: 'open', path });

describe('folder copies', () => {
  it('a subfolder that cannot be listed and a file that cannot be read are reported; the rest is copied first', async () => {
    const tree = new FakeTree();
    tree.addFile('tree/a.txt', 'a\n');
    tree.addFile('tree/locked/x.txt', 'x\n');
    tree.addFile('tree/ok/b.txt', 'b\n');
    tree.addFile('tree/ok/secret.txt', 'no\n');
    tree.addFile('tree/z.txt', 'z\n');
    tree.fault = (op, path) => (op === 'readdir' && path === 'tree/locked' ? denied(path) : undefined);
    tree.onRead = (path) => (path === 'tree/ok/secret.txt' ? { bytes: 0, error: denied(path) } : undefined);
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'tree', localPath: join(dir, 'out') });
    const { job: end, children } = await settled(q, job.id);
    // When the folder ends, every file in it has ended.
    expect(children.every((c) => TERMINAL_STATES.includes(c.state))).toBe(true);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('partial');
    const failed = children.filter((c) => c.state === 'failed').map((c) => [c.remotePath, c.error?.status]);
    expect(failed.sort()).toEqual([
      ['tree/locked', 'NT_STATUS_ACCESS_DENIED'],
      ['tree/ok/secret.txt', 'NT_STATUS_ACCESS_DENIED'],
    ]);
    expect(await filesUnder(join(dir, 'out'))).toEqual(['a.txt', 'ok/b.txt', 'z.txt']);
  });

  it('retrying the folder lists a subfolder that failed again and copies what it holds', async () => {
    const tree = new FakeTree();
    tree.addFile('t/a.txt', 'a\n');
    tree.addFile('t/later/b.txt', 'b\n');
    tree.addFile('t/later/deeper/c.txt', 'c\n');
    tree.fault = (op, path) => (op === 'readdir' && path === 't/later' ? denied(path) : undefined);
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 't', localPath: join(dir, 't') });
    expect((await settled(q, job.id)).job.state).toBe('failed');
    tree.fault = undefined;
    q.retry(job.id);
    const { job: end, children } = await settled(q, job.id);
    expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
    expect(children.map((c) => c.remotePath).sort()).toEqual(['t/a.txt', 't/later', 't/later/b.txt', 't/later/deeper/c.txt']);
    expect(await filesUnder(join(dir, 't'))).toEqual(['a.txt', 'later/b.txt', 'later/deeper/c.txt']);
  });

  it('the share root is a folder like any other', async () => {
    const tree = new FakeTree();
    tree.addFile('top.txt', 'top\n');
    tree.addFile('d/inner.txt', 'inner\n');
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: '', localPath: join(dir, 'root') });
    const { job: end } = await settled(q, job.id);
    expect({ state: end.state, error: end.error, kind: end.kind }).toEqual({ state: 'done', error: undefined, kind: 'folder' });
    expect(await filesUnder(join(dir, 'root'))).toEqual(['d/inner.txt', 'top.txt']);

    // And uploads into the root of the share.
    const src = join(dir, 'up');
    await mkdir(src);
    await writeFile(join(src, 'u.txt'), 'up\n');
    const up = q.enqueue({ direction: 'upload', driveId: 'nas', remotePath: '', localPath: join(src, 'u.txt') });
    expect((await settled(q, up.id)).job).toMatchObject({ state: 'failed', error: { code: 'bad-request' } });
    const into = q.enqueue({ direction: 'upload', driveId: 'nas', remotePath: '', localPath: src });
    expect((await settled(q, into.id)).job.state).toBe('done');
    expect(tree.files.get('u.txt')?.toString()).toBe('up\n');
  });

  it('remote names that become one local name get distinct names, and say so', async () => {
    const tree = new FakeTree();
    // On Windows `a.` loses its dot (so it becomes `a._`) and names compare without case.
    for (const n of ['Report.txt', 'report.txt', 'a.', 'a._', 'other.txt']) tree.addFile(`names/${n}`, `${n}\n`);
    const q = await open(tree, { namePlatform: 'win32' });
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'names', localPath: join(dir, 'names') });
    const { job: end, children } = await settled(q, job.id);
    expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
    const local = await filesUnder(join(dir, 'names'));
    expect(local).toHaveLength(5);
    // Each remote file's content is in exactly one local file.
    const contents = await Promise.all(local.map((n) => readFile(join(dir, 'names', n), 'utf8')));
    expect(contents.sort()).toEqual(['Report.txt\n', 'a.\n', 'a._\n', 'other.txt\n', 'report.txt\n']);
    const renamed = children.filter((c) => c.notice !== undefined);
    expect(renamed).toHaveLength(2);
    for (const c of renamed) expect(c.notice).toMatch(/same local name/);
  });

  it('a symlink planted in the destination redirects no download', async () => {
    const tree = new FakeTree();
    tree.addFile('tree/f.txt', 'from the share\n');
    tree.addFile('tree/sub/g.txt', 'into the link?\n');
    const out = join(dir, 'out');
    const victimDir = join(dir, 'victim-dir');
    const victimFile = join(dir, 'victim.txt');
    await mkdir(out);
    await mkdir(victimDir);
    await writeFile(victimFile, 'precious\n');
    // The names the old downloader used for its partial, and a subfolder that is a link.
    await symlink(victimFile, join(out, '.f.txt.sharekeeper-partial'));
    await symlink(victimDir, join(out, 'sub'));
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'tree', localPath: out, conflict: 'overwrite' });
    const { children } = await settled(q, job.id);
    expect(await readFile(victimFile, 'utf8')).toBe('precious\n');
    expect(await readdir(victimDir)).toEqual([]);
    expect(await readFile(join(out, 'f.txt'), 'utf8')).toBe('from the share\n');
    expect((await lstat(join(out, 'sub'))).isSymbolicLink()).toBe(true);
    const sub = children.find((c) => c.remotePath.startsWith('tree/sub'));
    expect(sub).toMatchObject({ state: 'failed' });
    expect(sub?.error?.message).toMatch(/symbolic link|not a folder/);
  });

  it('a symlink at the partial or final name of a single-file download is not followed', async () => {
    const tree = new FakeTree();
    tree.addFile('f.txt', 'from the share\n');
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious\n');
    await mkdir(join(dir, 'out'));
    await symlink(victim, join(dir, 'out', '.f.txt.sharekeeper-partial'));
    await symlink(victim, join(dir, 'out', 'f.txt'));
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'f.txt', localPath: join(dir, 'out', 'f.txt'), conflict: 'overwrite' });
    expect((await settled(q, job.id)).job.state).toBe('done');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    // The link at the final name was replaced by the file, not written through.
    expect((await lstat(join(dir, 'out', 'f.txt'))).isFile()).toBe(true);
    expect(await readFile(join(dir, 'out', 'f.txt'), 'utf8')).toBe('from the share\n');
  });

  it('partial files are removed on failure and on cancel, locally and on the share', async () => {
    const tree = new FakeTree();
    tree.addFile('bad.bin', Buffer.alloc(256 * 1024, 1));
    tree.onRead = (path) => (path === 'bad.bin' ? { bytes: 128 * 1024, error: denied(path) } : undefined);
    const q = await open(tree);
    const down = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'bad.bin', localPath: join(dir, 'bad.bin') });
    expect((await settled(q, down.id)).job.state).toBe('failed');
    expect((await readdir(dir)).filter((n) => n !== 'config')).toEqual([]);

    // An upload whose final rename is refused leaves nothing on the share.
    const src = join(dir, 'src.bin');
    await writeFile(src, Buffer.alloc(300 * 1024, 2));
    tree.fault = (op, path) => (op === 'rename' ? denied(path) : undefined);
    const up = q.enqueue({ direction: 'upload', driveId: 'nas', remotePath: 'up.bin', localPath: src });
    expect((await settled(q, up.id)).job.state).toBe('failed');
    expect(tree.names()).toEqual(['bad.bin']);

  });

  it('a folder copy interrupted by a restart comes back from the journal, adds no entry twice, and completes', async () => {
    const tree = new FakeTree();
    for (let i = 0; i < 20; i++) tree.addFile(`f/${String(i).padStart(2, '0')}.txt`, `file ${i}\n`);
    // The first run copies a few files, then the server goes slow (reads hang) and the app quits.
    let served = 0;
    tree.onRead = () => (++served > 3 ? { bytes: 2, hang: true } : undefined);
    const first = await open(tree, { maxConcurrent: 2, flushIntervalMs: 1 });
    const job = first.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'f', localPath: join(dir, 'f') });
    while (first.children(job.id).filter((c) => c.state === 'done').length < 3) await new Promise((r) => setTimeout(r, 2));
    await first.dispose();
    queue = undefined;

    tree.onRead = undefined;
    const second = await open(tree);
    expect(second.children(job.id)).toHaveLength(20);
    const { job: end, children } = await settled(second, job.id);
    expect({ state: end.state, error: end.error }).toEqual({ state: 'done', error: undefined });
    expect(children).toHaveLength(20);
    expect(await filesUnder(join(dir, 'f'))).toEqual([...Array(20).keys()].map((i) => `${String(i).padStart(2, '0')}.txt`));
    expect(await readFile(join(dir, 'f', '07.txt'), 'utf8')).toBe('file 7\n');
  });

  it('cancelling a folder cancels its files first and leaves no partial behind', async () => {
    const tree = new FakeTree();
    for (let i = 0; i < 6; i++) tree.addFile(`many/f${i}.bin`, Buffer.alloc(512 * 1024, i));
    // Reads deliver part of each file and then wait (a slow server), so cancel finds them mid-copy.
    tree.onRead = () => ({ bytes: 128 * 1024, hang: true });
    const q = await open(tree);
    const job = q.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'many', localPath: join(dir, 'many') });
    await new Promise<void>((resolve) => {
      const off = q.on('progress', (p) => {
        if (p.id !== job.id && p.bytesDone > 0) {
          off();
          resolve();
        }
      });
    });
    const ended = settled(q, job.id);
    await q.cancel(job.id);
    const { job: end, children } = await ended;
    expect(end.state).toBe('cancelled');
    expect(children.every((c) => TERMINAL_STATES.includes(c.state))).toBe(true);
    expect(await filesUnder(join(dir, 'many'))).toEqual([]);
  });
});
