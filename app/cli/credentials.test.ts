import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseUserSpec, resolveCredentials, type CredentialSources } from './credentials.js';
import type { InputLike } from './password-input.js';
import { UsageError } from './usage-error.js';

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _enc, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

function sources(over: Partial<CredentialSources> & { user?: string; noPass?: boolean; passwordStdin?: boolean } = {}): CredentialSources {
  return {
    options: { user: over.user, noPass: over.noPass ?? false, passwordStdin: over.passwordStdin ?? false },
    target: over.target ?? { host: 'fs1', user: undefined, domain: undefined },
    env: over.env ?? {},
    stdin: over.stdin ?? new PassThrough(),
    stderr: over.stderr ?? sink(),
  };
}

describe('parseUserSpec', () => {
  it.each([
    ['alice', { user: 'alice', domain: undefined }],
    ['CORP\\alice', { user: 'alice', domain: 'CORP' }],
    ['CORP/alice', { user: 'alice', domain: 'CORP' }],
    ['alice@corp.example', { user: 'alice', domain: 'corp.example' }],
    ['a@b@corp', { user: 'a@b', domain: 'corp' }],
  ])('%s', (spec, expected) => {
    expect(parseUserSpec(spec)).toEqual(expected);
  });
  it.each(['\\alice', 'CORP\\', 'alice@', '@corp'])('refuses %s', (spec) => {
    expect(() => parseUserSpec(spec)).toThrow(UsageError);
  });
});

describe('resolveCredentials', () => {
  it('-N alone is a guest logon that falls back to a null session (as smbclient -N)', async () => {
    expect((await resolveCredentials(sources({ noPass: true }))).credentials).toEqual({ kind: 'guest', orAnonymous: true });
  });
  it('-N with a user is a guest logon as that user', async () => {
    expect((await resolveCredentials(sources({ noPass: true, user: 'bob' }))).credentials).toEqual({ kind: 'guest', user: 'bob' });
  });
  it('no user at all is a guest logon that falls back to a null session', async () => {
    expect((await resolveCredentials(sources({ env: { SHAREKEEPER_PASSWORD: 'x' } }))).credentials).toEqual({ kind: 'guest', orAnonymous: true });
  });
  it('takes the password from SHAREKEEPER_PASSWORD and the domain from -U', async () => {
    const r = await resolveCredentials(sources({ user: 'CORP\\bob', env: { SHAREKEEPER_PASSWORD: 'pa ss' } }));
    expect(r).toEqual({ credentials: { kind: 'user', user: 'bob', domain: 'CORP', password: 'pa ss' }, secret: 'pa ss' });
  });
  it('takes the user and domain from the URL', async () => {
    const r = await resolveCredentials(sources({ target: { host: 'h', user: 'amy', domain: 'D' }, env: { SHAREKEEPER_PASSWORD: 'pw1' } }));
    expect(r.credentials).toEqual({ kind: 'user', user: 'amy', domain: 'D', password: 'pw1' });
  });
  it('refuses two different users', async () => {
    await expect(resolveCredentials(sources({ user: 'bob', target: { host: 'h', user: 'amy', domain: undefined } }))).rejects.toThrow(/differ/);
  });
  it('--password-stdin reads the first line only, without CR/LF, and wins over the environment', async () => {
    const stdin = new PassThrough();
    stdin.end('s3cret\r\nrest of input\n');
    const r = await resolveCredentials(sources({ user: 'bob', passwordStdin: true, stdin, env: { SHAREKEEPER_PASSWORD: 'env' } }));
    expect(r.credentials).toMatchObject({ password: 's3cret' });
  });
  it('--password-stdin without a trailing newline takes everything', async () => {
    const stdin = new PassThrough();
    stdin.end('pw');
    expect((await resolveCredentials(sources({ user: 'bob', passwordStdin: true, stdin }))).credentials).toMatchObject({ password: 'pw' });
  });
  it('--password-stdin needs a user', async () => {
    await expect(resolveCredentials(sources({ passwordStdin: true }))).rejects.toThrow(UsageError);
  });
  it('with no password source and no terminal, says how to give one', async () => {
    await expect(resolveCredentials(sources({ user: 'bob' }))).rejects.toThrow(/SHAREKEEPER_PASSWORD/);
  });
  it('prompts on a terminal without echo', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, rawModes: [] as boolean[] }) as PassThrough & InputLike & { rawModes: boolean[] };
    stdin.setRawMode = (m: boolean) => stdin.rawModes.push(m);
    const stderr = sink();
    const pending = resolveCredentials(sources({ user: 'CORP\\bob', stdin, stderr }));
    stdin.write('hunter');
    stdin.write('x\u007f2\r');
    const r = await pending;
    expect(r.credentials).toMatchObject({ password: 'hunter2' });
    expect(stderr.text).toBe('Password for CORP\\bob on fs1: \n');
    expect(stdin.rawModes).toEqual([true, false]);
  });
});
