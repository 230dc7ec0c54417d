// Issue 7, defect 1: on a session that requires signing, a man in the middle takes a READ (or
// QUERY_DIRECTORY) response, moves it to SessionId 0 or to an id we never had, clears
// SMB2_FLAGS_SIGNED, zeroes the signature and changes the data. The response answers a request sent
// on the signed session, so that session must verify it (MS-SMB2 3.2.5.1.3); a response whose
// SessionId is not its request's is malformed. The client must refuse it: `get --sign` fails
// (exit 3 or 5) and leaves no file, `ls --sign` fails and never prints the forged name.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Dialect, SmbClient, SmbError, type DialectValue } from '../../protocol/index.js';
import { alterReadData, directoryBuffer, renameDirEntries, withDirectoryBuffer } from '../harness/mitm/bodies.js';
import { Smb2Command, STATUS_SUCCESS, stripSignature } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import type { TamperProxy } from '../harness/tamper-proxy.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, rigFor, runBounded, type Rig } from './hostile-helpers.js';

const DIALECTS = ['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'] as const;
const FILE = 'signed-data.bin';
const REAL_NAME = 'visible.txt';
const FORGED_NAME = 'FORGED-by-mitm.txt';
const RUN_MS = 20_000;

type Forgery = 'session 0' | 'unknown session' | 'session kept';

function sessionIdFor(forgery: Forgery, real: bigint): bigint {
  if (forgery === 'session 0') return 0n;
  if (forgery === 'session kept') return real;
  // Any id the client never had: a random one, with the top bit set so it cannot collide.
  return randomBytes(8).readBigUInt64LE(0) | (1n << 63n);
}

/** The first successful READ response: data changed, then unsigned under another session. */
function forgeRead(proxy: TamperProxy, forgery: Forgery): { fired: () => boolean } {
  let fired = false;
  proxy.onResponse((pdu, ctx) => {
    if (fired || ctx.header.command !== Smb2Command.READ || ctx.header.interim || ctx.header.status !== STATUS_SUCCESS) return undefined;
    fired = true;
    return stripSignature(alterReadData(pdu, 0, 64), sessionIdFor(forgery, ctx.header.sessionId));
  });
  return { fired: () => fired };
}

/** The first listing page that holds REAL_NAME: renamed to FORGED_NAME, then unsigned under another session. */
function forgeListing(proxy: TamperProxy, forgery: Forgery): { fired: () => boolean } {
  let fired = false;
  proxy.onResponse((pdu, ctx) => {
    if (fired || ctx.header.command !== Smb2Command.QUERY_DIRECTORY || ctx.header.status !== STATUS_SUCCESS) return undefined;
    const { buffer, renamed } = renameDirEntries(directoryBuffer(pdu), (n) => (n === REAL_NAME ? FORGED_NAME : undefined));
    if (renamed === 0) return undefined;
    fired = true;
    return stripSignature(withDirectoryBuffer(pdu, buffer), sessionIdFor(forgery, ctx.header.sessionId));
  });
  return { fired: () => fired };
}

let signingServer: SambaServer;
let plainServer: SambaServer;

beforeAll(async () => {
  assertBuilt();
  [signingServer, plainServer] = await Promise.all([startSamba({ mode: 'signing' }), startSamba()]);
  for (const s of [signingServer, plainServer]) {
    await writeFile(join(s.shareDir('private'), FILE), randomBytes(300 * 1024));
    await writeFile(join(s.shareDir('private'), REAL_NAME), 'real\n');
  }
});
afterAll(async () => {
  await Promise.all([signingServer?.stop(), plainServer?.stop()]);
});

function cliArgs(server: SambaServer, dialect: string, sign: boolean): string[] {
  return ['-U', server.user, '-m', dialect, '-t', '5', ...(sign ? ['--sign'] : [])];
}

async function forgedGet(server: SambaServer, dialect: string, forgery: Forgery, sign = true): Promise<void> {
  const rig = await rigFor(server);
  try {
    const f = forgeRead(rig.proxy, forgery);
    const dir = await rig.scratch();
    const dest = join(dir, FILE);
    const r = await runBounded(['get', `${rig.base}/private/${FILE}`, dest, '--no-progress', ...cliArgs(server, dialect, sign)], { killAfterMs: RUN_MS, env: rig.env });
    expectNoProxyErrors(rig.proxy);
    expect(f.fired(), 'no READ response passed the proxy').toBe(true);
    expectEndedWithin(r, RUN_MS);
    expect([3, 5], `get exited ${r.code}: the forged READ was accepted; stderr: ${r.stderr}`).toContain(r.code);
    expect(existsSync(dest), 'a file was written at the destination').toBe(false);
    expect(await readdir(dir)).toEqual([]);
  } finally {
    await rig.proxy.close();
  }
}

