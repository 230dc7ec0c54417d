// Responses that do not match what is in flight, and the server's unsolicited messages:
// - a response delivered twice, and one whose MessageId was never sent (MS-SMB2 3.2.5.1.2): a typed
//   'malformed' error, one line, exit 3, never a crash or "unexpected";
// - oplock and lease break notifications (2.2.23.1, 2.2.23.2; MessageId 0xFFFFFFFFFFFFFFFF, which
//   needs no signature, 3.2.5.1.3) injected mid-listing and mid-download: ignored or acknowledged,
//   the operation still succeeds, also on a signed session;
// - every response granting 0 credits (3.2.5.1.4): no hang; it completes or fails typed, in a bound.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmbClient, SmbError } from '../../protocol/index.js';
import { sha256File } from '../harness/fixtures.js';
import { createRequestName } from '../harness/mitm/bodies.js';
import { Hdr, leaseBreakNotification, oplockBreakNotification, Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, expectOneLineFailure, rigFor, runBounded, type BoundedRun, type Rig } from './hostile-helpers.js';

const MiB = 1024 * 1024;
const FILE = 'ids.bin';
const KILL_MS = 30_000;
const BOUND_MS = 15_000;

let server: SambaServer;
let sum: string;
let rig: Rig;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  for (const share of ['public', 'private']) {
    await writeFile(join(server.shareDir(share), FILE), randomBytes(5 * MiB));
    for (let i = 0; i < 5; i++) await writeFile(join(server.shareDir(share), `entry-${i}.txt`), `${i}\n`);
  }
  sum = await sha256File(join(server.shareDir('public'), FILE));
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  rig = await rigFor(server);
});
afterEach(async () => {
  expectNoProxyErrors(rig.proxy);
  await rig.proxy.close();
});

const isFinal = (command: number, h: { command: number; interim: boolean; status: number }): boolean =>
  h.command === command && !h.interim && h.status === STATUS_SUCCESS;

async function get(extra: string[] = ['-N']): Promise<{ r: BoundedRun; dest: string }> {
  const share = extra.includes('--sign') ? 'private' : 'public';
  const dest = join(await rig.scratch(), FILE);
  const r = await runBounded(['get', `${rig.base}/${share}/${FILE}`, dest, '--no-progress', '-t', '5', ...extra], { killAfterMs: KILL_MS, env: rig.env });
  return { r, dest };
}

const ls = (extra: string[] = ['-N']): Promise<BoundedRun> =>
  runBounded(['ls', `${rig.base}/${extra.includes('--sign') ? 'private' : 'public'}`, '-t', '5', ...extra], { killAfterMs: KILL_MS, env: rig.env });

describe('duplicate and unknown MessageIds', () => {
  it('get fails with one malformed line (exit 3) when the CREATE response for the file arrives twice', async () => {
    let doubled = false;
    rig.proxy.onResponse((pdu, ctx) => {
      if (doubled || !isFinal(Smb2Command.CREATE, ctx.header) || ctx.request === undefined || !createRequestName(ctx.request.bytes).endsWith(FILE)) return undefined;
      doubled = true;
      return [pdu, Buffer.from(pdu)];
    });
    const { r, dest } = await get();
    expect(doubled).toBe(true);
    expectOneLineFailure(r, [3]);
    expect(r.stderr).toMatch(/malformed/i);
    expect(existsSync(dest)).toBe(false);
  });

  it('ls fails with one malformed line (exit 3) when the first QUERY_DIRECTORY response arrives twice', async () => {
    let doubled = false;
    rig.proxy.onResponse((pdu, ctx) => {
      if (doubled || !isFinal(Smb2Command.QUERY_DIRECTORY, ctx.header)) return undefined;
      doubled = true;
      return [pdu, Buffer.from(pdu)];
    });
    const r = await ls();
    expect(doubled).toBe(true);
    expectOneLineFailure(r, [3]);
    expect(r.stderr).toMatch(/malformed/i);
  });

  it('get fails with one malformed line (exit 3) when a response with a MessageId never sent arrives', async () => {
    let injected = false;
    rig.proxy.onResponse((pdu, ctx) => {
      if (injected || !isFinal(Smb2Command.READ, ctx.header)) return undefined;
      injected = true;
      const stray = Buffer.from(pdu);
      stray.writeBigUInt64LE(ctx.header.messageId + 100_000n, Hdr.MessageId);
      return [stray, pdu];
    });
    const { r, dest } = await get();
    expect(injected).toBe(true);
    expectOneLineFailure(r, [3]);
    expect(r.stderr).toMatch(/malformed/i);
    expect(existsSync(dest)).toBe(false);
  });

  it('readdir through the protocol API rejects a doubled response with SmbError code malformed', async () => {
    const client = await SmbClient.connect({ host: '127.0.0.1', port: rig.proxy.port, timeoutMs: 5000 });
    const tree = await (await client.login({ kind: 'guest' })).connectTree('public');
    rig.proxy.onResponse((pdu, ctx) => (isFinal(Smb2Command.QUERY_DIRECTORY, ctx.header) && ctx.nth === 1 ? [pdu, Buffer.from(pdu)] : undefined));
    const e = await tree.readdir('').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(SmbError);
    expect((e as SmbError).code).toBe('malformed');
    await client.close();
  });
});

