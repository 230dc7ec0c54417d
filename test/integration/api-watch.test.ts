// Folder watches through the API service on a real Samba, as a UI reaches them: `folder.watch` on
// a drive's folder, a file smbclient puts there arrives as a `folder.changes` event for that
// client only; unwatch and the client going away stop it and the drive stays usable.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView, type FolderChangesView } from '../../main/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
let drive: DriveView;

function client(id: string) {
  const controller = new AbortController();
  const changes: FolderChangesView[] = [];
  const call = (name: string, args: unknown) =>
    host.dispatcher.dispatch(name, args, { clientId: id, clientSignal: controller.signal, emit: (n, p) => n === 'folder.changes' && changes.push(p as FolderChangesView) });
  return { call, changes, goAway: () => controller.abort() };
}

async function putFromElsewhere(name: string): Promise<void> {
  const r = await s.smbclient(['//127.0.0.1/public', '-c', `put ${join(dir, 'payload.txt')} ${name}`], { auth: 'guest' });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

beforeAll(async () => {
  s = await startSamba();
  dir = await mkdtemp(join(tmpdir(), 'sk-api-watch-'));
  await writeFile(join(dir, 'payload.txt'), 'hello');
  host = await createApiHost({ mode: 'serve', version: 'test', configDir: join(dir, 'config'), credentialStore: new MemoryCredentialStore(), triggers: false });
  const r = await client('setup').call('drives.add', { drive: { name: 'Public', target: `smb://127.0.0.1:${s.port}/public` } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  drive = r.value as DriveView;
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

describe('folder watches through the API service', () => {
  it('a file put by smbclient arrives as folder.changes for the watching client only', async () => {
    const a = client('a');
    const b = client('b');
    const r = await a.call('folder.watch', { driveId: drive.id, share: 'public', path: '' });
    expect(r.ok).toBe(true);
    const { watchId } = (r as { value: { watchId: string } }).value;
    await new Promise((res) => setTimeout(res, 300));
    await putFromElsewhere('seen-by-watch.txt');
    await expect.poll(() => a.changes.flatMap((c) => c.changes.map((x) => x.name)), { timeout: 10_000 }).toContain('seen-by-watch.txt');
    expect(a.changes[0]).toMatchObject({ watchId, driveId: drive.id, share: 'public', path: '' });
    expect(b.changes).toEqual([]);
    expect(await a.call('folder.unwatch', { watchId })).toEqual({ ok: true, value: null });
    const before = a.changes.length;
    await putFromElsewhere('after-unwatch.txt');
    await new Promise((res) => setTimeout(res, 500));
    expect(a.changes.length).toBe(before);
    // The drive's connection is fine after the cancel.
    expect(await a.call('fs.stat', { driveId: drive.id, share: 'public', path: 'after-unwatch.txt' })).toMatchObject({ ok: true, value: { name: 'after-unwatch.txt' } });
  });

  it('a client that goes away has its watches stopped', async () => {
    const c = client('gone');
    expect((await c.call('folder.watch', { driveId: drive.id, share: 'public', path: '' })).ok).toBe(true);
    await new Promise((res) => setTimeout(res, 200));
    c.goAway();
    await new Promise((res) => setTimeout(res, 200));
    await putFromElsewhere('nobody-watches.txt');
    await new Promise((res) => setTimeout(res, 500));
    expect(c.changes).toEqual([]);
    expect(await client('x').call('fs.stat', { driveId: drive.id, share: 'public', path: 'nobody-watches.txt' })).toMatchObject({ ok: true });
  });

  it('a watch outlives smbd restarting: re-armed, it says "list again" and reports changes after', async () => {
    const c = client('restart');
    const r = await c.call('folder.watch', { driveId: drive.id, share: 'public', path: '' });
    expect(r.ok).toBe(true);
    await new Promise((res) => setTimeout(res, 300));
    process.kill(-s.leaderPids.smbd, 'SIGTERM');
    await new Promise((res) => setTimeout(res, 500));
    await s.restart();
    await expect.poll(() => c.changes.some((x) => x.overflow && x.ended === undefined), { timeout: 60_000, interval: 200 }).toBe(true);
    expect(c.changes.some((x) => x.ended !== undefined)).toBe(false);
    await new Promise((res) => setTimeout(res, 300)); // the re-armed request reaches the new smbd
    await putFromElsewhere('after-restart.txt');
    await expect.poll(() => c.changes.flatMap((x) => x.changes.map((y) => y.name)), { timeout: 20_000 }).toContain('after-restart.txt');
    c.goAway();
  });

  it('a folder that does not exist ends its watch with not-found', async () => {
    const c = client('nf');
    expect((await c.call('folder.watch', { driveId: drive.id, share: 'public', path: 'no-such-folder' })).ok).toBe(true);
    await expect.poll(() => c.changes.at(-1)?.ended?.code, { timeout: 10_000 }).toBe('not-found');
  });
});
