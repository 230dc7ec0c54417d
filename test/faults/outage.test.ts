// Outages on a real network path (network namespaces, see fault-rig.ts): the server's link down
// for 10 s with the drive idle and during a copy, a permanent silent blackhole, and smbd restarted
// in the middle of a copy. Prints the measured figures with a [faults] prefix.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { connectedAgent, driveAt, openRig, skipReason, sleep, type FaultRig } from './fault-rig.js';
import { SERVER_IP } from './netns-lab.js';
import { checkFigure } from './figures.js';

const MiB = 1024 * 1024;
/** Big enough that a copy at RATE_MBIT lasts a few seconds (about 2.5 s undisturbed). */
const FILE_SIZE = 48 * MiB;
const RATE_MBIT = 160;
const OUTAGE_MS = 10_000;

describe.skipIf(skipReason !== undefined)('faults: outages in network namespaces', () => {
  let rig: FaultRig;
  let sum: string;

  beforeAll(async () => {
    rig = await openRig('out');
    sum = await makeRandomFile(join(rig.server.shareDir('private'), 'big.bin'), FILE_SIZE);
  });
  afterAll(async () => {
    await rig?.close();
  });
  afterEach(async () => {
    await rig.stopAgents();
    await rig.lab.serverLink(true);
    await rig.lab.clearBlackholes();
    await rig.lab.limitServerRate(undefined);
  });

  it('link down 10 s with the drive idle: the drive is lost, and Connected within 2 s of the link', async () => {
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP));
    const downAt = Date.now();
    await rig.lab.serverLink(false);
    const lost = await agent.waitTransition('reconnecting', downAt, 8000);
    await sleep(OUTAGE_MS - (Date.now() - downAt));
    const upAt = Date.now();
    await rig.lab.serverLink(true);
    const back = await agent.waitTransition('connected', upAt, 10_000);
    console.log(`[faults] link down 10 s (idle): lost after ${lost.at - downAt} ms (${lost.reason}); trail ${agent.trail().join(' ')}`);
    checkFigure('link up → connected (idle drive)', back.at - upAt, 2000, 2000);
    expect(await agent.call('readdir', { path: '' })).toContain('big.bin');
  });

  it('link down 10 s during a copy: the copy pauses, resumes and completes byte-exact', async () => {
    await rig.lab.limitServerRate(RATE_MBIT);
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP));
    const local = join(rig.dir, 'link-copy.bin');
    const job = await agent.call('download', { remotePath: 'big.bin', localPath: local, configDir: join(rig.dir, 'q-link') });
    await agent.waitProgress(job, 8 * MiB, 15_000);
    const downAt = Date.now();
    await rig.lab.serverLink(false);
    const paused = await agent.waitJob(job, ['paused'], downAt, 10_000);
    await sleep(OUTAGE_MS - (Date.now() - downAt));
    const upAt = Date.now();
    await rig.lab.serverLink(true);
    const back = await agent.waitTransition('connected', upAt, 10_000);
    const done = await agent.waitJob(job, ['done', 'failed'], upAt, 40_000);
    console.log(
      `[faults] link down 10 s (copy): paused at ${paused.bytesDone} B (${paused.pauseReason ?? '?'}), link up → connected in ${back.at - upAt} ms, ` +
        `→ copy done in ${done.at - upAt} ms, resumed from ${done.resumedFrom ?? 0} B`,
    );
    expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
    expect(paused.pauseReason).toBe('drive-offline');
    expect(done.resumedFrom ?? 0).toBeGreaterThan(0);
    expect(await sha256File(local)).toBe(sum);
  });

  it('a permanent silent blackhole is Unavailable within 5 s', async () => {
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP));
    const cutAt = Date.now();
    await rig.lab.blackhole();
    const u = await agent.waitTransition('unavailable', cutAt, 12_000);
    console.log(`[faults] blackhole: unavailable because ${u.reason}; trail ${agent.trail().join(' ')}`);
    // Noticed by the keepalive: Unavailable at once (the reconnect attempts follow, and fail).
    expect(u.reason).toBe('keepalive-timeout');
    checkFigure('blackhole → unavailable', u.at - cutAt, 5000, 5000);
    // It stays down: no Connected while the path is black.
    await sleep(2000);
    expect(agent.transitions().filter((t) => t.to === 'connected' && t.at > cutAt), agent.trail().join(' ')).toEqual([]);
  });

  it('after a 30 s outage the drive is Connected within 2 s of the server taking connections again', async () => {
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP));
    const cutAt = Date.now();
    await rig.lab.blackhole();
    await agent.waitTransition('unavailable', cutAt, 12_000);
    // By now the backoff is several steps up (its next attempt can be up to 30 s away).
    await sleep(30_000 - (Date.now() - cutAt));
    const liftAt = Date.now();
    await rig.lab.clearBlackholes();
    const back = await agent.waitTransition('connected', liftAt, 35_000);
    console.log(`[faults] 30 s outage: path back → connected in ${back.at - liftAt} ms (${back.reason}); trail ${agent.trail().join(' ')}`);
    checkFigure('30 s outage, path back → connected', back.at - liftAt, 2000, 2000);
  });

  it('smbd restarted mid-copy: the copy resumes and completes byte-exact', async () => {
    await rig.lab.limitServerRate(RATE_MBIT);
    const agent = await connectedAgent(rig, driveAt(rig, SERVER_IP));
    const local = join(rig.dir, 'restart-copy.bin');
    const job = await agent.call('download', { remotePath: 'big.bin', localPath: local, configDir: join(rig.dir, 'q-restart') });
    await agent.waitProgress(job, 8 * MiB, 15_000);
    const restartAt = Date.now();
    await rig.server.restart();
    const readyAt = Date.now();
    const done = await agent.waitJob(job, ['done', 'failed'], restartAt, 40_000);
    const back = agent.transitions().find((t) => t.to === 'connected' && t.at > restartAt);
    console.log(
      `[faults] smbd restart (copy): smbd back after ${readyAt - restartAt} ms; drive connected ${back ? back.at - readyAt : '?'} ms after that; ` +
        `copy done ${done.at - readyAt} ms after, resumed from ${done.resumedFrom ?? 0} B; jobs ${agent.jobTrail(job)}`,
    );
    expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
    expect(agent.jobTrail(job)).toContain('paused(drive-offline)');
    expect(await sha256File(local)).toBe(sum);
  });
});
