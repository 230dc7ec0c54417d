import { describe, expect, it } from 'vitest';
import { NtStatus, SmbError, SmbStatusError, type SmbErrorCode } from '../../protocol/index.js';
import { describeError, ExitCode, exitCodeFor, exitCodeForErrorCode } from './exit-codes.js';
import { TransferError, UnsafeNameError } from '../../main/transfers/index.js';
import { CommandError, InterruptedError, LocalFileError, UsageError } from './usage-error.js';

describe('exit codes', () => {
  it.each<[SmbErrorCode, number]>([
    ['status', 1],
    ['auth', 4],
    ['transport', 3],
    ['timeout', 3],
    ['malformed', 3],
    ['unsupported', 3],
    ['security', 5],
    ['cancelled', 130],
  ])('%s → %i', (code, exit) => {
    expect(exitCodeFor(new SmbError(code, 'x'))).toBe(exit);
  });

  it('a refused operation names the NTSTATUS, the operation and the path, without a stack', () => {
    const e = new SmbStatusError(NtStatus.STATUS_OBJECT_NAME_NOT_FOUND, { operation: 'open', path: '\\docs\\x.txt' });
    const r = describeError(e, { debug: 0 });
    expect(r.exitCode).toBe(1);
    expect(r.lines).toEqual(['sharekeeper: NT_STATUS_OBJECT_NAME_NOT_FOUND (open \\docs\\x.txt)']);
  });
  it('a failed login is exit 4 with NT_STATUS_LOGON_FAILURE', () => {
    const e = new SmbStatusError(NtStatus.STATUS_LOGON_FAILURE, { code: 'auth', command: 'SESSION_SETUP' });
    const r = describeError(e, { debug: 0 });
    expect(r.exitCode).toBe(4);
    expect(r.lines[0]).toContain('NT_STATUS_LOGON_FAILURE');
  });
  it('an unreachable server names the server', () => {
    const r = describeError(new SmbError('transport', 'connect ECONNREFUSED'), { server: '127.0.0.1:1', debug: 0 });
    expect(r).toEqual({ exitCode: 3, lines: ['sharekeeper: cannot reach 127.0.0.1:1: connect ECONNREFUSED'] });
  });
  it('a security failure is exit 5', () => {
    expect(describeError(new SmbError('security', 'server does not sign'), { debug: 0 }).exitCode).toBe(ExitCode.SECURITY);
  });
  it('usage errors are exit 2 and point at --help', () => {
    const r = describeError(new UsageError('no command given'), { debug: 0 });
    expect(r.exitCode).toBe(2);
    expect(r.lines[1]).toMatch(/--help/);
  });
  it('local and command errors are exit 1, interrupts 130', () => {
    expect(describeError(new LocalFileError('x'), { debug: 0 }).exitCode).toBe(1);
    expect(describeError(new CommandError('x'), { debug: 0 }).exitCode).toBe(1);
    expect(describeError(new InterruptedError(), { debug: 0 }).exitCode).toBe(130);
  });
  it('unexpected errors are one line plus a hint; the stack only at -d 5', () => {
    const quiet = describeError(new TypeError('boom'), { debug: 0 });
    expect(quiet.lines).toEqual(['sharekeeper: unexpected error: boom', 'run with -d 5 for details']);
    const loud = describeError(new TypeError('boom'), { debug: 5 });
    expect(loud.lines[1]).toBe('TypeError: boom');
    expect(loud.lines[2]).toMatch(/^\s+at /);
  });
});

describe('server text in error messages (issue 7, defect 6)', () => {
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  const hostile = 'dir\\\x1b]0;owned\x07\x1b[31mred\rEVIL\u202Etxt.exe\u009B\nsharekeeper: forged line';

  it.each([
    ['a status error naming a path', new SmbStatusError(NtStatus.STATUS_ACCESS_DENIED, { operation: 'open', path: hostile })],
    ['a malformed-message error', new SmbError('malformed', `bad name ${hostile}`)],
    ['a command error', new CommandError(`${hostile} is a folder; get copies one file`)],
    ['an unexpected error', new Error(hostile)],
  ])('%s prints one line per line of ours, escaped', (_why, e) => {
    for (const debug of [0, 5]) {
      const r = describeError(e, { debug });
      for (const line of r.lines) expect(line).not.toMatch(RAW);
      expect(r.lines[0]).toContain('dir\\\\\\033]0;owned\\a\\033[31mred\\rEVIL\\u202Etxt.exe\\u009B\\nsharekeeper: forged line');
      expect(r.lines.filter((l) => l.startsWith('sharekeeper:'))).toHaveLength(1);
    }
  });

  it('leaves an ordinary Windows path as it is', () => {
    const e = new SmbStatusError(NtStatus.STATUS_ACCESS_DENIED, { operation: 'open', path: 'dir\\new.txt' });
    expect(describeError(e, { debug: 0 }).lines).toEqual(['sharekeeper: NT_STATUS_ACCESS_DENIED (open dir\\new.txt)']);
  });
});

describe('cannot-reach wording', () => {
  it('does not repeat the server when the message already names it', () => {
    const r = describeError(new SmbError('transport', 'cannot reach 127.0.0.1:1: ECONNREFUSED'), { server: '127.0.0.1:1', debug: 0 });
    expect(r.lines).toEqual(['sharekeeper: cannot reach 127.0.0.1:1: ECONNREFUSED']);
  });
});

describe('cannot-use wording', () => {
  it('a server we reach but cannot work with is "cannot use"', () => {
    const r = describeError(new SmbError('unsupported', 'NT_STATUS_NOT_SUPPORTED (negotiate)'), { server: 'h:445', debug: 0 });
    expect(r).toEqual({ exitCode: 3, lines: ['sharekeeper: cannot use h:445: NT_STATUS_NOT_SUPPORTED (negotiate)'] });
  });
});

describe('exitCodeForErrorCode (what get and copy share)', () => {
  it.each([
    ['transport', 3],
    ['timeout', 3],
    ['malformed', 3],
    ['unsupported', 3],
    ['auth', 4],
    ['security', 5],
    ['status', 1],
    ['cancelled', 130],
  ])('%s → %d', (code, exit) => {
    expect(exitCodeForErrorCode(code)).toBe(exit);
  });
  it('codes outside the SmbError family (the queue\'s checks, local I/O) are left to the caller', () => {
    expect(exitCodeForErrorCode('size-mismatch')).toBeUndefined();
    expect(exitCodeForErrorCode('local-io')).toBeUndefined();
    expect(exitCodeForErrorCode(undefined)).toBeUndefined();
  });
});

describe('the copy engine\'s own checks', () => {
  it('a TransferError or an unsafe name is a refusal (1) with its message, not an unexpected error', () => {
    const r = describeError(new TransferError('size-mismatch', 'f: got 3 bytes, the server said 4', 'f'), { debug: 0 });
    expect(r).toEqual({ exitCode: 1, lines: ['sharekeeper: f: got 3 bytes, the server said 4'] });
    expect(describeError(new UnsafeNameError('a\\b', 'separator'), { debug: 0 }).exitCode).toBe(1);
  });
});