describe('unsolicited oplock and lease breaks', () => {
  const notices = { 'an oplock break': () => oplockBreakNotification(), 'a lease break': () => leaseBreakNotification() };
  for (const [kind, notice] of Object.entries(notices)) {
    for (const signed of [false, true]) {
      const auth = (): string[] => (signed ? ['-U', server.user, '--sign'] : ['-N']);
      const how = signed ? ' on a signed session (an unsigned notice: MessageId 0xFFFF... needs no signature)' : '';
      it(`ls still lists every entry when ${kind} arrives mid-listing${how}`, async () => {
        rig.proxy.onResponse((pdu, ctx) => (isFinal(Smb2Command.QUERY_DIRECTORY, ctx.header) && ctx.nth === 1 ? [notice(), pdu, notice()] : undefined));
        const r = await ls(auth());
        expectEndedWithin(r, BOUND_MS);
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        for (let i = 0; i < 5; i++) expect(r.stdout).toContain(`entry-${i}.txt`);
      });

      it(`get is byte-exact when ${kind} arrives mid-download${how}`, async () => {
        let sent = 0;
        rig.proxy.onResponse((pdu, ctx) => {
          if (!isFinal(Smb2Command.READ, ctx.header) || sent >= 2) return undefined;
          sent++;
          ctx.toClient(notice(), 5);
          return [notice(), pdu];
        });
        const { r, dest } = await get(auth());
        expectEndedWithin(r, BOUND_MS);
        expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
        expect(sent).toBeGreaterThan(0);
        expect(await sha256File(dest)).toBe(signed ? await sha256File(join(server.shareDir('private'), FILE)) : sum);
      });
    }
  }
});

describe('credit grants of 0 in every response', () => {
  beforeEach(() => {
    rig.proxy.onResponse((pdu) => {
      pdu.writeUInt16LE(0, Hdr.Credits);
      return pdu;
    });
  });

  /** Either it worked, or it said why in one line; never a hang. */
  function completedOrTyped(r: BoundedRun): void {
    console.log(`zero credits: exit ${r.code} in ${r.ms} ms ${r.stderr.trim()}`);
    expectEndedWithin(r, BOUND_MS);
    if (r.code !== 0) expectOneLineFailure(r, [3]);
  }

  it('get of a 5 MiB file completes byte-exact or fails typed within a bound', async () => {
    const { r, dest } = await get();
    completedOrTyped(r);
    if (r.code === 0) expect(await sha256File(dest)).toBe(sum);
  });

  it('ls completes or fails typed within a bound', async () => {
    const r = await ls();
    completedOrTyped(r);
    if (r.code === 0) expect(r.stdout).toContain('entry-4.txt');
  });

  it('put of 5 MiB completes or fails typed within a bound', async () => {
    const src = join(await rig.scratch(), 'up.bin');
    await writeFile(src, randomBytes(5 * MiB));
    const r = await runBounded(['put', src, `${rig.base}/public/zero-credits.bin`, '--no-progress', '-N', '-t', '5'], { killAfterMs: KILL_MS, env: rig.env });
    completedOrTyped(r);
    if (r.code === 0) expect(await sha256File(join(server.shareDir('public'), 'zero-credits.bin'))).toBe(await sha256File(src));
  });
});
