// Where the drive connects to, on a real network path (network namespaces, see fault-rig.ts): the
// host name moves to another address, a VPN-shaped interface comes up while the primary goes dark
// (the alternate target takes over), and a wrong password (one failed logon, then AuthFailed).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { CONNECT_TIMEOUT_MS, connectedAgent, driveAt, HOST_NAME, hostsText, openRig, skipReason, sleep, type FaultRig } from './fault-rig.js';
import { SERVER_IP, SERVER_IP2 } from './netns-lab.js';
import { checkFigure, ECHO_INTERVAL_MS, ECHO_TIMEOUT_MS } from './figures.js';

describe.skipIf(skipReason !== undefined)('faults: targets, names and credentials in network namespaces', () => {
  let rig: FaultRig;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    rig = await openRig('tgt');
  });
  afterAll(async () => {
    await rig?.close();
  });
  afterEach(async () => {
    await rig.stopAgents();
    for (const c of cleanups.splice(0)) await c();
    await rig.lab.clearBlackholes();
    await writeFile(rig.hostsFile, hostsText(SERVER_IP));
  });

  it('the host name moves to another address: it is resolved again and reconnected', async () => {
    const agent = await connectedAgent(rig, driveAt(rig, HOST_NAME));
    const movedAt = Date.now();
    // In place: the agent's /etc/hosts is a bind mount of this very inode.
    await writeFile(rig.hostsFile, hostsText(SERVER_IP2));
    await rig.lab.blackhole(SERVER_IP);
    const back = await agent.waitTransition('connected', movedAt, 20_000);
    const ms = back.at - movedAt;
    console.log(`[faults] host name moved (${SERVER_IP} → ${SERVER_IP2}): reconnected in ${ms} ms; trail ${agent.trail().join(' ')}`);
    // Noticed by the keepalive (interval + deadline), then one fresh resolve and connect.
    expect(ms).toBeLessThanOrEqual(ECHO_INTERVAL_MS + ECHO_TIMEOUT_MS + 2000);
    expect(agent.trail()).toContain('reconnecting:keepalive-timeout');
    expect(await agent.call('readdir', { path: '' })).toBeInstanceOf(Array);
  });

  it('a VPN interface comes up while the primary goes dark: the drive moves to its alternate', async () => {
    const alternate = `smb://${SERVER_IP2}:${rig.server.port}/private`;
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP, { alternates: [alternate] }));
    expect(agent.transitions().at(-1)?.target).toBe(driveAt(rig, SERVER_IP).target);
    await rig.lab.blackhole(SERVER_IP);
    const { upAt, down } = await rig.lab.vpnUp('tun-sk0', '10.201.0.1/24');
    cleanups.push(down);
    const back = await agent.waitTransition('connected', upAt, 20_000, (t) => t.target === alternate);
    const seen = agent.notes.find((n) => n.event === 'log' && n.at >= upAt && n.message.includes('VPN network change'));
    checkFigure('VPN interface up → connected via the alternate', back.at - upAt, 2000, 2000);
    console.log(`[faults] VPN: trail ${agent.trail().join(' ')}; watcher: ${seen?.event === 'log' ? seen.message : 'no VPN change seen'}`);
    expect(seen).toBeDefined();
    expect(await agent.call('readdir', { path: '' })).toBeInstanceOf(Array);
  });

  it('a wrong password is AuthFailed after one attempt, with one failed logon in the server log', async () => {
    const before = failedLogons(await rig.server.logText(), rig.server.user);
    const agent = rig.agent();
    const startAt = Date.now();
    await agent.call('start', { drive: driveAt(rig, SERVER_IP), password: 'wrong-password', connectTimeoutMs: CONNECT_TIMEOUT_MS, network: true });
    const failed = await agent.waitTransition('auth-failed', startAt, 10_000);
    expect(failed.reason).toBe('auth-rejected');
    // Nothing tries again on its own: not the retry timer, not the interface poll.
    await sleep(3000);
    expect(agent.trail()).toEqual(['connecting:startup', 'auth-failed:auth-rejected']);
    const after = failedLogons(await rig.server.logText(), rig.server.user);
    console.log(`[faults] wrong password: auth-failed in ${failed.at - startAt} ms; failed logons in the Samba log: ${after - before}`);
    expect(after - before).toBe(1);
    await agent.call('password', { password: rig.server.password });
    await agent.call('updateCredentials', null);
    await agent.waitTransition('connected', startAt, 10_000);
  });
});

/** Failed logons of `user` that Samba's auth_audit logged ("... user [DOMAIN]\[user] ... status [NT_STATUS_...]"). */
function failedLogons(log: string, user: string): number {
  return log.split('\n').filter((l) => l.includes('Auth:') && l.includes(`\\[${user}]`) && /status \[NT_STATUS_(?!OK\])/.test(l)).length;
}
