import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SmbError, type Credentials } from '../../protocol/index.js';
import { drive, FakeNet, type FakeClient, type FakeServer } from './fake-network.test-helpers.js';
import { DriveSupervisor, type SupervisorOptions } from './supervisor.js';
import { DriveUnavailableError } from './types.js';
import type { DriveStateKind } from './drive-state.js';

let net: FakeNet;
let sup: DriveSupervisor;
let password: string;

function make(opts: Partial<SupervisorOptions> = {}): DriveSupervisor {
  sup = new DriveSupervisor({
    credentials: async (d): Promise<Credentials> => ({ kind: 'user', user: d.user ?? '', password }),
    connect: net.connect,
    resolve: net.resolve,
    random: () => 0.5,
    connectTimeoutMs: 3000,
    ...opts,
  });
  return sup;
}

const kinds = (id: string): DriveStateKind[] => sup.history(id).map((e) => e.to);

beforeEach(() => {
  vi.useFakeTimers();
  net = new FakeNet();
  password = 'pw';
});
afterEach(async () => {
  await sup?.dispose();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('connecting', () => {
  it('a persistent drive connects when added and is Connected with a reason', async () => {
    net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://nas.lan/share/sub/dir', { persistent: true }));
    expect(sup.status('d').state.kind).toBe('connecting');
    await vi.advanceTimersByTimeAsync(20);
    const s = sup.status('d');
    expect(s.state.kind).toBe('connected');
    expect(s.state.diagnosis.reason).toBe('connected');
    expect(s.rootPath).toBe('sub/dir');
    expect(kinds('d')).toEqual(['connecting', 'connected']);
  });

  it('a non-persistent drive stays Disconnected until acquire()', async () => {
    net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sup.status('d').state).toMatchObject({ kind: 'disconnected', diagnosis: { reason: 'not-connected' } });
    const tree = sup.acquire('d');
    await vi.advanceTimersByTimeAsync(20);
    expect(await tree).toMatchObject({ share: 'share' });
    expect(sup.status('d').state.kind).toBe('connected');
  });

  it('a name that does not resolve is Unavailable with reason dns', async () => {
    make().add(drive('d', 'smb://nowhere.invalid/share'));
    const err = await sup.acquire('d').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriveUnavailableError);
    expect(sup.status('d').state).toMatchObject({ kind: 'unavailable', diagnosis: { reason: 'dns' } });
  });

  it('a refused share is Unavailable with reason share-refused', async () => {
    net.addServer('10.0.0.1:445', { shares: ['other'] });
    make().add(drive('d', 'smb://10.0.0.1/share'));
    const p = sup.acquire('d').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(20);
    expect(await p).toBeInstanceOf(DriveUnavailableError);
    expect(sup.status('d').state.diagnosis.reason).toBe('share-refused');
  });
});

