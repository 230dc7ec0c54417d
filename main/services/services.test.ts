import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectOptions, Credentials } from '../../protocol/index.js';
import { MemoryCredentialStore, type CredentialPrompt } from '../credentials/index.js';
import { FakeNet } from '../supervisor/fake-network.test-helpers.js';
import type { ClientLike, TransitionEvent } from '../supervisor/index.js';
import type { DriveStateChange } from '../transfers/index.js';
import { createServices, type Services, type ServicesOptions } from './services.js';
import { waitSettled } from './wait-settled.js';

const SECRET = 'S3rvices-secret-pw';

let dir: string;
let net: FakeNet;
let store: MemoryCredentialStore;
let services: Services | undefined;
let logins: Credentials[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-services-'));
  net = new FakeNet();
  net.addServer('10.0.0.1:445', { password: SECRET, shares: ['team'] }); // nas.lan resolves to it
  store = new MemoryCredentialStore();
  logins = [];
});
afterEach(async () => {
  await services?.dispose();
  services = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Records every login's credentials on the way to the fake server. */
const recordingConnect = async (o: ConnectOptions): Promise<ClientLike> => {
  const c = await net.connect(o);
  const login = c.login.bind(c);
  return Object.assign(c, { login: (cr: Credentials) => (logins.push(cr), login(cr)) });
};

function make(extra: Partial<ServicesOptions> = {}): Services {
  services = createServices({
    configDir: dir,
    credentialStore: store,
    supervisor: { connect: recordingConnect, resolve: net.resolve, echoIntervalMs: 0, random: () => 0.5 },
    ...extra,
  });
  return services;
}

async function settle(s: Services, ids: string[]) {
  return waitSettled(s.supervisor, ids, 2000);
}

describe('createServices', () => {
  it('reads the password from the keychain by user@host and connects', async () => {
    const s = make();
    const d = await s.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob' });
    await store.set('bob@nas.lan', SECRET);
    await s.loadDrives({ connect: true });
    const [st] = await settle(s, [d.id]);
    expect(st?.state.kind).toBe('connected');
    expect(logins).toEqual([{ kind: 'user', user: 'bob', password: SECRET }]);
  });

  it('a drive without a user logs in as a guest (a null session only where guests are refused)', async () => {
    const s = make();
    const d = await s.registry.add({ name: 'Pub', target: 'smb://nas.lan/team' });
    await s.loadDrives({ connect: true });
    expect((await settle(s, [d.id]))[0]?.state.kind).toBe('connected');
    expect(logins).toEqual([{ kind: 'guest', orAnonymous: true }]);
  });

  it('no stored secret and no prompt: auth-failed, credentials missing', async () => {
    const s = make();
    const d = await s.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob' });
    await s.loadDrives({ connect: true });
    const [st] = await settle(s, [d.id]);
    expect(st?.state).toMatchObject({ kind: 'auth-failed', diagnosis: { reason: 'credentials-missing' } });
  });

  it('asks through the prompt when the keychain cannot be used, and saves nothing', async () => {
    store.setStatus('unavailable');
    const asked: string[] = [];
    const prompt: CredentialPrompt = async ({ account, reason }) => (asked.push(`${account}:${reason}`), { secret: SECRET, remember: true });
    const s = make({ prompt });
    const d = await s.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob', domain: 'CORP' });
    await s.loadDrives({ connect: true });
    expect((await settle(s, [d.id]))[0]?.state.kind).toBe('connected');
    expect(asked).toEqual(['CORP\\bob@nas.lan:unavailable']);
    expect(store.size).toBe(0);
  });

  it('a wrong stored password ends in auth-failed', async () => {
    const s = make();
    const d = await s.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob' });
    await store.set('bob@nas.lan', 'wrong');
    await s.loadDrives({ connect: true });
    expect((await settle(s, [d.id]))[0]?.state).toMatchObject({ kind: 'auth-failed', diagnosis: { reason: 'auth-rejected' } });
  });

  it('transient drives and useCredentials keep their secret in memory only', async () => {
    const s = make();
    s.addTransientDrive({ id: 'cli', name: 'x', target: 'smb://nas.lan/team', alternates: [], options: {}, persistent: false }, { kind: 'user', user: 'z', password: SECRET }, { connect: true });
    expect((await settle(s, ['cli']))[0]?.state.kind).toBe('connected');
    const d = await s.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob' });
    s.useCredentials(d.id, { kind: 'user', user: 'bob', password: SECRET });
    await s.loadDrives({ connect: true });
    expect((await settle(s, [d.id]))[0]?.state.kind).toBe('connected');
    expect(store.size).toBe(0);
    for (const f of await readdir(dir)) expect(await readFile(join(dir, f), 'utf8')).not.toContain(SECRET);
  });

  it('tells onSecret every password before its login: keychain, prompt and given ones (issue 7, secrets)', async () => {
    const told: string[] = [];
    // At each user login, has onSecret been told at least once per user login so far?
    const toldFirst: boolean[] = [];
    let userLogins = 0;
    const connect = async (o: ConnectOptions): Promise<ClientLike> => {
      const c = await recordingConnect(o);
      const login = c.login.bind(c);
      return Object.assign(c, {
        login: (cr: Credentials) => {
          if (cr.kind === 'user') toldFirst.push(told.length >= ++userLogins);
          return login(cr);
        },
      });
    };
    net.server('10.0.0.1:445').password = 'k';
    const prompt: CredentialPrompt = async () => ({ secret: 'k', remember: false });
    const s = make({ onSecret: (x) => told.push(x), prompt, supervisor: { connect, resolve: net.resolve, echoIntervalMs: 0, random: () => 0.5 } });
    const fromKeychain = await s.registry.add({ name: 'A', target: 'smb://nas.lan/team', user: 'amy' });
    await store.set('amy@nas.lan', 'k');
    const prompted = await s.registry.add({ name: 'B', target: 'smb://nas.lan/team', user: 'bob' });
    const given = await s.registry.add({ name: 'C', target: 'smb://nas.lan/team', user: 'cat' });
    s.useCredentials(given.id, { kind: 'user', user: 'cat', password: 'k' });
    const anonymous = await s.registry.add({ name: 'D', target: 'smb://nas.lan/team' });
    await s.loadDrives({ connect: true });
    const states = await settle(s, [fromKeychain.id, prompted.id, given.id, anonymous.id]);
    expect(states.map((x) => x.state.kind)).toEqual(['connected', 'connected', 'connected', 'connected']);
    expect(told).toEqual(['k', 'k', 'k']);
    expect(toldFirst).toEqual([true, true, true]);
  });

  it('loadDrives filters, and follows the registry when told to', async () => {
    const s = make();
    const a = await s.registry.add({ name: 'A', target: 'smb://nas.lan/team', persistent: false });
    await s.registry.add({ name: 'B', target: 'smb://nas.lan/team', persistent: false });
    expect((await s.loadDrives({ filter: (d) => d.name === 'A', follow: true })).map((d) => d.id)).toEqual([a.id]);
    expect(s.supervisor.list().map((x) => x.drive.name)).toEqual(['A']);
    const c = await s.registry.add({ name: 'C', target: 'smb://nas.lan/team', persistent: false });
    expect(s.supervisor.list().map((x) => x.drive.name)).toEqual(['A']); // filtered out
    await s.registry.update(c.id, { name: 'A2' });
    await s.registry.remove(a.id);
    await new Promise((r) => setTimeout(r, 20));
    expect(s.supervisor.list().map((x) => x.drive.name)).toEqual([]);
  });

  it('the tree provider says available exactly while a drive is connected', async () => {
    const s = make();
    const changes: DriveStateChange[] = [];
    const transitions: TransitionEvent[] = [];
    s.trees.onDriveState((c) => changes.push(c));
    s.supervisor.onTransition((e) => transitions.push(e));
    const d = await s.registry.add({ name: 'Pub', target: 'smb://nas.lan/team', persistent: false });
    await s.loadDrives();
    const tree = await s.trees.acquire(d.id);
    expect(tree).toMatchObject({ share: 'team' });
    await s.supervisor.disconnect(d.id);
    expect(transitions.map((t) => t.to)).toEqual(['connecting', 'connected', 'disconnected']);
    expect(changes).toEqual([
      { driveId: d.id, available: true },
      { driveId: d.id, available: false },
    ]);
  });

  it('starts the queue once and disposes everything', async () => {
    const s = make();
    const q1 = await s.startQueue();
    expect(await s.startQueue()).toBe(q1);
    await s.dispose();
    await s.dispose();
    expect(() => s.supervisor.add({ id: 'x', name: 'x', target: 'smb://nas.lan/team', alternates: [], options: {}, persistent: false })).toThrow(/disposed/);
  });
});

describe('waitSettled', () => {
  it('returns at the deadline when an attempt is still in flight', async () => {
    const s = make();
    s.addTransientDrive({ id: 'h', name: 'h', target: 'smb://10.9.9.9/x', alternates: [], options: {}, persistent: false }, { kind: 'anonymous' });
    net.addServer('10.9.9.9:445', { mode: 'hang' });
    s.supervisor.reconnect('h');
    const t0 = Date.now();
    const [st] = await waitSettled(s.supervisor, ['h'], 100);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(st?.state.kind).toBe('connecting');
  });
});
