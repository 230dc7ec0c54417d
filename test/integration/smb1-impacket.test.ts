// A second, independent SMB1 server: impacket's smbserver (Debian python3-impacket), started
// without -smb2support so it speaks only NT LM 0.12, with extended security (NTLMSSP) and neither
// CAP_LARGE_READX/WRITEX nor pass-through levels. Through the CLI: listing, Unicode names, put and get
// byte-exact, mkdir/mv/rm, wrong password, shares.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeManyFiles, makeRandomFile, sha256File } from '../harness/fixtures.js';
import { impacketAvailable, startImpacket, type ImpacketServer } from '../harness/legacy-servers.js';
import { assertBuilt, runCli } from './cli-run.js';

const NT1 = ['--min-protocol', 'NT1'];
let s: ImpacketServer;
let local: string;
let at: string;
const env = (): Record<string, string> => ({ SHAREKEEPER_PASSWORD: s.password });

describe.runIf(impacketAvailable())('impacket smbserver (SMB1 only)', () => {
  beforeAll(async () => {
    assertBuilt();
    s = await startImpacket();
    at = `//127.0.0.1:${s.port}/${s.share}`;
    local = mkdtempSync(join(tmpdir(), 'sk-impacket-'));
  }, 60_000);
  afterAll(async () => {
    await s?.stop();
    if (local) rmSync(local, { recursive: true, force: true });
  });

  const run = (args: string[], password?: string) => runCli([...args, '-U', s.user, ...NT1], { env: password === undefined ? env() : { SHAREKEEPER_PASSWORD: password }, timeoutMs: 120_000 });

  it('refused without --min-protocol NT1 (exit 5), listed with it', async () => {
    const no = await runCli(['ls', at, '-U', s.user], { env: env() });
    expect(no.code).toBe(5);
    expect(no.stderr).toContain('speaks only SMB1');
    writeFileSync(join(s.dir, 'seen.txt'), 'x');
    const r = await run(['ls', at, '-d', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('negotiated NT1');
    expect(r.stdout).toContain('seen.txt');
  });

  // impacket 0.10's FIND_NEXT2 sends its entries unpadded but counts the padding in NextEntryOffset
  // (smbserver.py findNext2), so only what fits in FIND_FIRST2 (~560 entries) can be listed from it.
  it('lists a 400-entry folder completely (one FIND_FIRST2)', async () => {
    const names = await makeManyFiles(join(s.dir, 'many'), 400);
    const r = await run(['ls', `${at}/many`, '--json']);
    expect(r.code).toBe(0);
    expect(new Set((JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name))).toEqual(new Set(names));
  });

  it('Unicode names', async () => {
    mkdirSync(join(s.dir, 'uni'));
    const names = ['Grüße.txt', '日本語.txt', 'emoji-😀.txt'];
    for (const n of names) writeFileSync(join(s.dir, 'uni', n), n);
    const r = await run(['ls', `${at}/uni`, '--json']);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name).sort()).toEqual([...names].sort());
    expect((await run(['cat', `${at}/uni/${names[1]}`])).stdout).toBe(names[1]);
  });

  it('put and get 24 MiB byte-exact', async () => {
    const src = join(local, 'mid.bin');
    await makeRandomFile(src, 24 * 1024 * 1024);
    const want = await sha256File(src);
    expect((await run(['put', src, `${at}/mid.bin`, '--no-progress'])).code).toBe(0);
    expect(await sha256File(join(s.dir, 'mid.bin'))).toBe(want);
    const dst = join(local, 'back.bin');
    expect((await run(['get', `${at}/mid.bin`, dst, '--no-progress'])).code).toBe(0);
    expect(await sha256File(dst)).toBe(want);
  }, 120_000);

  it('mkdir, mv, rm, rmdir', async () => {
    const src = join(local, 'a.txt');
    writeFileSync(src, 'impacket\n');
    expect((await run(['mkdir', `${at}/d`])).code).toBe(0);
    expect((await run(['put', src, `${at}/d/a.txt`, '--no-progress'])).code).toBe(0);
    expect((await run(['mv', `${at}/d/a.txt`, 'd/b.txt'])).code).toBe(0);
    expect(readFileSync(join(s.dir, 'd', 'b.txt'), 'utf8')).toBe('impacket\n');
    expect((await run(['rm', `${at}/d/b.txt`])).code).toBe(0);
    expect((await run(['rmdir', `${at}/d`])).code).toBe(0);
  });

  it('wrong password → exit 4', async () => {
    const r = await run(['ls', at], 'wrong');
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('NT_STATUS_LOGON_FAILURE');
  });

  it('shares lists the share', async () => {
    const r = await run(['shares', `//127.0.0.1:${s.port}`, '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { name: string }[]).map((x) => x.name)).toContain(s.share);
  });
});