describe('backoff and retries', () => {
  it('retries a refused server with growing delays and connects when it returns', async () => {
    const server = net.addServer('10.0.0.1:445', { mode: 'refused' });
    make({ backoff: { initialMs: 500, maxMs: 30_000, jitter: 0 } }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(1);
    const s = sup.status('d').state;
    expect(s).toMatchObject({ kind: 'unavailable', attempt: 1, diagnosis: { reason: 'tcp-refused' } });
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      const st = sup.status('d').state;
      if (st.kind !== 'unavailable') throw new Error('expected unavailable');
      delays.push(st.nextAttemptAt - st.since);
      await vi.advanceTimersByTimeAsync(st.nextAttemptAt - Date.now() + 1);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(net.connects).toBe(9);
    server.mode = 'ok';
    await vi.advanceTimersByTimeAsync(30_020);
    expect(sup.status('d').state.kind).toBe('connected');
  });

  it('a reachability probe reconnects within 2 s of the server taking connections, whatever the backoff', async () => {
    const server = net.addServer('10.0.0.1:445', { mode: 'refused' });
    make({ backoff: { initialMs: 500, maxMs: 30_000, jitter: 0 }, tcpProbe: net.tcpProbe }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(120_000); // a long outage: the backoff is at its 30 s cap
    const st = sup.status('d').state;
    expect(st).toMatchObject({ kind: 'unavailable' });
    const fullAttempts = net.connects;
    expect(fullAttempts).toBeLessThan(12); // the probes did not turn into login attempts
    expect(net.probes).toBeGreaterThan(40); // one every 1-2 s
    server.mode = 'ok';
    const back = Date.now();
    while (sup.status('d').state.kind !== 'connected' && Date.now() - back < 5000) await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state.kind).toBe('connected');
    expect(Date.now() - back).toBeLessThanOrEqual(2000);
  });

  it('no probes while a server takes TCP but refuses the logon: that waits for the backoff', async () => {
    net.addServer('10.0.0.1:445', { password: 'other' });
    make({ tcpProbe: net.tcpProbe }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sup.status('d').state.kind).toBe('auth-failed');
    expect(net.probes).toBe(0);
  });

  it('a network change retries an Unavailable drive at once and resets the backoff', async () => {
    const server = net.addServer('10.0.0.1:445', { mode: 'refused' });
    make({ backoff: { jitter: 0 } }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    for (let i = 0; i < 6; i++) await vi.advanceTimersByTimeAsync(20_000);
    const before = sup.status('d').state;
    expect(before).toMatchObject({ kind: 'unavailable' });
    server.mode = 'ok';
    sup.notifyNetworkChange({ added: ['tun0'], removed: [], changed: [], vpn: true });
    await vi.advanceTimersByTimeAsync(20);
    expect(sup.status('d').state.kind).toBe('connected');
    const last = sup.history('d').at(-2);
    expect(last).toMatchObject({ to: 'reconnecting', reason: 'network-change' });
    expect(last?.message).toContain('VPN');
  });

  it('wake (a long gap between ticks) retries at once', async () => {
    const server = net.addServer('10.0.0.1:445', { mode: 'refused' });
    make({ backoff: { initialMs: 60_000, maxMs: 60_000, jitter: 0 } }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    sup.start({ network: false });
    await vi.advanceTimersByTimeAsync(1);
    expect(sup.status('d').state.kind).toBe('unavailable');
    server.mode = 'ok';
    vi.setSystemTime(Date.now() + 3_600_000); // slept an hour: timers did not run
    await vi.advanceTimersByTimeAsync(1020);
    expect(sup.status('d').state.kind).toBe('connected');
    expect(sup.history('d').some((e) => e.reason === 'wake')).toBe(true);
  });

  it('one attempt at a time per server', async () => {
    net.addServer('10.0.0.1:445', { mode: 'hang' });
    make();
    for (const id of ['a', 'b', 'c']) sup.add(drive(id, 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.maxInFlight).toBe(1);
    expect(net.connects).toBeGreaterThanOrEqual(3);
    // An SmbClient.connect in flight cannot be cancelled; it ends at its own deadline.
    await sup.dispose();
    await vi.advanceTimersByTimeAsync(3000);
  });
});

describe('alternates', () => {
  it('uses the alternate when the primary cannot be reached', async () => {
    net.addServer('10.0.0.2:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { alternates: ['smb://10.0.0.2/share'], persistent: true }));
    await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state).toMatchObject({ kind: 'connected', target: 'smb://10.0.0.2/share' });
    expect(net.connectLog).toEqual(['10.0.0.1:445', '10.0.0.2:445']);
  });

  it('an auth failure on the primary does not try the alternates', async () => {
    net.addServer('10.0.0.1:445', { password: 'other' });
    net.addServer('10.0.0.2:445', { password: 'other' });
    make().add(drive('d', 'smb://10.0.0.1/share', { alternates: ['smb://10.0.0.2/share'], persistent: true }));
    await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state).toMatchObject({ kind: 'auth-failed', diagnosis: { reason: 'auth-rejected' } });
    expect(net.connectLog).toEqual(['10.0.0.1:445']);
  });
});

describe('auth failure', () => {
  it('stops after exactly one attempt until credentials change', async () => {
    net.addServer('10.0.0.1:445', { password: 'right' });
    password = 'wrong';
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    sup.start();
    await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state.kind).toBe('auth-failed');
    sup.notifyNetworkChange();
    sup.notifyWake();
    sup.reconnect('d');
    await expect(sup.acquire('d')).rejects.toBeInstanceOf(DriveUnavailableError);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(net.logins).toBe(1);
    password = 'right';
    const p = sup.updateCredentials('d');
    await vi.advanceTimersByTimeAsync(50);
    await p;
    expect(sup.status('d').state.kind).toBe('connected');
    expect(kinds('d')).toEqual(['connecting', 'auth-failed', 'connecting', 'connected']);
  });

  it('no stored credentials is AuthFailed (credentials-missing), with no connection made', async () => {
    net.addServer('10.0.0.1:445');
    make({ credentials: async () => undefined }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state).toMatchObject({ kind: 'auth-failed', diagnosis: { reason: 'credentials-missing' } });
    expect(net.connects).toBe(0);
  });
});

describe('keepalive and drops', () => {
  it('a blackholed server is noticed within 5 s by ECHO', async () => {
    const server = net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    expect(sup.status('d').state.kind).toBe('connected');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(net.echoes).toBeGreaterThanOrEqual(4);
    server.echoHangs = true;
    server.mode = 'refused';
    const cut = Date.now();
    let seenAt = 0;
    sup.onTransition((e) => {
      if (e.to === 'unavailable' && seenAt === 0) seenAt = e.at;
    });
    await vi.advanceTimersByTimeAsync(6000);
    expect(seenAt).toBeGreaterThan(0);
    expect(seenAt - cut).toBeLessThanOrEqual(5000);
    const reasons = sup.history('d').map((e) => `${e.to}:${e.reason}`);
    expect(reasons).toContain('reconnecting:keepalive-timeout');
    expect(reasons).toContain('unavailable:tcp-refused');
  });

  it('an idle close by the server is Disconnected, not a failure, and acquire reconnects', async () => {
    net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    const [client] = [...net.open];
    client?.serverClosesIdle();
    await vi.advanceTimersByTimeAsync(5000);
    expect(sup.status('d').state).toMatchObject({ kind: 'disconnected', diagnosis: { reason: 'idle-disconnect' } });
    expect(net.logins).toBe(1); // the reachability check does not log in
    const p = sup.acquire('d');
    await vi.advanceTimersByTimeAsync(20);
    await p;
    expect(kinds('d')).toEqual(['connecting', 'connected', 'disconnected', 'connecting', 'connected']);
  });

  it('a close when the server has gone is Unavailable, retried', async () => {
    const server = net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    server.mode = 'refused';
    [...net.open][0]?.serverClosesIdle();
    await vi.advanceTimersByTimeAsync(5);
    expect(sup.status('d').state).toMatchObject({ kind: 'unavailable', diagnosis: { reason: 'tcp-refused' } });
    server.mode = 'ok';
    await vi.advanceTimersByTimeAsync(1000);
    expect(sup.status('d').state.kind).toBe('connected');
  });
});

describe('logging in again after a drop (PreviousSessionId, MS-SMB2 3.2.4.2.3)', () => {
  it('names the session of the dropped connection, to the same server only', async () => {
    net.addServer('10.0.0.1:445');
    const alt = net.addServer('10.0.0.2:445', { mode: 'refused' });
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true, alternates: ['smb://10.0.0.2/share'] }));
    await vi.advanceTimersByTimeAsync(20);
    expect(sup.status('d').state.kind).toBe('connected');
    const firstId = net.lastSessionId;
    [...net.open][0]?.fail(new SmbError('timeout', 'no response to ECHO in 2500 ms', { operation: 'echo' }));
    await vi.advanceTimersByTimeAsync(50);
    expect(sup.status('d').state.kind).toBe('connected');
    expect(net.loginLog).toEqual([
      { key: '10.0.0.1:445', previousSessionId: undefined },
      { key: '10.0.0.1:445', previousSessionId: firstId },
    ]);
    // The primary goes away: the alternate is a different server, which never heard of that session.
    net.server('10.0.0.1:445').mode = 'refused';
    alt.mode = 'ok';
    [...net.open][0]?.fail(new SmbError('timeout', 'no response to ECHO in 2500 ms', { operation: 'echo' }));
    await vi.advanceTimersByTimeAsync(1000);
    expect(sup.status('d').state.kind).toBe('connected');
    expect(net.loginLog.at(-1)).toEqual({ key: '10.0.0.2:445', previousSessionId: undefined });
  });
});

