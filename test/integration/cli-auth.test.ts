// Who the CLI logs in as, what it does when that fails, and that a password never leaks:
// guest / user / anonymous, wrong password (exit 4), access denied (exit 1), unreachable (exit 3),
// --password-stdin, and a -d 10 run whose output must not contain the password.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../harness/free-port.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

let s: SambaServer;
let base: string;
let local: string;

beforeAll(async () => {
  assertBuilt();
  // A password with shell- and regex-special characters and a space, long enough to grep for.
  s = await startSamba({ password: 'Sk Pw$*(x) 9f3Qz!' });
  base = `//127.0.0.1:${s.port}`;
  local = await mkdtemp(join(tmpdir(), 'sk-cli-auth-'));
});
afterAll(async () => {
  await s?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

describe('logging in', () => {
  it('guest (-N) reads public', async () => {
    expect((await runCli(['ls', `${base}/public`, '-N'])).code).toBe(0);
  });
  it('no credentials at all is an anonymous session, enough for readonly', async () => {
    expect((await runCli(['cat', `${base}/readonly/hello.txt`])).stdout).toBe('hello from samba\n');
  });
  it('-N -U someone is a guest logon under that name (Samba maps unknown users to guest)', async () => {
    expect((await runCli(['ls', `${base}/public`, '-N', '-U', 'nosuchuser'])).code).toBe(0);
  });
  it('user with SHAREKEEPER_PASSWORD reads private', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user], { env: { SHAREKEEPER_PASSWORD: s.password } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('user with --password-stdin reads private', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user, '--password-stdin'], { input: `${s.password}\n` });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
  it('user from an smb:// URL', async () => {
    const r = await runCli(['ls', `smb://${s.user}@127.0.0.1:${s.port}/private`], { env: { SHAREKEEPER_PASSWORD: s.password } });
    expect(r.code).toBe(0);
  });
});

describe('failures and their exit codes', () => {
  it('wrong password → exit 4 and NT_STATUS_LOGON_FAILURE', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user], { env: { SHAREKEEPER_PASSWORD: 'definitely-wrong' } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('NT_STATUS_LOGON_FAILURE');
    expect(r.stderr).not.toContain('definitely-wrong');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('guest on private → exit 1 and NT_STATUS_ACCESS_DENIED', async () => {
    const r = await runCli(['ls', `${base}/private`, '-N']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_ACCESS_DENIED');
  });
  it('put on readonly is refused (exit 1) and nothing appears there', async () => {
    const src = join(local, 'x.txt');
    await writeFile(src, 'x');
    const r = await runCli(['put', src, `${base}/readonly/x.txt`, '-N']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_ACCESS_DENIED');
    expect((await runCli(['ls', `${base}/readonly`, '-N', '--json'])).stdout).not.toContain('x.txt');
  });
  it('a port nobody listens on → exit 3, one line, no stack', async () => {
    const port = await findFreePort();
    const r = await runCli(['ls', `//127.0.0.1:${port}/public`, '-N', '-t', '5']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^sharekeeper: .*127\\.0\\.0\\.1:${port}.*\\n$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('a share that does not exist → exit 1 NT_STATUS_BAD_NETWORK_NAME', async () => {
    const r = await runCli(['ls', `${base}/no-such-share`, '-N']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NT_STATUS_BAD_NETWORK_NAME');
  });
  it('--password on the command line is refused (exit 2) before anything else', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user, '--password', s.password]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not taken on the command line/);
  });
});

describe('the password never shows', () => {
  it('-d 10 logs requests but never the password (success and failure)', async () => {
    const ok = await runCli(['ls', `${base}/private`, '-U', s.user, '-d', '10'], { env: { SHAREKEEPER_PASSWORD: s.password } });
    expect(ok.code).toBe(0);
    expect(ok.stderr.split('\n').length).toBeGreaterThan(5);
    for (const text of [ok.stdout, ok.stderr]) expect(text).not.toContain(s.password);

    const stdin = await runCli(['cat', `${base}/private/nope`, '-U', s.user, '-d', '10', '--password-stdin'], { input: `${s.password}\n` });
    for (const text of [stdin.stdout, stdin.stderr]) expect(text).not.toContain(s.password);

    const bad = await runCli(['ls', `${base}/private`, '-U', s.user, '-d', '10'], { env: { SHAREKEEPER_PASSWORD: `${s.password}-wrong` } });
    expect(bad.code).toBe(4);
    for (const text of [bad.stdout, bad.stderr]) expect(text).not.toContain(s.password);
  });
});
