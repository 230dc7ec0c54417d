import { describe, expect, it } from 'vitest';
import { Dialect } from '../../protocol/index.js';
import { parseArgs, parseProtocol } from './args.js';
import { UsageError } from './usage-error.js';

describe('parseArgs', () => {
  it('finds the command and its arguments around options', () => {
    const p = parseArgs(['-U', 'alice', 'ls', '//h/s', '--json', '-d3']);
    expect(p.command).toBe('ls');
    expect(p.positionals).toEqual(['//h/s']);
    expect(p.options.user).toBe('alice');
    expect(p.options.json).toBe(true);
    expect(p.options.debug).toBe(3);
    expect([...p.given].sort()).toEqual(['debug', 'json', 'user']);
  });
  it('takes --name=value, attached short values and bundles', () => {
    const p = parseArgs(['get', '--user=CORP\\bob', '-Nf', '-p4450', '--timeout=2.5', '//h/s/x']);
    expect(p.options).toMatchObject({ user: 'CORP\\bob', noPass: true, force: true, port: 4450, timeoutMs: 2500 });
  });
  it('stops at --', () => {
    const p = parseArgs(['put', '--', '-weird-name', '//h/s']);
    expect(p.positionals).toEqual(['-weird-name', '//h/s']);
  });
  it('keeps a lone - as an argument', () => {
    expect(parseArgs(['cat', '-']).positionals).toEqual(['-']);
  });
  it('reads protocol pins, smbclient-style -m included', () => {
    const p = parseArgs(['ls', '-m', 'smb3_00', '--min-protocol', 'SMB2_10', '//h/s']);
    expect(p.options.maxProtocol).toBe(Dialect.SMB3_00);
    expect(p.options.minProtocol).toBe(Dialect.SMB2_10);
  });
  it('--help anywhere asks for help', () => {
    expect(parseArgs(['ls', '--help']).help).toBe(true);
    expect(parseArgs(['-h']).help).toBe(true);
    expect(parseArgs(['-h']).command).toBeUndefined();
  });
  it('has sensible defaults', () => {
    expect(parseArgs(['ls', '//h/s']).options).toMatchObject({ debug: 0, json: false, progress: true, sign: false, noPass: false });
  });

  it.each([
    [['--password', 'x', 'ls']],
    [['--password=x', 'ls']],
    [['--pass=x', 'ls']],
    [['-U', 'bob%secret', 'ls']],
  ])('refuses a password on the command line: %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(/process lists/);
  });

  it.each([
    [['--nope']],
    [['-Z']],
    [['-U']],
    [['--json=yes']],
    [['-p', '0']],
    [['-p', 'http']],
    [['-t', '0']],
    [['-t', '-1']],
    [['-t', 'soon']],
    [['-d', '11']],
    [['-d', 'x']],
    [['--min-protocol', 'SMB3_11', '-m', 'SMB2_02']],
    [['-N', '--password-stdin']],
    [['-U', '']],
  ])('usage error for %j', (argv) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
  });
});

describe('parseProtocol', () => {
  it('takes every dialect name in any case', () => {
    expect(parseProtocol('SMB2_02', 'max')).toBe(0x0202);
    expect(parseProtocol('smb2_10', 'max')).toBe(0x0210);
    expect(parseProtocol('SMB3_00', 'max')).toBe(0x0300);
    expect(parseProtocol('SMB3_02', 'max')).toBe(0x0302);
    expect(parseProtocol('SMB3_11', 'max')).toBe(0x0311);
  });
  it('maps SMB2 and SMB3 the way smb.conf does', () => {
    expect(parseProtocol('SMB2', 'max')).toBe(0x0210);
    expect(parseProtocol('smb3', 'min')).toBe(0x0311);
  });
  it('takes SMB1 only as NT1, and only when --min-protocol allows it', () => {
    expect(() => parseProtocol('LANMAN2', 'max')).toThrow(/only NT1/);
    expect(() => parseProtocol('SMB4', 'max')).toThrow(/expected NT1, SMB2_02/);
    expect(parseArgs(['ls', '--min-protocol', 'NT1', '//h/s']).options).toMatchObject({ allowSmb1: true, smb1Only: false, minProtocol: undefined });
    expect(parseArgs(['ls', '--min-protocol', 'nt1', '-m', 'NT1', '//h/s']).options).toMatchObject({ allowSmb1: true, smb1Only: true });
    expect(() => parseArgs(['ls', '-m', 'NT1', '//h/s'])).toThrow(/needs --min-protocol NT1/);
    expect(parseArgs(['ls', '--allow-legacy-auth', '//h/s']).options.allowLegacyAuth).toBe(true);
  });
});