describe('checkAlive (a slow operation in the mount)', () => {
  async function connectedWithActivity(): Promise<{ client: FakeClient; server: FakeServer }> {
    const server = net.addServer('10.0.0.1:445');
    make({ echoIntervalMs: 0 }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    const client = [...net.open][0]!;
    client.lastReceivedAt = Date.now();
    return { client, server };
  }

  it('a busy link whose ECHO answer is slow but which keeps delivering is not dropped', async () => {
    const { client, server } = await connectedWithActivity();
    server.echoDelayMs = 1800; // queued behind bulk data, within the keepalive deadline (2.5 s)
    const feed = setInterval(() => (client.lastReceivedAt = Date.now()), 100);
    sup.checkAlive('d', 500);
    await vi.advanceTimersByTimeAsync(2500);
    clearInterval(feed);
    expect(sup.status('d').state.kind).toBe('connected');
    expect(kinds('d')).toEqual(['connecting', 'connected']);
  });

  it('a server that sends nothing at all is given up after the check deadline', async () => {
    const { server } = await connectedWithActivity();
    server.echoHangs = true;
    const t0 = Date.now();
    let droppedAt = 0;
    sup.onTransition((e) => {
      if (droppedAt === 0 && e.to !== 'connected') droppedAt = e.at;
    });
    sup.checkAlive('d', 500);
    await vi.advanceTimersByTimeAsync(600);
    expect(droppedAt - t0).toBeGreaterThanOrEqual(500);
    expect(droppedAt - t0).toBeLessThan(600);
    expect(sup.history('d').map((e) => `${e.to}:${e.reason}`)).toContain('unavailable:keepalive-timeout');
    await vi.advanceTimersByTimeAsync(3000);
  });

  it('a client that does not tell when it last received: an ECHO with the check deadline, as before', async () => {
    const server = net.addServer('10.0.0.1:445');
    make({ echoIntervalMs: 0 }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    server.echoDelayMs = 800;
    sup.checkAlive('d', 500);
    await vi.advanceTimersByTimeAsync(600);
    expect(sup.history('d').map((e) => `${e.to}:${e.reason}`)).toContain('unavailable:keepalive-timeout');
    server.echoDelayMs = undefined;
    await vi.advanceTimersByTimeAsync(3000);
  });
});

describe('user actions and lifetime', () => {
  it('disable closes the client and refuses acquire; enable comes back', async () => {
    net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(20);
    await sup.disable('d');
    expect(net.open.size).toBe(0);
    await expect(sup.acquire('d')).rejects.toMatchObject({ state: 'disabled' });
    sup.enable('d');
    await vi.advanceTimersByTimeAsync(20);
    expect(sup.status('d').state.kind).toBe('connected');
  });

  it('keeps a bounded history', async () => {
    net.addServer('10.0.0.1:445', { mode: 'refused' });
    make({ historyLimit: 5, backoff: { initialMs: 10, maxMs: 10 } }).add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    await vi.advanceTimersByTimeAsync(500);
    expect(sup.history('d')).toHaveLength(5);
  });

  it('dispose during an attempt leaves no timers and closes late clients', async () => {
    net.addServer('10.0.0.1:445');
    make().add(drive('d', 'smb://10.0.0.1/share', { persistent: true }));
    sup.start();
    await sup.dispose();
    await vi.advanceTimersByTimeAsync(50);
    expect(net.open.size).toBe(0);
  });
});
