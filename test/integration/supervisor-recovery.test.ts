// The drive supervisor against a real Samba behind a TCP forwarder that the tests break and mend:
// outage and recovery times, a wrong password, alternates, an idle close by the server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DriveSupervisor, type DriveStateKind, type SupervisedDrive, type TransitionEvent } from '../../main/supervisor/index.js';
import { findFreePort } from '../harness/free-port.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { TcpForwarder } from './supervisor-forwarder.js';

let server: SambaServer;
let fwd: TcpForwarder;
let sup: DriveSupervisor | undefined;
let password: string;

beforeAll(async () => {
  server = await startSamba();
  await writeFile(join(server.shareDir('private'), 'marker.txt'), 'here');
});
afterAll(async () => {
  await server?.stop();
});
afterEach(async () => {
  await sup?.dispose();
  sup = undefined;
  await fwd?.stop();
});

function drive(port: number, extra: Partial<SupervisedDrive> = {}): SupervisedDrive {
  return { id: 'd', name: 'test drive', target: `smb://127.0.0.1:${port}/private`, alternates: [], user: server.user, options: {}, persistent: true, ...extra };
}

async function setup(d: (fwdPort: number) => SupervisedDrive): Promise<DriveSupervisor> {
  fwd = await TcpForwarder.start(server.port);
  password = server.password;
  sup = new DriveSupervisor({
    credentials: async (dr) => ({ kind: 'user', user: dr.user ?? '', password }),
    connectTimeoutMs: 3000,
    random: () => 1,
  });
  sup.add(d(fwd.port));
  return sup;
}

/** Resolves with the time of the first transition to `kind` (after now), or rejects after ms. */
function waitFor(s: DriveSupervisor, kind: DriveStateKind, ms: number): Promise<TransitionEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${kind} within ${ms} ms; history ${s.history('d').map((e) => `${e.to}:${e.reason}`).join(' ')}`));
    }, ms);
    const off = s.onTransition((e) => {
      if (e.to !== kind) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

async function connected(s: DriveSupervisor): Promise<void> {
  const kind = s.status('d').state.kind;
  if (kind === 'connecting' || kind === 'reconnecting') await waitFor(s, 'connected', 10_000);
  const names = (await (await s.acquire('d')).readdir('')).map((e) => e.name);
  expect(names).toContain('marker.txt');
}

const trail = (s: DriveSupervisor): string[] => s.history('d').map((e) => `${e.to}:${e.reason}`);

describe('outage and recovery through a forwarder', () => {
  it('a blackholed path is noticed by ECHO within 5 s, and the drive is back within 2 s of restore', async () => {
    const s = await setup((p) => drive(p));
    await connected(s);
    const unavailable = waitFor(s, 'unavailable', 8000);
    const cutAt = Date.now();
    await fwd.blackhole();
    const u = await unavailable;
    const detectMs = u.at - cutAt;
    await new Promise((r) => setTimeout(r, 1000));
    const back = waitFor(s, 'connected', 8000);
    const restoreAt = Date.now();
    await fwd.restore();
    const c = await back;
    const recoverMs = c.at - restoreAt;
    console.log(`[supervisor] blackhole → unavailable in ${detectMs} ms; restore → connected in ${recoverMs} ms`);
    expect(trail(s)).toContain('reconnecting:keepalive-timeout');
    expect(detectMs).toBeLessThanOrEqual(5000);
    expect(recoverMs).toBeLessThanOrEqual(2000);
    await connected(s);
  });

  it('a cut (listener gone, connections closed) is Unavailable at once, and recovers', async () => {
    const s = await setup((p) => drive(p));
    await connected(s);
    const unavailable = waitFor(s, 'unavailable', 8000);
    const cutAt = Date.now();
    await fwd.cut();
    const u = await unavailable;
    expect(u.reason).toBe('tcp-refused');
    const detectMs = u.at - cutAt;
    await new Promise((r) => setTimeout(r, 1000));
    const back = waitFor(s, 'connected', 8000);
    const restoreAt = Date.now();
    await fwd.restore();
    const recoverMs = (await back).at - restoreAt;
    console.log(`[supervisor] cut → unavailable in ${detectMs} ms; restore → connected in ${recoverMs} ms`);
    expect(detectMs).toBeLessThanOrEqual(5000);
    expect(recoverMs).toBeLessThanOrEqual(2000);
    await connected(s);
  });
});

describe('credentials, alternates, idle close', () => {
  it('a wrong password is AuthFailed after exactly one attempt, and new credentials connect', async () => {
    const s = await setup((p) => drive(p));
    // setup() read the right password; make the first attempt use a wrong one.
    password = 'wrong-password';
    await s.remove('d');
    const before = fwd.accepted;
    s.add(drive(fwd.port));
    const failed = await waitFor(s, 'auth-failed', 10_000);
    expect(failed.reason).toBe('auth-rejected');
    expect(failed.message).toContain('LOGON_FAILURE');
    s.notifyNetworkChange();
    s.notifyWake();
    s.reconnect('d');
    await expect(s.acquire('d')).rejects.toMatchObject({ state: 'auth-failed' });
    await new Promise((r) => setTimeout(r, 3000));
    expect(fwd.accepted - before).toBe(1);
    password = server.password;
    await s.updateCredentials('d');
    await connected(s);
  });

  it('uses the alternate target when the primary port is dead', async () => {
    const dead = await findFreePort();
    const s = await setup((p) => drive(dead, { alternates: [`smb://127.0.0.1:${p}/private`] }));
    await connected(s);
    expect(s.status('d').state).toMatchObject({ kind: 'connected', target: `smb://127.0.0.1:${fwd.port}/private` });
  });

  it('an idle close by the server is Disconnected (not a failure) and acquire reconnects', async () => {
    const s = await setup((p) => drive(p));
    await connected(s);
    const disc = waitFor(s, 'disconnected', 5000);
    fwd.closeClients();
    expect(await disc).toMatchObject({ reason: 'idle-disconnect' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.status('d').state.kind).toBe('disconnected');
    await connected(s);
    const kinds = trail(s);
    expect(kinds.some((k) => k.startsWith('unavailable') || k.startsWith('reconnecting'))).toBe(false);
  });
});
