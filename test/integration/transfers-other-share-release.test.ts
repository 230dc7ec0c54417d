// The queue's connections to another share of a drive's server (jobs with a `share`) end with the
// drive, through the API service on a real smbd: removing the drive closes the session on the
// other share; a new password closes the one logged in with the old password (a job after it logs
// in with the new one); an edited connection option closes it and the next job connects with the
// new option (the dialect smbd reports).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView, type TransferView } from '../../main/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
let drive: DriveView | undefined;
const folders: string[] = [];
const payload = randomBytes(100_000);

const call = async (name: string, args: unknown): Promise<unknown> => {
  const r = await host.dispatcher.dispatch(name, args, { clientId: 't', clientSignal: new AbortController().signal, emit: () => undefined });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
};

interface StatusJson {
  sessions?: Record<string, { session_id: string; username: string; session_dialect: string }>;
  tcons?: Record<string, { service: string; session_id: string }>;
}

/** The sessions smbd holds with a tree connected to `share` (their user and dialect). */
async function sessionsOn(share: string): Promise<{ username: string; dialect: string }[]> {
  const j = JSON.parse(await s.smbstatus(['-j'])) as StatusJson;
  const ids = new Set(Object.values(j.tcons ?? {}).filter((t) => t.service === share).map((t) => t.session_id));
  return Object.values(j.sessions ?? {})
    .filter((x) => ids.has(x.session_id))
    .map((x) => ({ username: x.username, dialect: x.session_dialect }));
}

/** Downloads second's in/one.bin into a fresh folder; returns the job's end state. */
async function downloadFromSecond(driveId: string): Promise<TransferView> {
  const dest = await mkdtemp(join(dir, 'down-'));
  folders.push(dest);
  const handle = (await call('local.pickFolder', {})) as { id: string };
  const [job] = (await call('transfers.download', { driveId, share: 'second', paths: ['in/one.bin'], destination: handle.id })) as TransferView[];
  let end: TransferView | undefined;
  await expect
    .poll(
      async () => {
        end = ((await call('transfers.list', {})) as TransferView[]).find((v) => v.id === job!.id);
        return end !== undefined && ['done', 'failed', 'skipped', 'cancelled', 'paused'].includes(end.state);
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
  return end!;
}

async function addDrive(input: Record<string, unknown>, password?: string): Promise<DriveView> {
  const name = `D${randomBytes(3).toString('hex')}`;
  const args = { drive: { name, target: `smb://127.0.0.1:${s.port}/public`, ...input }, ...(password === undefined ? {} : { password, savePassword: false }) };
  drive = (await call('drives.add', args)) as DriveView;
  return drive;
}

beforeAll(async () => {
  s = await startSamba({ extraShares: [{ name: 'second', lines: ['guest ok = yes', 'read only = no'] }] });
  mkdirSync(join(s.shareDir('second'), 'in'));
  writeFileSync(join(s.shareDir('second'), 'in', 'one.bin'), payload);
  for (const p of ['in', 'in/one.bin']) chmodSync(join(s.shareDir('second'), p), 0o777);
  dir = await mkdtemp(join(tmpdir(), 'sk-other-share-release-'));
  host = await createApiHost({
    mode: 'electron',
    version: 'test',
    configDir: join(dir, 'config'),
    credentialStore: new MemoryCredentialStore(),
    triggers: false,
    pickFolder: async () => folders.shift(),
  });
}, 60_000);
afterEach(async () => {
  if (drive !== undefined) await call('drives.remove', { id: drive.id }).catch(() => undefined);
  drive = undefined;
  await expect.poll(() => sessionsOn('second'), { timeout: 10_000 }).toEqual([]);
});
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

describe("the queue's sessions on another share of the drive server", () => {
  it('removing the drive ends its session on the other share', async () => {
    const d = await addDrive({});
    expect(await downloadFromSecond(d.id)).toMatchObject({ state: 'done', bytesDone: payload.length });
    expect(await sessionsOn('second')).toHaveLength(1);
    await call('drives.remove', { id: d.id });
    drive = undefined;
    await expect.poll(() => sessionsOn('second'), { timeout: 5000 }).toEqual([]);
  });

  it('a new password ends the session of the old one; the next job logs in with the new one', async () => {
    const d = await addDrive({ user: s.user }, s.password);
    expect(await downloadFromSecond(d.id)).toMatchObject({ state: 'done' });
    expect(await sessionsOn('second')).toEqual([{ username: s.user, dialect: expect.any(String) }]);
    await call('drives.update', { id: d.id, drive: { name: d.name, target: d.target, user: s.user }, password: 'not-the-password', savePassword: false });
    await expect.poll(() => sessionsOn('second'), { timeout: 5000 }).toEqual([]);
    // Before the fix the job went through the old session and was done.
    expect(await downloadFromSecond(d.id)).toMatchObject({ state: 'failed', error: { status: 'NT_STATUS_LOGON_FAILURE' } });
    expect(await sessionsOn('second')).toEqual([]);
  });

  it('an edited connection option ends the session; the next job connects with the option', async () => {
    const d = await addDrive({});
    expect(await downloadFromSecond(d.id)).toMatchObject({ state: 'done' });
    const [before] = await sessionsOn('second');
    expect(before?.dialect).toMatch(/3\.1\.1|3_11/);
    await host.services.registry.update(d.id, { options: { maxProtocol: 'SMB3_00' } });
    await expect.poll(() => sessionsOn('second'), { timeout: 5000 }).toEqual([]);
    expect(await downloadFromSecond(d.id)).toMatchObject({ state: 'done' });
    const after = await sessionsOn('second');
    expect(after).toHaveLength(1);
    expect(after[0]?.dialect).toMatch(/3\.0(?!\.)|3_00/);
  });
});
