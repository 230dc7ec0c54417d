import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DriveError, DriveStoreCorruptError, DriveValidationError } from './drive-errors.js';
import type { DriveRegistryEvent } from './drive-registry.js';
import { defaultConfigDir, JsonDriveRegistry } from './json-drive-registry.js';
import { validateDrivesFile } from './drive-validation.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-drives-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const now = () => new Date('2026-01-02T03:04:05.678Z');
let n = 0;
const makeId = () => `id-${++n}`;
const make = (d = dir) => new JsonDriveRegistry(d, { now, makeId });

describe('JsonDriveRegistry', () => {
  it('starts empty without a file, and saves schema 1 atomically (no temp files left)', async () => {
    const reg = make(join(dir, 'sub'));
    expect(await reg.list()).toEqual([]);
    const d = await reg.add({ name: 'Media', target: 'smb://nas/media', alternates: ['10.0.0.2', 'nas.vpn:4450'], user: 'bob' });
    expect(d).toMatchObject({ name: 'Media', persistent: true, options: {}, user: 'bob' });
    const saved = JSON.parse(await readFile(join(dir, 'sub', 'drives.json'), 'utf8')) as unknown;
    expect(validateDrivesFile(saved).drives).toEqual([d]);
    expect(await readdir(join(dir, 'sub'))).toEqual(['drives.json']);
    // A fresh instance reads what was written.
    expect(await make(join(dir, 'sub')).list()).toEqual([d]);
  });

  it('gets, updates, removes and announces each change', async () => {
    const reg = make();
    const events: DriveRegistryEvent[] = [];
    const off = reg.onDidChange((e) => events.push(e));
    const d = await reg.add({ name: 'A', target: 'smb://nas/a', user: 'u', domain: 'D' });
    const u = await reg.update(d.id, { name: 'B', user: undefined, domain: undefined, options: { minProtocol: 'SMB3_00', requireSigning: true } });
    expect(u).toEqual({ ...d, name: 'B', user: undefined, domain: undefined, options: { minProtocol: 'SMB3_00', requireSigning: true } });
    expect(Object.keys(u)).not.toContain('user');
    expect(await reg.get(d.id)).toEqual(u);
    expect(await reg.remove(d.id)).toBe(true);
    expect(await reg.remove(d.id)).toBe(false);
    off();
    await reg.add({ name: 'C', target: 'smb://nas/c' });
    expect(events.map((e) => e.type)).toEqual(['added', 'updated', 'removed']);
  });

  it('returns copies: mutating a result does not change the registry', async () => {
    const reg = make();
    const d = await reg.add({ name: 'A', target: 'smb://nas/a' });
    d.name = 'changed';
    (await reg.list())[0]!.alternates.push('x');
    expect(await reg.get(d.id)).toMatchObject({ name: 'A', alternates: [] });
  });

  it('refuses invalid drives, duplicates, unknown ids and any password field', async () => {
    const reg = make();
    await expect(reg.add({ name: 'A', target: 'smb://nas' })).rejects.toBeInstanceOf(DriveValidationError);
    await expect(reg.add({ name: '', target: 'smb://nas/a' })).rejects.toThrow('drive.name: must not be empty');
    await expect(reg.add({ name: 'A', target: 'smb://nas/a', password: 'hunter2' } as never)).rejects.toThrow(
      /drive.password: secrets are never stored/,
    );
    await expect(reg.add({ name: 'A', target: 'smb://nas/a', options: { minProtocol: 'SMB3_11', maxProtocol: 'SMB2_10' } })).rejects.toThrow(
      'newer than maxProtocol',
    );
    await expect(reg.add({ name: 'A', target: 'smb://nas/a', options: { maxProtocol: 'SMB1' as never } })).rejects.toThrow('must be one of');
    await expect(reg.add({ name: 'A', target: 'smb://alice@nas/a', user: 'bob' })).rejects.toThrow('differs from the user');
    await reg.add({ id: 'x', name: 'A', target: 'smb://nas/a' });
    await expect(reg.add({ id: 'x', name: 'A', target: 'smb://nas/a' })).rejects.toMatchObject({ code: 'duplicate' });
    await expect(reg.update('nope', { name: 'B' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(reg.update('x', { alternates: ['bad host/x'] })).rejects.toThrow('drive.alternates[0]');
    expect(await reg.list()).toHaveLength(1);
  });

  it('serializes concurrent changes', async () => {
    const reg = make();
    await Promise.all(Array.from({ length: 10 }, (_, i) => reg.add({ name: `D${i}`, target: `smb://nas/s${i}` })));
    expect(await make().list()).toHaveLength(10);
  });

  it.each([
    ['not JSON', '{"schemaVersion": 1, "drives": [', /not JSON/],
    ['unknown schema', '{"schemaVersion": 2, "drives": []}', /unknown schema version 2/],
    ['bad drive', '{"schemaVersion": 1, "drives": [{"id": "a"}]}', /drives\[0\]\.name/],
    ['stored password', '{"schemaVersion":1,"drives":[{"id":"a","name":"A","target":"smb://h/s","alternates":[],"options":{},"persistent":true,"password":"pw"}]}', /drives\[0\]\.password/],
  ])('moves a corrupt file aside and reports it (%s)', async (_label, body, detail) => {
    const file = join(dir, 'drives.json');
    await writeFile(file, body);
    const reg = make();
    const events: DriveRegistryEvent[] = [];
    reg.onDidChange((e) => events.push(e));
    expect(await reg.list()).toEqual([]);
    const aside = `${file}.corrupt-2026-01-02T03-04-05-678Z`;
    expect(await readFile(aside, 'utf8')).toBe(body);
    expect(events).toHaveLength(1);
    const ev = events[0]!;
    expect(ev.type).toBe('corrupt');
    const err = ev.type === 'corrupt' ? ev.error : undefined;
    expect(err).toBeInstanceOf(DriveStoreCorruptError);
    expect(err?.movedTo).toBe(aside);
    expect(err?.message).toMatch(detail);
    expect(reg.loadProblem).toBe(err);
    // The next save writes a new file; the corrupt one stays where it was moved.
    await reg.add({ name: 'A', target: 'smb://nas/a' });
    expect(await readFile(aside, 'utf8')).toBe(body);
    expect((await readdir(dir)).sort()).toEqual(['drives.json', 'drives.json.corrupt-2026-01-02T03-04-05-678Z']);
  });

  it('does not overwrite an earlier corrupt copy with the same timestamp', async () => {
    const file = join(dir, 'drives.json');
    await writeFile(file, 'one');
    await make().list();
    await writeFile(file, 'two');
    await make().list();
    expect(await readFile(`${file}.corrupt-2026-01-02T03-04-05-678Z`, 'utf8')).toBe('one');
    expect(await readFile(`${file}.corrupt-2026-01-02T03-04-05-678Z-1`, 'utf8')).toBe('two');
  });

  it('reports an unreadable file as an io error without moving it', async () => {
    // A folder where the file should be: read fails with EISDIR, not a parse error.
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'drives.json'));
    const err = await make().list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriveError);
    expect(err).toMatchObject({ code: 'io' });
    expect(await readdir(dir)).toEqual(['drives.json']);
  });
});

describe('defaultConfigDir', () => {
  it('follows XDG on Linux and Electron userData elsewhere', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u', 'linux')).toBe('/x/cfg/sharekeeper');
    expect(defaultConfigDir({}, '/home/u', 'linux')).toBe('/home/u/.config/sharekeeper');
    expect(defaultConfigDir({ XDG_CONFIG_HOME: 'relative' }, '/home/u', 'linux')).toBe('/home/u/.config/sharekeeper');
    expect(defaultConfigDir({}, '/Users/u', 'darwin')).toBe('/Users/u/Library/Application Support/sharekeeper');
  });
});
