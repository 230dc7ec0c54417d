// Issue 12's optional row: the best Node peer library (node-smb2, as published on npm by its
// maintained fork @marsaud/smb2; it streams) on the same 1 GiB get as ours, same server, same
// run. It is installed by the bench into a temporary folder (never a project dependency) and
// skipped with a line saying why when that fails. The peer logs in with NTLMv1 (its `ntlm`
// package) and does not handle STATUS_PENDING interim answers, so its server allows NTLMv1 and
// has aio off; ours and smbclient are timed against that same server for the comparison.
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeRandomFile } from '../harness/fixtures.js';
import { runCommand } from '../harness/run-command.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { timeOurs } from './ours-runner.js';
import { median } from './stats.js';

export const PEER_PACKAGE = '@marsaud/smb2@0.18.0';
const MiB = 1024 * 1024;

// Runs in the peer's folder: a streaming get of big.bin to `out`, timed by the bench as a whole
// process (as ours is). The password comes in the environment, never on argv.
const RUNNER = `'use strict';
const SMB2 = require('@marsaud/smb2');
const fs = require('fs');
const [host, port, user, out] = process.argv.slice(2);
const client = new SMB2({ share: '\\\\\\\\' + host + '\\\\public', domain: 'WORKGROUP', username: user,
  password: process.env.SK_PEER_PASSWORD, port: Number(port), autoCloseTimeout: 0 });
client.createReadStream('big.bin', (err, rs) => {
  if (err) { console.error(String(err)); process.exit(1); }
  rs.on('error', (e) => { console.error(String(e)); process.exit(1); });
  rs.pipe(fs.createWriteStream(out)).on('finish', () => { client.disconnect(); process.exit(0); });
});
`;

async function installPeer(dir: string): Promise<string | undefined> {
  const r = await runCommand('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', PEER_PACKAGE], {
    cwd: dir,
    timeoutMs: 180_000,
  }).catch((e: unknown) => ({ code: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }));
  if (r.code !== 0) return `cannot install ${PEER_PACKAGE}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${r.code}`}`;
  await writeFile(join(dir, 'get.cjs'), RUNNER);
  return undefined;
}

async function timePeer(dir: string, server: SambaServer, out: string): Promise<number> {
  const t0 = performance.now();
  // The peer's NTLM code needs DES and MD4, which Node 20's OpenSSL has only in its legacy provider.
  const r = await runCommand(process.execPath, ['--openssl-legacy-provider', join(dir, 'get.cjs'), server.host, String(server.port), server.user, out], {
    env: { SK_PEER_PASSWORD: server.password },
    timeoutMs: 600_000,
  });
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`${PEER_PACKAGE} get failed: ${r.stderr.trim()}`);
  return ms;
}

async function expectSize(path: string, size: number): Promise<void> {
  const got = (await stat(path)).size;
  if (got !== size) throw new Error(`${path}: ${got} bytes, expected ${size}`);
}

/** The peer row as report lines; never throws (a failure is a line). */
export async function runPeerRow(local: string, sizeMiB: number, runs: number, fresh: (path: string) => Promise<void>): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sk-peer-'));
  let server: SambaServer | undefined;
  try {
    const skipped = await installPeer(dir);
    if (skipped) return [`peer row skipped: ${skipped}`];
    server = await startSamba({ aio: false, extra: ['ntlm auth = yes'] });
    const size = sizeMiB * MiB;
    await makeRandomFile(join(server.shareDir('public'), 'big.bin'), size);
    const out = join(local, 'peer.bin');
    const ours: number[] = [];
    const peer: number[] = [];
    for (let i = 0; i <= runs; i++) {
      await fresh(out);
      const o = await timeOurs(server, ['get', `//${server.host}/public/big.bin`, out]);
      await expectSize(out, size);
      await fresh(out);
      const p = await timePeer(dir, server, out);
      await expectSize(out, size);
      if (i === 0) continue; // warm-up, as for every other row
      ours.push(o.ms);
      peer.push(p);
    }
    const [mo, mp] = [median(ours), median(peer)];
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    return [
      `peer library ${PEER_PACKAGE}, get ${sizeMiB} MiB (its server: NTLMv1 allowed, aio off): ours ${mo.toFixed(0)} ms (${range(ours)}), ` +
        `peer ${mp.toFixed(0)} ms (${range(peer)}); ours is ${(mp / mo).toFixed(2)}× faster (target ≥ 5×)`,
    ];
  } catch (e) {
    return [`peer row failed: ${e instanceof Error ? e.message : String(e)}`];
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
