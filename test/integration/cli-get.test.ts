// `get` writes through a temporary file and renames only a complete download: whatever goes wrong
// (server refuses, the person presses Ctrl-C, the server stops answering), nothing is left under
// the final name, no .sharekeeper-partial-* file is left behind, and an older file stays as it was.
// Also: memory stays flat for a file much larger than the heap would like.
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { runCommand } from '../harness/run-command.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, BIN, runCli, startCli } from './cli-run.js';

const BIG = 192 * 1024 * 1024;
let s: SambaServer;
let base: string;
let local: string;
let bigSum: string;

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  base = `//127.0.0.1:${s.port}`;
  local = await mkdtemp(join(tmpdir(), 'sk-cli-get-'));
  bigSum = await makeRandomFile(join(s.shareDir('public'), 'big.bin'), BIG);
  await writeFile(join(s.shareDir('public'), 'secret.txt'), 'no one may read this\n');
  await chmod(join(s.shareDir('public'), 'secret.txt'), 0o000);
});
afterAll(async () => {
  await s?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  return mkdtemp(join(local, `${name}-`));
}

async function waitForPartial(dir: string, deadlineMs: number): Promise<string | undefined> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    const found = (await readdir(dir)).find((n) => n.includes('.sharekeeper-partial-'));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
  return undefined;
}

describe('get through a temporary file', () => {
  it('a complete get leaves exactly the final file, byte-exact', async () => {
    const dir = await freshDir('ok');
    const r = await runCli(['get', `${base}/public/big.bin`, dir, '-N'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await readdir(dir)).toEqual(['big.bin']);
    expect(await sha256File(join(dir, 'big.bin'))).toBe(bigSum);
  });

  it('a refused get leaves nothing and keeps an older local file untouched', async () => {
    const dir = await freshDir('refused');
    await writeFile(join(dir, 'secret.txt'), 'older local copy\n');
    const r = await runCli(['get', `${base}/public/secret.txt`, dir, '-N']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_ACCESS_DENIED');
    expect(await readdir(dir)).toEqual(['secret.txt']);
    expect(await readFile(join(dir, 'secret.txt'), 'utf8')).toBe('older local copy\n');
  });

  it('get of a folder is refused and writes nothing', async () => {
    const dir = await freshDir('folder');
    await runCli(['mkdir', `${base}/public/adir`, '-N']);
    const r = await runCli(['get', `${base}/public/adir`, dir, '-N']);
    expect(r.code).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('Ctrl-C mid-transfer removes the partial file (exit 130)', async () => {
    const dir = await freshDir('sigint');
    const { child, done } = startCli(['get', `${base}/public/big.bin`, dir, '-N'], { timeoutMs: 60_000 });
    child.stdin?.end();
    const partial = await waitForPartial(dir, 20_000);
    expect(partial).toBeDefined();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a server that stops answering mid-transfer: timeout (exit 3), nothing left', async () => {
    const dir = await freshDir('frozen');
    const { child, done } = startCli(['get', `${base}/public/big.bin`, dir, '-N', '-t', '2'], { timeoutMs: 60_000 });
    child.stdin?.end();
    const partial = await waitForPartial(dir, 20_000);
    expect(partial).toBeDefined();
    const pids = s.processIds();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let r;
    try {
      r = await done;
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('constant memory', () => {
  it(`get of ${BIG >> 20} MiB keeps the peak RSS far below the file size`, async () => {
    const dir = await freshDir('rss');
    const r = await runCommand('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, BIN, 'get', `${base}/public/big.bin`, dir, '-N'], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    const kb = Number(/MAXRSS_KB=(\d+)/.exec(r.stderr)?.[1]);
    expect(kb).toBeGreaterThan(0);
    expect(kb * 1024).toBeLessThan(160 * 1024 * 1024);
  });
});
