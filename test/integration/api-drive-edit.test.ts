// Editing a drive through the API service, as the add/edit dialog does (the whole form each time),
// on a real Samba: a user name left empty is cleared (the drive becomes a guest drive), the legacy
// switch is set and cleared, and the options the dialog does not show (protocol range) are kept.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView } from '../../main/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
const call = (name: string, args: unknown) => host.dispatcher.dispatch(name, args, { clientId: 't', clientSignal: new AbortController().signal, emit: () => undefined });
const ok = async (name: string, args: unknown): Promise<DriveView> => {
  const r = await call(name, args);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as DriveView;
};

beforeAll(async () => {
  s = await startSamba();
  dir = await mkdtemp(join(tmpdir(), 'sk-api-edit-'));
  host = await createApiHost({ mode: 'serve', version: 'test', configDir: dir, credentialStore: new MemoryCredentialStore(), triggers: false });
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

describe('editing a drive', () => {
  it('clears a user name left empty, and the drive then connects as a guest', async () => {
    const target = `smb://127.0.0.1:${s.port}/public`;
    const added = await ok('drives.add', { drive: { name: 'Pub', target, user: s.user, domain: 'WORKGROUP' }, password: s.password, savePassword: false });
    expect(added).toMatchObject({ user: s.user, domain: 'WORKGROUP', status: { kind: 'connected' } });
    const edited = await ok('drives.update', { id: added.id, drive: { name: 'Pub', target } });
    expect(edited.user).toBeUndefined();
    expect(edited.domain).toBeUndefined();
    expect(edited.status.kind).toBe('connected');
    const stored = await host.services.registry.get(added.id);
    expect(stored?.user).toBeUndefined();
    expect(stored?.domain).toBeUndefined();
    expect((await ok('drives.list', {}) as unknown as DriveView[]).find((d) => d.id === added.id)?.user).toBeUndefined();
  });

  it('sets and clears the legacy switch, keeping the options the dialog does not show', async () => {
    const target = `smb://127.0.0.1:${s.port}/readonly`;
    const added = await ok('drives.add', { drive: { name: 'Ro', target } });
    await host.services.registry.update(added.id, { options: { minProtocol: 'SMB2_10' } });
    const legacy = await ok('drives.update', { id: added.id, drive: { name: 'Ro', target, allowLegacy: true, requireSigning: true } });
    expect(legacy.options).toEqual({ requireSigning: true, requireEncryption: false, allowLegacy: true, minProtocol: 'SMB2_10' });
    expect((await host.services.registry.get(added.id))?.options).toEqual({ minProtocol: 'SMB2_10', requireSigning: true, allowLegacy: true });
    const modern = await ok('drives.update', { id: added.id, drive: { name: 'Ro', target } });
    expect(modern.options).toEqual({ requireSigning: false, requireEncryption: false, minProtocol: 'SMB2_10' });
    expect((await host.services.registry.get(added.id))?.options).toEqual({ minProtocol: 'SMB2_10' });
    expect(await call('drives.update', { id: added.id, drive: { name: 'Ro', target, allowLegacy: 'yes' } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});
