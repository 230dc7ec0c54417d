// The public API against a real Samba: identities, permissions, every file operation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, mkdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { SmbClient, SmbError, SmbStatusError, Dialect } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare, userCreds } from './client-helpers.js';

let server: SambaServer;

beforeAll(async () => {
  server = await startSamba();
});
afterAll(async () => {
  await server?.stop();
});

describe('identities and permissions', () => {
  it('user logs in to the private share and negotiates SMB 3.1.1', async () => {
    const o = await openShare(server, 'private');
    expect(o.client.dialect).toBe(Dialect.SMB3_11);
    expect(o.session.isGuest).toBe(false);
    await writeFile(join(server.shareDir('private'), 'mine.txt'), 'private data');
    expect((await o.tree.readFile('mine.txt')).toString()).toBe('private data');
    await o.close();
  });

  it('anonymous lists the public share', async () => {
    await writeFile(join(server.shareDir('public'), 'anon-visible.txt'), 'x');
    const o = await openShare(server, 'public', { kind: 'anonymous' });
    expect(o.session.isAnonymous || o.session.isGuest).toBe(true);
    const names = (await o.tree.readdir('')).map((e) => e.name);
    expect(names).toContain('anon-visible.txt');
    await o.close();
  });

  it('guest (unknown user mapped to guest) reads the readonly share', async () => {
    const o = await openShare(server, 'readonly', { kind: 'guest', user: 'nosuchuser' });
    expect(o.session.isGuest).toBe(true);
    expect((await o.tree.readFile('hello.txt')).toString()).toBe('hello from samba\n');
    await o.close();
  });

  it('wrong password fails with an auth error carrying NT_STATUS_LOGON_FAILURE', async () => {
    const err = await openShare(server, 'private', { kind: 'user', user: server.user, password: 'wrong-password' }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(err.code).toBe('auth');
    expect(err.statusName).toBe('NT_STATUS_LOGON_FAILURE');
  });

  it('guest on the private share is refused with ACCESS_DENIED', async () => {
    const err = await openShare(server, 'private', { kind: 'anonymous' }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(err.statusName).toBe('NT_STATUS_ACCESS_DENIED');
  });

  it('writing on the readonly share is refused and names the path', async () => {
    const o = await openShare(server, 'readonly', { kind: 'anonymous' });
    const err = await o.tree.writeFile('new.txt', Buffer.from('x')).catch((e) => e);
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(err.statusName).toBe('NT_STATUS_ACCESS_DENIED');
    expect(err.path).toContain('new.txt');
    await o.close();
  });

  it('a missing file is OBJECT_NAME_NOT_FOUND with the operation and path', async () => {
    const o = await openShare(server, 'public', { kind: 'anonymous' });
    const err = await o.tree.stat('no/such/file.txt').catch((e) => e);
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(['NT_STATUS_OBJECT_NAME_NOT_FOUND', 'NT_STATUS_OBJECT_PATH_NOT_FOUND']).toContain(err.statusName);
    expect(err.operation).toBe('stat');
    await o.close();
  });

  it('a closed port is a transport error', async () => {
    const err = await SmbClient.connect({ host: '127.0.0.1', port: 1, timeoutMs: 3000 }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err.code).toBe('transport');
  });
});

describe('file operations', () => {
  it('mkdir, write, stat, rename, truncate, set times, unlink, rmdir', async () => {
    const o = await openShare(server, 'private');
    const t = o.tree;
    await t.mkdir('ops');
    await t.writeFile('ops/a.txt', Buffer.from('hello world'));
    let st = await t.stat('ops/a.txt');
    expect(st).toMatchObject({ name: 'a.txt', type: 'file', size: 11 });
    expect((await t.stat('ops')).type).toBe('directory');
    await t.rename('ops/a.txt', 'ops/b.txt');
    await expect(t.stat('ops/a.txt')).rejects.toBeInstanceOf(SmbStatusError);
    await t.truncate('ops/b.txt', 5);
    expect((await t.readFile('ops/b.txt')).toString()).toBe('hello');
    const when = new Date('2020-02-03T04:05:06.789Z');
    await t.setTimes('ops/b.txt', { modified: when });
    st = await t.stat('ops/b.txt');
    expect(st.modified.toISOString()).toBe(when.toISOString());
    const onDisk = await readFile(join(server.shareDir('private'), 'ops', 'b.txt'), 'utf8');
    expect(onDisk).toBe('hello');
    const notEmpty = await t.rmdir('ops').catch((e) => e);
    expect(notEmpty.statusName).toBe('NT_STATUS_DIRECTORY_NOT_EMPTY');
    await t.unlink('ops/b.txt');
    await t.rmdir('ops');
    expect((await t.readdir('')).map((e) => e.name)).not.toContain('ops');
    await o.close();
  });

  it('rename onto an existing name needs replace', async () => {
    const o = await openShare(server, 'private');
    await o.tree.writeFile('r1.txt', Buffer.from('one'));
    await o.tree.writeFile('r2.txt', Buffer.from('two'));
    const err = await o.tree.rename('r1.txt', 'r2.txt').catch((e) => e);
    expect(err.statusName).toBe('NT_STATUS_OBJECT_NAME_COLLISION');
    await o.tree.rename('r1.txt', 'r2.txt', { replace: true });
    expect((await o.tree.readFile('r2.txt')).toString()).toBe('one');
    await o.close();
  });

  it('handles Unicode and space-laden names', async () => {
    const names = ['with space.txt', 'Ünïcödé ñame.txt', '日本語 ファイル.txt', 'emoji 🎉 file.txt'];
    const o = await openShare(server, 'private');
    await o.tree.mkdir('unicode dir ✓');
    for (const n of names) await o.tree.writeFile(`unicode dir ✓/${n}`, Buffer.from(n));
    const listed = (await o.tree.readdir('unicode dir ✓')).map((e) => e.name).sort();
    expect(listed).toEqual([...names].sort());
    for (const n of names) {
      expect(await readFile(join(server.shareDir('private'), 'unicode dir ✓', n), 'utf8')).toBe(n);
      expect((await o.tree.readFile(`unicode dir ✓\\${n}`)).toString()).toBe(n);
    }
    await o.close();
  });

  it('lists files written on the server side with sizes and times', async () => {
    const dir = join(server.shareDir('private'), 'listing');
    await mkdir(dir);
    await writeFile(join(dir, 'x.bin'), Buffer.alloc(12345));
    await mkdir(join(dir, 'sub'));
    const o = await openShare(server, 'private');
    const entries = await o.tree.readdir('listing');
    const x = entries.find((e) => e.name === 'x.bin')!;
    expect(x).toMatchObject({ type: 'file', size: 12345 });
    expect(Math.abs(x.modified.getTime() - Date.now())).toBeLessThan(120_000);
    expect(entries.find((e) => e.name === 'sub')?.type).toBe('directory');
    await o.close();
  });

  it('QUERY_INFO on a handle agrees with stat, and a flushed write lands on disk', async () => {
    const o = await openShare(server, 'private');
    const data = Buffer.alloc(3 * 1024 * 1024 + 5, 9);
    await o.tree.writeFile('flushed.bin', data, { flush: true });
    expect((await readFile(join(server.shareDir('private'), 'flushed.bin'))).equals(data)).toBe(true);
    const viaCreate = await o.tree.stat('flushed.bin');
    const viaQuery = await o.tree.queryInfo('flushed.bin');
    expect(viaQuery).toMatchObject({ name: 'flushed.bin', type: 'file', size: data.length });
    expect(viaQuery.modified.getTime()).toBe(viaCreate.modified.getTime());
    expect((await o.tree.queryInfo('')).type).toBe('directory');
    await o.close();
  });

  it('statfs reports the volume space the server sees', async () => {
    const o = await openShare(server, 'private');
    const space = await o.tree.statfs();
    const local = await statfs(server.shareDir('private'));
    const total = local.blocks * local.bsize;
    expect(space.totalBytes).toBeGreaterThan(0);
    expect(Math.abs(space.totalBytes - total) / total).toBeLessThan(0.05);
    expect(space.availableBytes).toBeLessThanOrEqual(space.totalBytes);
    expect(space.freeBytes).toBeLessThanOrEqual(space.totalBytes);
    await o.close();
  });

  it('ECHO answers and logoff ends the session', async () => {
    const o = await openShare(server, 'public', { kind: 'anonymous' });
    await o.client.echo();
    await o.tree.disconnect();
    await o.session.logoff();
    await o.close();
    expect(o.client.closed).toBe(true);
  });

  it('lists shares like smbclient -L', async () => {
    const client = await SmbClient.connect({ host: server.host, port: server.port });
    const session = await client.login(userCreds(server));
    const ours = (await session.listShares()).map((s) => `${s.name}|${s.type}|${s.comment}`).sort();
    await client.close();
    const ref = await server.smbclient(['-L', '127.0.0.1', '-g']);
    expect(ref.code).toBe(0);
    const theirs = ref.stdout
      .split('\n')
      .filter((l) => /^(Disk|IPC|Printer|Device)\|/.test(l))
      .map((l) => {
        const [type, name, comment] = l.split('|');
        const t = type === 'Disk' ? 'disk' : type === 'IPC' ? 'ipc' : type === 'Printer' ? 'printer' : 'device';
        return `${name}|${t}|${comment ?? ''}`;
      })
      .sort();
    expect(theirs.length).toBeGreaterThanOrEqual(4);
    expect(ours).toEqual(theirs);
  });
});
