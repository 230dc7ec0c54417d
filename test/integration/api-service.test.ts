// The API service (main/api createApiHost) against a real smbd, through the dispatcher as every
// UI reaches it: drives added and connected, a listing streamed as batches then an end, and the
// server's refusals in words a person understands with the NTSTATUS kept (access denied, name
// exists, not found, not empty, wrong password), never a thrown error, never a password.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView, type EventName } from '../../main/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
const events: { name: EventName; payload: unknown }[] = [];
const call = (name: string, args: unknown) =>
  host.dispatcher.dispatch(name, args, { clientId: 't', clientSignal: new AbortController().signal, emit: (n, p) => events.push({ name: n, payload: p }) });

beforeAll(async () => {
  s = await startSamba();
  const pub = s.shareDir('public');
  // Guests act as nobody: what root makes here must be theirs to change.
  mkdirSync(join(pub, 'full'));
  writeFileSync(join(pub, 'full', 'x.txt'), 'x');
  writeFileSync(join(pub, 'taken.txt'), 't');
  for (const p of ['full', 'full/x.txt', 'taken.txt']) chmodSync(join(pub, p), 0o777);
  dir = await mkdtemp(join(tmpdir(), 'sk-api-'));
  host = await createApiHost({ mode: 'serve', version: 'test', configDir: dir, credentialStore: new MemoryCredentialStore(), triggers: false });
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

async function add(name: string, share: string, extra: Record<string, unknown> = {}): Promise<DriveView> {
  const r = await call('drives.add', { drive: { name, target: `smb://127.0.0.1:${s.port}/${share}`, ...extra } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as DriveView;
}

describe('API service on a real Samba', () => {
  let pub: DriveView;
  let ro: DriveView;

  it('adds drives that connect', async () => {
    pub = await add('Public', 'public');
    ro = await add('Readonly', 'readonly');
    expect(pub.status.kind).toBe('connected');
    expect(ro.status.kind).toBe('connected');
    expect((await call('drives.add', { drive: { name: 'public', target: `smb://127.0.0.1:${s.port}/public` } }))).toMatchObject({ ok: false, error: { code: 'name-exists' } });
  });

  it('streams a listing as batches, then an end', async () => {
    events.length = 0;
    const r = await call('folder.open', { driveId: pub.id, share: 'public', path: '', batchSize: 1 });
    expect(r.ok).toBe(true);
    const id = (r as { value: { listingId: string } }).value.listingId;
    await expect.poll(() => events.some((e) => e.name === 'folder.end')).toBe(true);
    const batches = events.filter((e) => e.name === 'folder.batch').map((e) => e.payload as { listingId: string; entries: { name: string }[] });
    expect(batches.every((b) => b.listingId === id && b.entries.length === 1)).toBe(true);
    expect(batches.flatMap((b) => b.entries.map((e) => e.name)).sort()).toEqual(['full', 'taken.txt']);
    expect(events.find((e) => e.name === 'folder.end')?.payload).toEqual({ listingId: id, count: 2 });
  });

  it('a missing folder ends its listing with not-found', async () => {
    events.length = 0;
    await call('folder.open', { driveId: pub.id, share: 'public', path: 'nope' });
    await expect.poll(() => events.some((e) => e.name === 'folder.end')).toBe(true);
    expect(events.find((e) => e.name === 'folder.end')?.payload).toMatchObject({ count: 0, error: { code: 'not-found', status: 'NT_STATUS_OBJECT_NAME_NOT_FOUND' } });
  });

  it('says access denied, name exists and not found, keeping the NTSTATUS; deletes folders with their content', async () => {
    expect(await call('fs.mkdir', { driveId: ro.id, share: 'readonly', path: 'new' })).toMatchObject({ ok: false, error: { code: 'access-denied', message: 'Access denied', status: 'NT_STATUS_ACCESS_DENIED' } });
    expect(await call('fs.mkdir', { driveId: pub.id, share: 'public', path: 'taken.txt' })).toMatchObject({ ok: false, error: { code: 'name-exists', status: 'NT_STATUS_OBJECT_NAME_COLLISION' } });
    expect(await call('fs.rename', { driveId: pub.id, share: 'public', from: 'full/x.txt', to: 'taken.txt' })).toMatchObject({ ok: false, error: { code: 'name-exists' } });
    expect(await call('fs.stat', { driveId: pub.id, share: 'public', path: 'ghost' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    // In the sticky public share only what the guest made is the guest's to delete.
    expect(await call('fs.delete', { driveId: pub.id, share: 'public', paths: ['full'] })).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    expect((await call('fs.mkdir', { driveId: pub.id, share: 'public', path: 'mine' })).ok).toBe(true);
    expect((await call('fs.mkdir', { driveId: pub.id, share: 'public', path: 'mine/sub' })).ok).toBe(true);
    expect(await call('fs.delete', { driveId: pub.id, share: 'public', paths: ['mine'] })).toEqual({ ok: true, value: { deleted: 2 } });
  });

  it('another share of the same server, and the share list', async () => {
    expect(await call('fs.stat', { driveId: pub.id, share: 'readonly', path: 'hello.txt' })).toMatchObject({ ok: true, value: { name: 'hello.txt', type: 'file' } });
    const shares = await call('browse.shares', { driveId: pub.id });
    expect(shares.ok && (shares.value as { name: string }[]).map((x) => x.name)).toEqual(expect.arrayContaining(['public', 'private', 'readonly']));
  });

  it('a wrong password: auth-failed, then the right one once: connected; no password anywhere', async () => {
    const bad = await add('Private', 'private', { user: s.user });
    expect(bad.status.kind).toBe('auth-failed');
    const wrong = await call('drives.submitPassword', { id: bad.id, password: 'wrong-pw-123', save: false });
    expect(wrong).toMatchObject({ ok: true, value: { status: { kind: 'auth-failed', reason: 'auth-rejected' } } });
    const right = await call('drives.submitPassword', { id: bad.id, password: s.password, save: true });
    expect(right).toMatchObject({ ok: true, value: { status: { kind: 'connected' }, hasSavedPassword: true } });
    const all = JSON.stringify([await call('drives.list', {}), await call('credentials.list', {}), events]);
    expect(all).not.toContain(s.password);
    expect(all).not.toContain('wrong-pw-123');
  });
});
