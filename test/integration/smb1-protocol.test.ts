// The SMB1 client through the protocol API against Samba NT1: what the CLI suites do not reach —
// offsets past 4 GiB (CAP_LARGE_FILES), several READ_ANDX/WRITE_ANDX in flight, set-info (size, times,
// delete-on-close), rename with and without replace, statfs, a listing stopped early (FIND_CLOSE2),
// ECHO, and DOS-style errors read through the table on a server asked not to use NT status.
import { chmodSync, closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmbClient, SmbStatusError, type SmbSession, type SmbTree } from '../../protocol/index.js';
import { makeManyFiles, makeSparseFile } from '../harness/fixtures.js';
import { startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';
import type { Smb1Session } from '../../protocol/smb1/client/smb1-session.js';

const GIB = 1024 * 1024 * 1024;
let s: SambaServer;
let client: SmbClient;
let session: SmbSession;
let tree: SmbTree;

beforeAll(async () => {
  s = await startNt1Samba();
  client = await SmbClient.connect({ host: '127.0.0.1', port: s.port, allowSmb1: true });
  session = await client.login({ kind: 'user', user: s.user, password: s.password });
  tree = await session.connectTree('private');
}, 60_000);
afterAll(async () => {
  await client?.close();
  await s?.stop();
});

describe('SMB1 through the protocol API', () => {
  it('reads and writes past 4 GiB (OffsetHigh)', async () => {
    const path = join(s.shareDir('private'), 'sparse.bin');
    // Files the test writes into the share directly are the test's; the share's user must be able to write them.
    await makeSparseFile(path, 5 * GIB, [{ offset: 4 * GIB + 12345, data: 'beyond four gibibytes' }], { mode: 0o666 });
    const f = await tree.open('sparse.bin', { access: 'read-write' });
    try {
      expect(f.openStat.size).toBe(5 * GIB);
      expect((await f.readAt(4 * GIB + 12345, 21)).toString()).toBe('beyond four gibibytes');
      expect(await f.writeAt(4 * GIB + 100, Buffer.from('written high'))).toBe(12);
    } finally {
      await f.close();
    }
    const fd = openSync(path, 'r');
    const back = Buffer.alloc(12);
    readSync(fd, back, 0, 12, 4 * GIB + 100);
    closeSync(fd);
    expect(back.toString()).toBe('written high');
  });

  it('keeps several READ_ANDX and WRITE_ANDX in flight and puts them in order', async () => {
    const data = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32LE(i ^ 0x5a5a5a5a, i);
    await new Promise<void>((resolve, reject) => {
      const ws = tree.createWriteStream('window.bin', { window: 8 });
      ws.once('error', reject).once('finish', resolve);
      ws.end(data);
    });
    expect(readFileSync(join(s.shareDir('private'), 'window.bin')).equals(data)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of tree.createReadStream('window.bin', { window: 6, chunkSize: 256 * 1024 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('truncate, set times, stat, queryInfo, handle stat', async () => {
    writeFileSync(join(s.shareDir('private'), 't.txt'), 'x'.repeat(1000));
    chmodSync(join(s.shareDir('private'), 't.txt'), 0o666);
    await tree.truncate('t.txt', 10);
    const when = new Date('2001-02-03T04:05:06.000Z');
    await tree.setTimes('t.txt', { modified: when });
    const st = await tree.stat('t.txt');
    expect(st).toMatchObject({ name: 't.txt', type: 'file', size: 10 });
    expect(st.modified.toISOString()).toBe(when.toISOString());
    expect(statSync(join(s.shareDir('private'), 't.txt')).mtime.toISOString()).toBe(when.toISOString());
    expect((await tree.queryInfo('t.txt')).size).toBe(10);
    const f = await tree.open('t.txt');
    expect((await f.stat()).size).toBe(10);
    await f.close();
    expect((await tree.stat('')).type).toBe('directory');
  });

  it('delete-on-close removes a file when its handle closes', async () => {
    const f = await tree.open('doomed.txt', { access: 'write', disposition: 'create', mayDelete: true });
    await f.writeAt(0, Buffer.from('gone soon'));
    await f.setInfo({ deleteOnClose: true });
    await f.close();
    expect(existsSync(join(s.shareDir('private'), 'doomed.txt'))).toBe(false);
  });

  it('rename: refuses an existing target unless replace, then replaces it', async () => {
    writeFileSync(join(s.shareDir('private'), 'r1.txt'), 'one');
    writeFileSync(join(s.shareDir('private'), 'r2.txt'), 'two');
    await expect(tree.rename('r1.txt', 'r2.txt')).rejects.toMatchObject({ statusName: 'NT_STATUS_OBJECT_NAME_COLLISION' });
    await tree.rename('r1.txt', 'r2.txt', { replace: true });
    expect(readFileSync(join(s.shareDir('private'), 'r2.txt'), 'utf8')).toBe('one');
    // replace with no target there: an ordinary rename (what an upload's partial file does).
    await tree.rename('r2.txt', 'r3.txt', { replace: true });
    expect(readFileSync(join(s.shareDir('private'), 'r3.txt'), 'utf8')).toBe('one');
    expect(existsSync(join(s.shareDir('private'), 'r2.txt'))).toBe(false);
    await tree.mkdir('r-dir');
    await tree.rename('r3.txt', 'r-dir/r3.txt', { replace: true });
    expect(readFileSync(join(s.shareDir('private'), 'r-dir', 'r3.txt'), 'utf8')).toBe('one');
  });

  it('rename with replace within a folder is atomic: the target never goes missing, and it holds the moved bytes', async () => {
    const dir = s.shareDir('private');
    const target = join(dir, 'swap.txt');
    writeFileSync(target, 'first');
    // Another thread watches the target's name while we replace it again and again; delete-then-rename
    // would leave it missing for a round trip each time.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const watcher = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const { existsSync } = require('node:fs');
       const stop = new Int32Array(workerData.stop);
       const until = Date.now() + 60000;
       let missing = 0, looks = 0;
       while (Atomics.load(stop, 0) === 0 && Date.now() < until) { looks++; if (!existsSync(workerData.target)) missing++; }
       parentPort.postMessage({ missing, looks });`,
      { eval: true, workerData: { stop: stop.buffer, target } },
    );
    const seen = new Promise<{ missing: number; looks: number }>((resolve, reject) => watcher.once('message', resolve).once('error', reject));
    // Half of them from a dot file, as an upload's partial file is: hidden to Samba (`hide dot files`).
    for (let i = 0; i < 40; i++) {
      const from = i % 2 === 0 ? 'swap-src.txt' : '.swap-src.txt.partial';
      writeFileSync(join(dir, from), `version ${i}`);
      await tree.rename(from, 'swap.txt', { replace: true });
    }
    Atomics.store(stop, 0, 1);
    const { missing, looks } = await seen;
    expect(looks).toBeGreaterThan(1000);
    expect(missing).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe('version 39');
    expect(existsSync(join(dir, 'swap-src.txt'))).toBe(false);
    expect(existsSync(join(dir, '.swap-src.txt.partial'))).toBe(false);
    expect((await tree.readdir('')).map((e) => e.name).filter((n) => n.startsWith('sharekeeper-replace-'))).toEqual([]);
  });

  it('rename with replace into another folder (two steps) still replaces', async () => {
    await tree.mkdir('moved-in');
    writeFileSync(join(s.shareDir('private'), 'moved-in', 'm.txt'), 'old');
    writeFileSync(join(s.shareDir('private'), 'mover.txt'), 'new');
    await tree.rename('mover.txt', 'moved-in/m.txt', { replace: true });
    expect(readFileSync(join(s.shareDir('private'), 'moved-in', 'm.txt'), 'utf8')).toBe('new');
    await expect(tree.rename('moved-in/m.txt', 'r-dir/r3.txt')).rejects.toMatchObject({ statusName: 'NT_STATUS_OBJECT_NAME_COLLISION' });
  });

  it('statfs', async () => {
    const sp = await tree.statfs();
    expect(sp.totalBytes).toBeGreaterThan(0);
    expect(sp.freeBytes).toBeLessThanOrEqual(sp.totalBytes);
  });

  it('a listing stopped early closes its search, and the connection goes on', async () => {
    await makeManyFiles(join(s.shareDir('private'), 'big-dir'), 3000);
    let batches = 0;
    for await (const batch of tree.listDirectory('big-dir')) {
      batches++;
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(batches).toBe(1);
    expect(await tree.readdir('big-dir')).toHaveLength(3000);
    await client.echo();
  });

  it('share listing: RAP NetShareEnum (the fallback) gives what srvsvc NetShareEnumAll gives', async () => {
    const legacy = session as Smb1Session;
    const rap = await legacy.listSharesVia('rap');
    expect(rap).toEqual(await legacy.listSharesVia('srvsvc'));
    expect(rap.map((x) => x.name)).toEqual(expect.arrayContaining(['public', 'private', 'readonly', 'IPC$']));
  });

  it('errors keep their NTSTATUS names', async () => {
    const e = await tree.stat('no/such/thing').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SmbStatusError);
    expect((e as SmbStatusError).statusName).toMatch(/NT_STATUS_OBJECT_(PATH|NAME)_NOT_FOUND/);
    await expect(tree.rmdir('t.txt')).rejects.toBeInstanceOf(SmbStatusError);
  });
});

