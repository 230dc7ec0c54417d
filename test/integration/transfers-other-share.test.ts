// Queue transfers on another share of the drive's server (issue 9), through the API service on a
// real smbd as the UI drives it: a drive on `public` downloads a file from the server's `second`
// share into a picked folder (byte-exact), and uploads a picked file and a folder into `second`
// (checked with smbclient, and absent from `public`).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHost, MemoryCredentialStore, type ApiHost, type DriveView, type TransferView } from '../../main/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let host: ApiHost;
let dir: string;
let drive: DriveView;
const folders: string[] = [];
const files: string[] = [];
const payload = randomBytes(3 * 1024 * 1024 + 17);
const call = async (name: string, args: unknown): Promise<unknown> => {
  const r = await host.dispatcher.dispatch(name, args, { clientId: 't', clientSignal: new AbortController().signal, emit: () => undefined });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
};

beforeAll(async () => {
  s = await startSamba({ extraShares: [{ name: 'second', lines: ['guest ok = yes', 'read only = no', 'create mask = 0666', 'directory mask = 0777'] }] });
  const second = s.shareDir('second');
  mkdirSync(join(second, 'in'));
  writeFileSync(join(second, 'in', 'big.bin'), payload);
  for (const p of ['in', 'in/big.bin']) chmodSync(join(second, p), 0o777);
  dir = await mkdtemp(join(tmpdir(), 'sk-other-share-'));
  host = await createApiHost({
    mode: 'electron',
    version: 'test',
    configDir: join(dir, 'config'),
    credentialStore: new MemoryCredentialStore(),
    triggers: false,
    pickFolder: async () => folders.shift(),
    pickFiles: async () => files.splice(0),
  });
  drive = (await call('drives.add', { drive: { name: 'Public', target: `smb://127.0.0.1:${s.port}/public` } })) as DriveView;
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await rm(dir, { recursive: true, force: true });
  await s?.stop();
});

/** Waits until every listed transfer (and its folder's files) has ended; returns the views. */
async function settled(ids: string[]): Promise<TransferView[]> {
  const ended = (v: TransferView) => ['done', 'failed', 'skipped', 'cancelled'].includes(v.state);
  let views: TransferView[] = [];
  await expect
    .poll(
      async () => {
        views = (await call('transfers.list', {})) as TransferView[];
        const mine = views.filter((v) => ids.includes(v.id) || ids.includes(v.parentId ?? ''));
        return mine.length >= ids.length && mine.every(ended);
      },
      { timeout: 30_000, interval: 50 },
    )
    .toBe(true);
  return views.filter((v) => ids.includes(v.id) || ids.includes(v.parentId ?? ''));
}

describe('queue transfers on another share of the drive server', () => {
  it('downloads a file of the second share byte-exact into the picked folder', async () => {
    const dest = join(dir, 'down');
    mkdirSync(dest);
    folders.push(dest);
    const handle = (await call('local.pickFolder', {})) as { id: string };
    const [job] = (await call('transfers.download', { driveId: drive.id, share: 'second', paths: ['in/big.bin'], destination: handle.id })) as TransferView[];
    expect(job).toMatchObject({ share: 'second', remotePath: 'in/big.bin' });
    const [end] = await settled([job!.id]);
    expect(end).toMatchObject({ state: 'done', bytesDone: payload.length });
    expect((await readFile(join(dest, 'big.bin'))).equals(payload)).toBe(true);
  });

  it('uploads a picked file and a folder into the second share, not into the drive own share', async () => {
    const src = join(dir, 'up');
    mkdirSync(join(src, 'tree', 'sub'), { recursive: true });
    const one = randomBytes(200_000);
    writeFileSync(join(src, 'one.bin'), one);
    writeFileSync(join(src, 'tree', 'sub', 'deep.txt'), 'deep in the tree');
    files.push(join(src, 'one.bin'));
    const picked = (await call('local.pickFiles', {})) as { id: string }[];
    folders.push(join(src, 'tree'));
    const folder = (await call('local.pickFolder', {})) as { id: string };
    const jobs = (await call('transfers.upload', { driveId: drive.id, share: 'second', folder: 'in', sources: [picked[0]!.id, folder.id] })) as TransferView[];
    const ends = await settled(jobs.map((j) => j.id));
    expect(ends.filter((v) => v.state !== "done")).toEqual([]);

    const back = join(dir, 'back.bin');
    const got = await s.smbclient(['//127.0.0.1/second', '-c', `get in/one.bin ${back}`], { auth: 'guest' });
    expect(got.code, got.stderr + got.stdout).toBe(0);
    expect((await readFile(back)).equals(one)).toBe(true);
    const ls = await s.smbclient(['//127.0.0.1/second', '-c', 'ls in/tree/sub/*'], { auth: 'guest' });
    expect(ls.stdout).toContain('deep.txt');
    expect(await readFile(join(s.shareDir('second'), 'in', 'tree', 'sub', 'deep.txt'), 'utf8')).toBe('deep in the tree');
    const pub = await s.smbclient(['//127.0.0.1/public', '-c', 'ls'], { auth: 'guest' });
    expect(pub.stdout).not.toContain('one.bin');
    expect(pub.stdout).not.toContain('tree');
  });
});
