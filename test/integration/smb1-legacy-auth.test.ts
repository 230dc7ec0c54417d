// Legacy logons (issue 11): a Samba with `lanman auth = yes` and the smbpasswd backend, and one whose
// passdb keeps only the LM hash, so that nothing but an LM answer proves the password. Without
// --allow-legacy-auth no weak answer is sent and the logon fails; with it the LANMAN-only logon works
// and the CLI says plainly what that costs. A server offering NT1..SMB3_11 picks 3.1.1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

const NT1 = ['--min-protocol', 'NT1'];
const WARNING = 'anyone who captures the traffic can turn back into the password';
let lanman: SambaServer;
let lmOnly: SambaServer;
let modern: SambaServer;
let local: string;

beforeAll(async () => {
  assertBuilt();
  [lanman, lmOnly, modern] = await Promise.all([startNt1Samba({ lanman: true }), startNt1Samba({ lanman: true, lmOnly: true }), startNt1Samba({ upToSmb3: true })]);
  local = mkdtempSync(join(tmpdir(), 'sk-smb1-legacy-'));
}, 120_000);
afterAll(async () => {
  await Promise.all([lanman?.stop(), lmOnly?.stop(), modern?.stop()]);
  if (local) rmSync(local, { recursive: true, force: true });
});

const ls = (s: SambaServer, extra: string[], password = s.password) =>
  runCli(['ls', `//127.0.0.1:${s.port}/private`, '-U', s.user, ...NT1, '-d', '2', ...extra], { env: { SHAREKEEPER_PASSWORD: password } });

describe('lanman auth = yes, smbpasswd backend', () => {
  it('a user logs in with NTLMv2 as usual; no weak answer is needed', async () => {
    const r = await ls(lanman, []);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('logged in with');
  });
  it('with --allow-legacy-auth the warning is printed even when NTLMv2 works', async () => {
    const r = await ls(lanman, ['--allow-legacy-auth']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
  });
});

describe('a LANMAN-only server (only the LM hash is kept)', () => {
  it('without --allow-legacy-auth: NTLMv2 is refused, exit 4, no NTLMv1/LM answer was tried', async () => {
    const r = await ls(lmOnly, []);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('NT_STATUS_LOGON_FAILURE');
    expect(r.stderr).not.toMatch(/with ntlmv1|with lm/);
  });
  it('with --allow-legacy-auth: the LM answer logs in, and the CLI says what that costs', async () => {
    const r = await ls(lmOnly, ['--allow-legacy-auth']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(WARNING);
    expect(r.stderr).toContain('logged in with lm');
    const src = join(local, 'f.txt');
    writeFileSync(src, 'lm only\n');
    const put = await runCli(['put', src, `//127.0.0.1:${lmOnly.port}/private/f.txt`, '-U', lmOnly.user, ...NT1, '--allow-legacy-auth', '--no-progress'], { env: { SHAREKEEPER_PASSWORD: lmOnly.password } });
    expect(put.code).toBe(0);
    const cat = await runCli(['cat', `//127.0.0.1:${lmOnly.port}/private/f.txt`, '-U', lmOnly.user, ...NT1, '--allow-legacy-auth'], { env: { SHAREKEEPER_PASSWORD: lmOnly.password } });
    expect(cat.stdout).toBe('lm only\n');
  });
  it('with --allow-legacy-auth a wrong password still fails with exit 4', async () => {
    const r = await ls(lmOnly, ['--allow-legacy-auth'], 'wrong-pw');
    expect(r.code).toBe(4);
  });
});

describe('a server offering NT1..SMB3_11', () => {
  it('--min-protocol NT1: the multi-protocol NEGOTIATE picks SMB 3.1.1', async () => {
    const r = await runCli(['ls', `//127.0.0.1:${modern.port}/public`, '-N', ...NT1, '-d', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('negotiated SMB3_11');
    expect(await modern.smbstatus(['-b'])).toBeDefined();
  });
  it('--max-protocol NT1 with it: SMB1 only', async () => {
    const r = await runCli(['ls', `//127.0.0.1:${modern.port}/public`, '-N', ...NT1, '-m', 'NT1', '-d', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('negotiated NT1');
  });
  it('without SMB1 allowed the SMB2 path is as before', async () => {
    const r = await runCli(['ls', `//127.0.0.1:${modern.port}/public`, '-N', '-d', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('negotiated SMB3_11');
  });
});
