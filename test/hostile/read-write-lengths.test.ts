// Issue 7, defect 2 and the WRITE Count findings: lengths the server returns are compared with what
// was asked. A READ answer longer than the Length requested (MS-SMB2 2.2.20 DataLength, the bytes
// really in the message) is malformed; a WRITE answered with Count 0 again and again, or with a
// Count larger than sent (2.2.22), is an error, never an endless resend. Guest on `public`, so nothing
// is signed and only the client's own checks stand between it and the lie.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { extendReadResponse, setWriteCount, writeRequestLength } from '../harness/mitm/bodies.js';
import { Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, expectOneLineFailure, rigFor, runBounded, type Rig } from './hostile-helpers.js';

const MiB = 1024 * 1024;
const FILE = 'five-mib.bin';
/** Files above 1 MiB, so they are read by READs we can lengthen (not one compounded chain). */
const FOLDER = 'lengths-folder';
const FOLDER_FILES = ['first.bin', 'second.bin'];
/** One file of that kind and one the server refuses to open. */
const MIXED = 'lengths-mixed';
/** -t 5: every run must end well inside KILL_MS, or the test fails instead of hanging. */
const BOUND_MS = 15_000;
const KILL_MS = 30_000;

let server: SambaServer;
let rig: Rig;
let upload: string;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  await writeFile(join(server.shareDir('public'), FILE), randomBytes(5 * MiB));
  await mkdir(join(server.shareDir('public'), FOLDER));
  for (const name of FOLDER_FILES) await writeFile(join(server.shareDir('public'), FOLDER, name), randomBytes(2 * MiB));
  await mkdir(join(server.shareDir('public'), MIXED));
  await writeFile(join(server.shareDir('public'), MIXED, 'readable.bin'), randomBytes(2 * MiB));
  await writeFile(join(server.shareDir('public'), MIXED, 'locked.bin'), randomBytes(2 * MiB));
  await chmod(join(server.shareDir('public'), MIXED, 'locked.bin'), 0o000);
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  rig = await rigFor(server);
  upload = join(await rig.scratch(), 'upload.bin');
  await writeFile(upload, randomBytes(3 * MiB));
});
afterEach(async () => {
  expectNoProxyErrors(rig.proxy);
  await rig.proxy.close();
});

const guest = (...args: string[]): string[] => [...args, '-N', '-t', '5'];

/** Every successful READ response carries 4 KiB more than was asked, DataLength and frame raised to match. */
function lengthenReads(): { count: () => number } {
  let n = 0;
  rig.proxy.onResponse((pdu, ctx) => {
    if (ctx.header.command !== Smb2Command.READ || ctx.header.interim || ctx.header.status !== STATUS_SUCCESS) return undefined;
    n++;
    return extendReadResponse(pdu, randomBytes(4096));
  });
  return { count: () => n };
}

describe('a READ answer longer than asked', () => {
  it('get of a 5 MiB file fails with exit 3 within the -t deadline and leaves no file', async () => {
    const reads = lengthenReads();
    const dir = await rig.scratch();
    const r = await runBounded(['get', `${rig.base}/public/${FILE}`, join(dir, FILE), '--no-progress', ...guest()], { killAfterMs: KILL_MS, env: rig.env });
    expect(reads.count()).toBeGreaterThan(0);
    expectEndedWithin(r, BOUND_MS);
    expectOneLineFailure(r, [3]);
    expect(existsSync(join(dir, FILE))).toBe(false);
  });

  it('cat of a 5 MiB file fails with exit 3 within the -t deadline, never printing more than the file', async () => {
    lengthenReads();
    const r = await runBounded(['cat', `${rig.base}/public/${FILE}`, ...guest()], { killAfterMs: KILL_MS, env: rig.env, stdoutCapBytes: 16 * MiB });
    expectEndedWithin(r, BOUND_MS);
    expectOneLineFailure(r, [3]);
    expect(r.stdoutTotal).toBeLessThanOrEqual(5 * MiB);
  });

  it('copy of a 5 MiB file to a local folder fails within a bound and leaves no file', async () => {
    lengthenReads();
    const dir = await rig.scratch();
    const r = await runBounded(['copy', `${rig.base}/public/${FILE}`, dir, '--no-progress', ...guest()], { killAfterMs: 90_000, env: rig.env });
    expectEndedWithin(r, 60_000);
    // The job fails with the malformed error: a connection-level fault, so 3, as `get` says.
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/malformed|READ/);
    expect((await readdir(dir)).filter((n) => n.includes('five-mib'))).toEqual([]);
  });

  it('copy of a folder whose every file fails that way exits 3 too, listing each, and leaves no file', async () => {
    lengthenReads();
    const dir = await rig.scratch();
    const r = await runBounded(['copy', `${rig.base}/public/${FOLDER}`, dir, '--no-progress', ...guest()], { killAfterMs: 90_000, env: rig.env });
    expectEndedWithin(r, 60_000);
    expect(r.code, r.stderr).toBe(3);
    for (const name of FOLDER_FILES) expect(r.stderr).toContain(name);
    const left = await readdir(join(dir, FOLDER)).catch(() => []);
    expect(left.filter((n) => n.includes('.bin'))).toEqual([]);
  });
  it('copy of a folder where the server also refused a file exits 1, as cp -r does', async () => {
    lengthenReads();
    const dir = await rig.scratch();
    const r = await runBounded(['copy', `${rig.base}/public/${MIXED}`, dir, '--no-progress', ...guest()], { killAfterMs: 90_000, env: rig.env });
    expectEndedWithin(r, 60_000);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_ACCESS_DENIED');
    expect(r.stderr).toMatch(/malformed|READ/);
  });
});

describe('WRITE Count lies', () => {
  it('put whose every WRITE is answered with Count 0 fails within a bound instead of resending forever', async () => {
    let writes = 0;
    rig.proxy.onResponse((pdu, ctx) => {
      if (ctx.header.command !== Smb2Command.WRITE || ctx.header.interim || ctx.header.status !== STATUS_SUCCESS) return undefined;
      writes++;
      return setWriteCount(pdu, 0);
    });
    const r = await runBounded(['put', upload, `${rig.base}/public/count-zero.bin`, '--no-progress', ...guest()], { killAfterMs: KILL_MS, env: rig.env });
    expectEndedWithin(r, BOUND_MS);
    expectOneLineFailure(r, [1, 3]);
    expect(writes, 'WRITE requests sent').toBeLessThan(100);
  });

  it('put whose WRITE is answered with a Count larger than sent fails (malformed, exit 3)', async () => {
    rig.proxy.onResponse((pdu, ctx) => {
      if (ctx.header.command !== Smb2Command.WRITE || ctx.header.interim || ctx.header.status !== STATUS_SUCCESS || ctx.request === undefined) return undefined;
      return setWriteCount(pdu, writeRequestLength(ctx.request.bytes) + 4096);
    });
    const r = await runBounded(['put', upload, `${rig.base}/public/count-large.bin`, '--no-progress', ...guest()], { killAfterMs: KILL_MS, env: rig.env });
    expectEndedWithin(r, BOUND_MS);
    expectOneLineFailure(r, [3]);
  });
});
