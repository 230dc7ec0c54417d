// Issue 7, defects 4 and 5: servers that never finish. STATUS_PENDING forever (MS-SMB2 3.3.4.2
// interim responses every 500 ms, the real answer swallowed) must not re-arm the request timer for
// ever (3.2.5.1.5 lets the client give up and cancel); a server that accepts TCP and stays silent,
// one that announces a 16 MiB frame and sends nothing, one that drips a response at 1 byte/s, and a
// real server that stops answering in the middle of a download: `ls`, `get` and `copy` each end
// with exit 3 and a reason. For copy the bound is its number of reconnects, not a timer.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestName } from '../harness/mitm/bodies.js';
import { interimResponse, Smb2Command } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, cliHome, expectEndedWithin, expectNoProxyErrors, expectOneLineFailure, rigFor, runBounded, scratchDir } from './hostile-helpers.js';
import { startRawServer, type RawBehaviour } from './raw-servers.js';

const MiB = 1024 * 1024;
const FILE = 'pending.bin';
const BIG = 'eight-mib.bin';

let server: SambaServer;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  await writeFile(join(server.shareDir('public'), FILE), randomBytes(MiB));
  await writeFile(join(server.shareDir('public'), BIG), randomBytes(8 * MiB));
});
afterAll(async () => server?.stop());

describe.concurrent('STATUS_PENDING forever', () => {
  for (const command of ['READ', 'CREATE'] as const) {
    it(`get -t 3 ends with exit 3 when every ${command} answer is an interim response every 500 ms`, async () => {
      const rig = await rigFor(server);
      let interims = 0;
      rig.proxy.onResponse((_pdu, ctx) => {
        const q = ctx.request;
        if (q === undefined || ctx.header.interim || q.command !== Smb2Command[command]) return undefined;
        if (command === 'CREATE' && !createRequestName(q.bytes).endsWith(FILE)) return undefined;
        const asyncId = randomBytes(8).readBigUInt64LE(0) | 1n;
        const send = (): void => {
          interims++;
          ctx.toClient(interimResponse(q.bytes, asyncId, interims === 1 ? 1 : 0));
        };
        send();
        ctx.every(500, send, 600);
        return 'drop';
      });
      const dir = await scratchDir();
      const r = await runBounded(['get', `${rig.base}/public/${FILE}`, join(dir, FILE), '--no-progress', '-N', '-t', '3'], { killAfterMs: 40_000, env: rig.env });
      expectNoProxyErrors(rig.proxy);
      await rig.proxy.close();
      expect(interims).toBeGreaterThan(0);
      expectEndedWithin(r, 20_000);
      expectOneLineFailure(r, [3]);
      expect(existsSync(join(dir, FILE))).toBe(false);
    });
  }
});

const COMMANDS = ['ls', 'get', 'copy'] as const;
type Cmd = (typeof COMMANDS)[number];

async function runAgainst(cmd: Cmd, base: string, killAfterMs: number) {
  const dir = await scratchDir();
  const env = await cliHome();
  const common = ['-N', '-t', '2'];
  const args: Record<Cmd, string[]> = {
    ls: ['ls', `${base}/public`, ...common],
    get: ['get', `${base}/public/${BIG}`, join(dir, BIG), '--no-progress', ...common],
    copy: ['copy', `${base}/public/${BIG}`, dir, '--no-progress', ...common],
  };
  const r = await runBounded(args[cmd], { killAfterMs, env });
  return { r, leftovers: await readdir(dir) };
}

/** ls and get: -t 2 and a few seconds of slack; copy: its bounded reconnects. */
const boundFor = (cmd: Cmd): number => (cmd === 'copy' ? 60_000 : 15_000);
const killFor = (cmd: Cmd): number => (cmd === 'copy' ? 90_000 : 30_000);

describe.concurrent('servers that never answer', () => {
  const reason: Record<RawBehaviour, string> = {
    silent: 'accepts TCP and never answers',
    'huge-length': 'sends a 16 MiB length prefix and no body',
    drip: 'drips a valid-looking response at 1 byte/s',
  };
  for (const behaviour of ['silent', 'huge-length', 'drip'] as const) {
    for (const cmd of COMMANDS) {
      it(`${cmd} -t 2 ends with exit 3 and a reason against a server that ${reason[behaviour]}`, async () => {
        const raw = await startRawServer(behaviour);
        try {
          const { r, leftovers } = await runAgainst(cmd, `//127.0.0.1:${raw.port}`, killFor(cmd));
          expectEndedWithin(r, boundFor(cmd));
          expectOneLineFailure(r, [3], { oneLine: cmd !== 'copy' });
          expect(leftovers).toEqual([]);
          expect(raw.connections).toBeGreaterThan(0);
        } finally {
          await raw.close();
        }
      });
    }
  }
});

describe.concurrent('a real server that stops answering after the first READ', () => {
  for (const cmd of ['get', 'copy'] as const) {
    it(`${cmd} -t 2 ends with exit 3 and a reason when every response after the first READ is dropped`, async () => {
      const rig = await rigFor(server);
      let silent = false;
      rig.proxy.onResponse((_pdu, ctx) => {
        if (silent) return 'drop';
        if (ctx.header.command === Smb2Command.READ && !ctx.header.interim) silent = true;
        return undefined;
      });
      try {
        const { r, leftovers } = await runAgainst(cmd, rig.base, killFor(cmd));
        expect(silent, 'no READ passed').toBe(true);
        expectEndedWithin(r, boundFor(cmd));
        expectOneLineFailure(r, [3], { oneLine: cmd !== 'copy' });
        expect(leftovers.filter((n) => n.includes(BIG) && !n.includes('partial'))).toEqual([]);
        expectNoProxyErrors(rig.proxy);
      } finally {
        await rig.proxy.close();
      }
    });
  }
});
