// `put` goes through main/'s copy engine as `get` does: the upload is written to a partial name on
// the share and renamed over the destination only when the server holds every byte. Whatever goes
// wrong (Ctrl-C, a server that stops answering), nothing is left under the final name on the share,
// no .sharekeeper-partial-* file is left beside it, and an older file there stays as it was.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli, startCli } from './cli-run.js';

const BIG = 192 * 1024 * 1024;
let s: SambaServer;
let base: string;
let local: string;
let big: string;
let bigSum: string;

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  base = `//127.0.0.1:${s.port}`;
  local = await mkdtemp(join(tmpdir(), 'sk-cli-put-'));
  big = join(local, 'big.bin');
  bigSum = await makeRandomFile(big, BIG);
});
afterAll(async () => {
  await s?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

async function waitForPartial(dir: string, deadlineMs: number): Promise<string | undefined> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const found = (await readdir(dir)).find((n) => n.includes('.sharekeeper-partial-'));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

describe('put through a partial on the share', () => {
  it('a complete put leaves exactly the final file, byte-exact, replacing an older one', async () => {
    const share = join(s.shareDir('public'), 'ok');
    expect((await runCli(['mkdir', `${base}/public/ok`, '-N'])).code).toBe(0);
    await writeFile(join(share, 'big.bin'), 'older\n');
    const r = await runCli(['put', big, `${base}/public/ok/`, '-N'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await readdir(share)).toEqual(['big.bin']);
    expect(await sha256File(join(share, 'big.bin'))).toBe(bigSum);
  });

  it('Ctrl-C mid-upload removes the partial from the share and keeps the older file (exit 130)', async () => {
    const share = join(s.shareDir('public'), 'sigint');
    expect((await runCli(['mkdir', `${base}/public/sigint`, '-N'])).code).toBe(0);
    await writeFile(join(share, 'big.bin'), 'older\n');
    const { child, done } = startCli(['put', big, `${base}/public/sigint/big.bin`, '-N'], { timeoutMs: 60_000 });
    child.stdin?.end();
    expect(await waitForPartial(share, 20_000)).toBeDefined();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted \(SIGINT\)/);
    expect(await readdir(share)).toEqual(['big.bin']);
    expect(await readFile(join(share, 'big.bin'), 'utf8')).toBe('older\n');
  });

  it('a put the server refuses (its folder is missing) exits 1 and creates nothing', async () => {
    const r = await runCli(['put', big, `${base}/public/no-such-folder/big.bin`, '-N'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NT_STATUS_OBJECT_PATH_NOT_FOUND|NT_STATUS_OBJECT_NAME_NOT_FOUND/);
    expect(await readdir(s.shareDir('public'))).not.toContain('no-such-folder');
  });
});