async function forgedLs(server: SambaServer, dialect: string, forgery: Forgery, sign = true): Promise<void> {
  const rig = await rigFor(server);
  try {
    const f = forgeListing(rig.proxy, forgery);
    const r = await runBounded(['ls', `${rig.base}/private`, ...cliArgs(server, dialect, sign)], { killAfterMs: RUN_MS, env: rig.env });
    expectNoProxyErrors(rig.proxy);
    expect(f.fired(), 'no listing page passed the proxy').toBe(true);
    expectEndedWithin(r, RUN_MS);
    expect(r.stdout, 'the forged name was printed').not.toContain(FORGED_NAME);
    expect(r.code, `ls exited ${r.code}; stderr: ${r.stderr}`).not.toBe(0);
  } finally {
    await rig.proxy.close();
  }
}

describe.each(DIALECTS)('signing bypass at %s (server signing = mandatory, --sign)', (dialect) => {
  for (const forgery of ['session 0', 'unknown session'] as const) {
    it(`get --sign refuses a READ response moved to ${forgery}, unsigned, with changed data`, () => forgedGet(signingServer, dialect, forgery));
    it(`ls --sign refuses a QUERY_DIRECTORY response moved to ${forgery}, unsigned, with a forged name`, () => forgedLs(signingServer, dialect, forgery));
  }
  it('regression guard: get --sign refuses an unsigned, changed READ response that keeps its SessionId', () => forgedGet(signingServer, dialect, 'session kept'));
});

describe('signing bypass, other ways of requiring signing', () => {
  it('ls --sign refuses a QUERY_DIRECTORY response with the SessionId kept, unsigned (regression guard)', () => forgedLs(signingServer, 'SMB3_11', 'session kept'));
  it('get refuses a READ moved to session 0 when only the server requires signing (no --sign)', () => forgedGet(signingServer, 'SMB3_11', 'session 0', false));
  it('get --sign refuses a READ moved to session 0 when only the client requires signing', () => forgedGet(plainServer, 'SMB3_11', 'session 0'));
  it('ls --sign refuses a listing moved to an unknown session at SMB2_02 when only the client requires signing', () => forgedLs(plainServer, 'SMB2_02', 'unknown session'));
});

describe('signing bypass through the protocol API (SmbClient, requireSigning)', () => {
  let proxy: TamperProxy;
  let rig: Rig;
  beforeEach(async () => {
    rig = await rigFor(signingServer);
    proxy = rig.proxy;
  });
  afterEach(async () => {
    expectNoProxyErrors(proxy);
    await proxy.close();
  });

  async function open(maxDialect: DialectValue) {
    const client = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, requireSigning: true, maxDialect, timeoutMs: 5000 });
    const session = await client.login({ kind: 'user', user: signingServer.user, password: signingServer.password });
    return { client, tree: await session.connectTree('private') };
  }

  async function refusal(p: Promise<unknown>): Promise<SmbError> {
    const e = await p.then(
      (v) => ({ resolved: v }),
      (err: unknown) => err,
    );
    expect(e, 'the forged response was accepted').toBeInstanceOf(SmbError);
    return e as SmbError;
  }

  for (const [name, dialect] of [
    ['SMB2_02', Dialect.SMB2_02],
    ['SMB3_11', Dialect.SMB3_11],
  ] as const) {
    it(`readFile at ${name} rejects a READ response moved to session 0 with a security or malformed error`, async () => {
      const { client, tree } = await open(dialect);
      forgeRead(proxy, 'session 0');
      expect(['security', 'malformed']).toContain((await refusal(tree.readFile(FILE))).code);
      await client.close();
    });

    it(`readdir at ${name} rejects a listing moved to an unknown session with a security or malformed error`, async () => {
      const { client, tree } = await open(dialect);
      forgeListing(proxy, 'unknown session');
      expect(['security', 'malformed']).toContain((await refusal(tree.readdir(''))).code);
      await client.close();
    });
  }
});
