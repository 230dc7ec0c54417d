// `sharekeeper copy` when the server goes wrong mid-copy, run as a user would (node bin/sharekeeper.js):
// a server that accepts connections and completes the handshake but never answers anything else
// makes the copy give up after a bounded number of reconnects (exit 3, the reason on stderr, no
// partial left); a server that drops and comes back makes the CLI wait as it says and finish
// (never Node's exit 13 for an unsettled top-level await). Needs `npm run build` first.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { MAX_DROPS_WITHOUT_PROGRESS } from '../../main/transfers/drop-budget.js';
import { assertBuilt, startCli } from './cli-run.js';
import { TcpForwarder } from './transfers-helpers.js';
import { StallingForwarder } from './transfers-stall-forwarder.js';

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;

let s: SambaServer;
let root: string;
let env: Record<string, string>;
let sum: string;

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  sum = await makeRandomFile(join(s.shareDir('private'), 'big.bin'), SIZE);
  root = await mkdtemp(join(tmpdir(), 'sk-cli-stall-'));
  env = { HOME: root, XDG_CONFIG_HOME: join(root, 'config'), XDG_RUNTIME_DIR: join(root, 'run'), SHAREKEEPER_PASSWORD: s.password };
  await mkdir(env['XDG_RUNTIME_DIR']!, { recursive: true, mode: 0o700 });
});
afterAll(async () => {
  await s?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('copy against a server that misbehaves mid-copy', () => {
  it('a server that accepts connections but never answers: exit 3 with the reason, within a bound, nothing left', async () => {
    const fwd = new StallingForwarder({ host: s.host, port: s.port });
    await fwd.listen();
    const dir = await mkdtemp(join(root, 'stall-'));
    try {
      fwd.stallAfter(16 * MiB);
      const t0 = Date.now();
      const { child, done } = startCli(['copy', `//127.0.0.1:${fwd.port}/private/big.bin`, `${dir}/`, '-U', s.user, '-t', '2', '--no-progress'], {
        env,
        timeoutMs: 90_000,
      });
      child.stdin?.end();
      const r = await done;
      const took = Date.now() - t0;
      console.log(`stalled copy: exit ${r.code} after ${took} ms, ${fwd.accepted} connections, ${fwd.dropped} responses dropped\n${r.stderr}`);
      expect(fwd.isStalled).toBe(true);
      expect(r.code).toBe(3);
      // The bound, and the last drop's reason (today "no response to CREATE in 1600 ms").
      expect(r.stderr).toMatch(new RegExp(`gave up after ${MAX_DROPS_WITHOUT_PROGRESS} reconnects without progress: .*(response|time|answer)`, 'i'));
      expect(took).toBeLessThan(60_000);
      // It did reconnect, and not without bound. (A retry that finds the drive reconnecting joins
      // that attempt, and one that fails counts as a drop too, so there may be fewer connections
      // than drops.)
      expect(fwd.accepted).toBeGreaterThan(1);
      expect(fwd.accepted).toBeLessThanOrEqual(3 * (MAX_DROPS_WITHOUT_PROGRESS + 1));
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await fwd.close();
    }
  });

  it('a drop the server comes back from: the CLI says it waits, waits, and finishes byte-exact', async () => {
    const fwd = new TcpForwarder({ host: s.host, port: s.port });
    await fwd.listen();
    const dir = await mkdtemp(join(root, 'drop-'));
    try {
      const { child, done } = startCli(['copy', `//127.0.0.1:${fwd.port}/private/big.bin`, `${dir}/`, '-U', s.user, '-t', '5', '--no-progress'], {
        env,
        timeoutMs: 90_000,
      });
      child.stdin?.end();
      let stderr = '';
      const said = new Promise<void>((resolve) => {
        child.stderr?.on('data', (c: Buffer) => {
          stderr += c.toString();
          if (stderr.includes('waiting for it to come back')) resolve();
        });
      });
      // Cut once some of the file has come over.
      const started = Date.now();
      while (fwd.bytesToClient < 16 * MiB && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 5));
      await fwd.cut();
      await said;
      await new Promise((r) => setTimeout(r, 3000));
      await fwd.restore();
      const r = await done;
      expect({ code: r.code, stderr: r.stderr }).toMatchObject({ code: 0 });
      expect(await readdir(dir)).toEqual(['big.bin']);
      expect(await sha256File(join(dir, 'big.bin'))).toBe(sum);
    } finally {
      await fwd.cut();
    }
  });
});
