// Folder watches through the API service on a drive whose server speaks only SMB1 (Samba NT1, the
// drive's allowLegacy switch on), as a UI reaches them: `folder.watch` no longer ends at once as
// 'unsupported'; a file smbclient puts arrives as `folder.changes`, unwatch stops it, the drive stays usable.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView, type FolderChangesView } from '../../main/index.js';
import { SMBCLIENT_NT1, startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
let drive: DriveView;

function client(id: string) {
  const changes: FolderChangesView[] = [];
  const call = (name: string, args: unknown) =>
    host.dispatcher.dispatch(name, args, { clientId: id, clientSignal: new AbortController().signal, emit: (n, p) => n === 'folder.changes' && changes.push(p as FolderChangesView) });
  return { call, changes };
}

async function putFromElsewhere(name: string): Promise<void> {
  const r = await s.smbclient(['//127.0.0.1/public', ...SMBCLIENT_NT1, '-c', `put ${join(dir, 'payload.txt')} ${name}`], { auth: 'guest' });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

beforeAll(async () => {
  s = await startNt1Samba();
  dir = await mkdtemp(join(tmpdir(), 'sk-api-watch-smb1-'));
  await writeFile(join(dir, 'payload.txt'), 'hello');
  host = await createApiHost({ mode: 'serve', version: 'test', configDir: join(dir, 'config'), credentialStore: new MemoryCredentialStore(), triggers: false });
  const r = await client('setup').call('drives.add', { drive: { name: 'Old', target: `smb://127.0.0.1:${s.port}/public`, allowLegacy: true } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  drive = r.value as DriveView;
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

describe('folder watches on an SMB1 drive', () => {
  it('a file put by smbclient arrives as folder.changes; unwatch stops it and the drive goes on', async () => {
    const a = client('a');
    const r = await a.call('folder.watch', { driveId: drive.id, share: 'public', path: '' });
    expect(r.ok).toBe(true);
    const { watchId } = (r as { value: { watchId: string } }).value;
    await new Promise((res) => setTimeout(res, 300));
    expect(a.changes.filter((c) => c.ended)).toEqual([]); // not ended as 'unsupported'
    await putFromElsewhere('seen-over-smb1.txt');
    await expect.poll(() => a.changes.flatMap((c) => c.changes.map((x) => x.name)), { timeout: 10_000 }).toContain('seen-over-smb1.txt');
    expect(a.changes[0]).toMatchObject({ watchId, driveId: drive.id, share: 'public', path: '' });
    expect(await a.call('folder.unwatch', { watchId })).toEqual({ ok: true, value: null });
    const before = a.changes.length;
    await putFromElsewhere('after-unwatch.txt');
    await new Promise((res) => setTimeout(res, 500));
    expect(a.changes.length).toBe(before);
    expect(await a.call('fs.stat', { driveId: drive.id, share: 'public', path: 'after-unwatch.txt' })).toMatchObject({ ok: true, value: { name: 'after-unwatch.txt' } });
  });
});
