// Issue 11 through the CLI against Samba pinned to SMB1 (`server min/max protocol = NT1`,
// `ntlm auth = yes`): what the SMB 2/3 suites check, on NT LM 0.12 — a 20,000-entry listing, Unicode
// names, byte-exact 256 MiB get and put, wrong password (exit 4), a read-only share, mkdir/mv/rm,
// `shares` equal to smbclient's; refused without --min-protocol NT1 (exit 5, the plain reason).
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeManyFiles, makeRandomFile, sha256File } from '../harness/fixtures.js';
import { SMBCLIENT_NT1, startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

const NT1 = ['--min-protocol', 'NT1'];
const BIG = 256 * 1024 * 1024;
let s: SambaServer;
let base: string;
let local: string;
let env: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  s = await startNt1Samba();
  base = `//127.0.0.1:${s.port}`;
  env = { SHAREKEEPER_PASSWORD: s.password };
  local = mkdtempSync(join(tmpdir(), 'sk-smb1-cli-'));
}, 120_000);
afterAll(async () => {
  await s?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

/** The name column of smbclient-like `ls` rows. */
function rowNames(out: string): string[] {
  return out
    .split('\n')
    .map((l) => /^ {2}(\S.*?)\s+[A-Z]*\s+\d+\s+\w{3} \w{3} +\d+ [\d:]+ \d{4}$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== '.' && n !== '..');
}

/** `smbclient -L` rows as "name|Type|comment". */
function shareRows(out: string): Set<string> {
  const rows = new Set<string>();
  let inTable = false;
  for (const line of out.split('\n')) {
    if (/^\s*Sharename\s+Type\s+Comment/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable || /^\s*-+\s+-+/.test(line)) continue;
    const m = /^\t(.+?)\s+(Disk|IPC|Printer|Device)\s*(.*)$/.exec(line);
    if (!m) break;
    rows.add(`${m[1]}|${m[2]}|${(m[3] ?? '').trim()}`);
  }
  return rows;
}

describe('refused unless allowed', () => {
  it('without --min-protocol NT1: exit 5 and why', async () => {
    const r = await runCli(['ls', `${base}/public`, '-N']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('this server speaks only SMB1 (CIFS); allow the legacy protocol for this drive');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('a drive mapped with --min-protocol NT1 keeps allowLegacy: it connects, copies and says so in drives; one mapped without it is refused', async () => {
    const cfg = mkdtempSync(join(tmpdir(), 'sk-smb1-cfg-'));
    const cenv = { XDG_CONFIG_HOME: cfg, HOME: cfg };
    try {
      writeFileSync(join(s.shareDir('public'), 'legacy-drive.txt'), 'through a legacy drive');
      const m = await runCli(['map', 'Old', `${base}/public`, ...NT1], { env: cenv });
      expect(m.code).toBe(0);
      expect(m.stdout).toMatch(/^Old: Connected/);
      expect(m.stderr).toMatch(/warning: Old allows the legacy protocol and logons/);
      const c = await runCli(['copy', 'Old:/legacy-drive.txt', join(local, 'legacy-drive.txt')], { env: cenv });
      expect(c.code).toBe(0);
      expect(readFileSync(join(local, 'legacy-drive.txt'), 'utf8')).toBe('through a legacy drive');
      const d = await runCli(['drives'], { env: cenv });
      expect(d.stdout).toMatch(/^Old\s+Connected/m);
      expect(d.stdout).toMatch(/can be recovered|turn back into the password/);
      // A drive mapped without the switch is refused (SMB1 stays off): not Connected.
      const plain = await runCli(['map', 'Plain', `${base}/public`], { env: cenv });
      expect(plain.code).toBe(5); // a security refusal, as for `ls` without the switch
      expect(plain.stdout).toContain('this server speaks only SMB1 (CIFS)');
      // The switches on a copy from it would be ignored (the drive connects with what it stores): exit 2.
      const sw = await runCli(['copy', 'Plain:/legacy-drive.txt', join(local, 'plain.txt'), ...NT1], { env: cenv });
      expect(sw.code).toBe(2);
      expect(sw.stderr).toContain("unmap 'Plain' and map it again with --min-protocol NT1");
      // A target copied with the switch gets it for the run.
      const t = await runCli(['copy', `${base}/public/legacy-drive.txt`, join(local, 'via-target.txt'), '-N', ...NT1], { env: cenv });
      expect(t.code).toBe(0);
      expect(readFileSync(join(local, 'via-target.txt'), 'utf8')).toBe('through a legacy drive');
    } finally {
      rmSync(cfg, { recursive: true, force: true });
    }
  });
  it('with it: NT1 is negotiated and the session logs in with NTLMv2', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user, ...NT1, '-d', '1'], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('negotiated NT1');
    expect(r.stderr).not.toMatch(/NTLMv1|LM/);
  });
});

describe('listing', () => {
  it('20,000 entries: every one, in the table and in --json, the same set smbclient -m NT1 lists', async () => {
    const names = await makeManyFiles(join(s.shareDir('public'), 'many'), 20_000);
    const table = await runCli(['ls', `${base}/public/many`, '-N', ...NT1], { timeoutMs: 60_000 });
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    const ours = rowNames(table.stdout);
    expect(ours).toHaveLength(20_000);
    expect(new Set(ours)).toEqual(new Set(names));
    const json = JSON.parse((await runCli(['ls', `${base}/public/many`, '-N', ...NT1, '--json'], { timeoutMs: 60_000 })).stdout) as { name: string }[];
    expect(new Set(json.map((e) => e.name))).toEqual(new Set(names));
    const ref = await s.smbclient(['//127.0.0.1/public', ...SMBCLIENT_NT1, '-c', 'cd many; ls'], { auth: 'guest', timeoutMs: 60_000 });
    expect(new Set(rowNames(ref.stdout))).toEqual(new Set(ours));
  });

  it('Unicode names list, stat and read back as they are', async () => {
    const names = ['Grüße.txt', '日本語のファイル.txt', 'emoji-😀.txt', 'Ωmega Δ.txt'];
    mkdirSync(join(s.shareDir('public'), 'uni'));
    for (const n of names) writeFileSync(join(s.shareDir('public'), 'uni', n), n);
    const json = JSON.parse((await runCli(['ls', `${base}/public/uni`, '-N', ...NT1, '--json'])).stdout) as { name: string; size: number }[];
    expect(json.map((e) => e.name).sort()).toEqual([...names].sort());
    for (const n of names) {
      const cat = await runCli(['cat', `${base}/public/uni/${n}`, '-N', ...NT1]);
      expect(cat.stdout).toBe(n);
    }
    const st = await runCli(['stat', `${base}/public/uni/${names[1]}`, '-N', ...NT1, '--json']);
    expect(JSON.parse(st.stdout)).toMatchObject({ name: names[1], size: Buffer.byteLength(names[1]!) });
  });
});

describe('transfers', () => {
  it('256 MiB put and get, byte-exact', async () => {
    const src = join(local, 'big.bin');
    await makeRandomFile(src, BIG);
    const want = await sha256File(src);
    const put = await runCli(['put', src, `${base}/private/big.bin`, '-U', s.user, ...NT1, '--no-progress'], { env, timeoutMs: 120_000 });
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect(await sha256File(join(s.shareDir('private'), 'big.bin'))).toBe(want);
    const dst = join(local, 'back.bin');
    const get = await runCli(['get', `${base}/private/big.bin`, dst, '-U', s.user, ...NT1, '--no-progress'], { env, timeoutMs: 120_000 });
    expect(get.code).toBe(0);
    expect(statSync(dst).size).toBe(BIG);
    expect(await sha256File(dst)).toBe(want);
    rmSync(join(s.shareDir('private'), 'big.bin'));
  }, 240_000);

  it('mkdir, put, mv, rm, rmdir', async () => {
    const src = join(local, 'small.txt');
    writeFileSync(src, 'smb1 file\n');
    const at = `${base}/private`;
    const run = (args: string[]) => runCli([...args, '-U', s.user, ...NT1], { env });
    expect((await run(['mkdir', `${at}/dir1`])).code).toBe(0);
    expect((await run(['put', src, `${at}/dir1/a.txt`, '--no-progress'])).code).toBe(0);
    expect((await run(['mv', `${at}/dir1/a.txt`, 'dir1/b.txt'])).code).toBe(0);
    expect(readFileSync(join(s.shareDir('private'), 'dir1', 'b.txt'), 'utf8')).toBe('smb1 file\n');
    const rmdirFull = await run(['rmdir', `${at}/dir1`]);
    expect(rmdirFull.code).toBe(1);
    expect(rmdirFull.stderr).toContain('NT_STATUS_DIRECTORY_NOT_EMPTY');
    expect((await run(['rm', `${at}/dir1/b.txt`])).code).toBe(0);
    expect((await run(['rmdir', `${at}/dir1`])).code).toBe(0);
    const gone = await run(['stat', `${at}/dir1`]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('NT_STATUS_OBJECT_NAME_NOT_FOUND');
  });
});

describe('failures', () => {
  it('wrong password → exit 4, NT_STATUS_LOGON_FAILURE, nothing weak tried', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user, ...NT1, '-d', '2'], { env: { SHAREKEEPER_PASSWORD: 'not-the-password' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('NT_STATUS_LOGON_FAILURE');
    expect(r.stderr).not.toContain('ntlmv1');
  });
  it('read-only share: put refused (exit 1), nothing appears', async () => {
    const src = join(local, 'ro.txt');
    writeFileSync(src, 'x');
    const r = await runCli(['put', src, `${base}/readonly/ro.txt`, '-N', ...NT1, '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_ACCESS_DENIED');
    expect((await runCli(['ls', `${base}/readonly`, '-N', ...NT1, '--json'])).stdout).not.toContain('ro.txt');
    expect((await runCli(['cat', `${base}/readonly/hello.txt`, '-N', ...NT1])).stdout).toBe('hello from samba\n');
  });
});

describe('shares', () => {
  it('equal to smbclient -L -m NT1 --option="client min protocol=NT1" (srvsvc over \\PIPE\\srvsvc)', async () => {
    const ref = await s.smbclient(['-L', '127.0.0.1', ...SMBCLIENT_NT1], { auth: 'guest' });
    expect(ref.code).toBe(0);
    const expected = shareRows(ref.stdout);
    expect(expected.size).toBeGreaterThanOrEqual(4);
    const ours = await runCli(['shares', base, '-N', ...NT1]);
    expect(ours.code).toBe(0);
    expect(shareRows(ours.stdout)).toEqual(expected);
  });
});

describe('checksums', () => {
  it('a file Samba wrote reads back identically through SMB1 (sha256)', async () => {
    const p = join(s.shareDir('public'), 'r.bin');
    writeFileSync(p, createHash('sha256').update('seed').digest().toString('hex').repeat(50_000));
    const dst = join(local, 'r.bin');
    expect((await runCli(['get', `${base}/public/r.bin`, dst, '-N', ...NT1, '--no-progress'])).code).toBe(0);
    expect(readFileSync(dst).equals(readFileSync(p))).toBe(true);
  });
});
