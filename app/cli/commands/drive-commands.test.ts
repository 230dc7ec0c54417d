// The drive commands' pure parts (arguments → drive record, SRC/DST → endpoints, state → exit code
// and text), and the commands in-process against a temp config folder where no server is needed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Drive, DriveStatus, TransitionEvent } from '../../../main/index.js';
import { defaultOptions, parseArgs } from '../args.js';
import type { RunContext } from '../connection.js';
import type { CliIo } from '../io.js';
import { createLogger } from '../logger.js';
import { parseEndpoint, sharePath, splitEndpoints, lastName } from './copy-endpoints.js';
import { cliPrompt } from './drive-context.js';
import { driveReport, drivesTable, exitCodeForState, legacyNotes, stateLine } from './drive-status.js';
import { newDrive } from './map.js';
import { transientDriveOptions } from './copy.js';
import { watchLine, watchText } from './watch.js';
import { capture } from '../capture-stream.test-helpers.js';
import { inProcessCli } from '../in-process-cli.test-helpers.js';

const team: Drive = { id: 'id-1', name: 'Team', target: 'smb://nas/team/docs', alternates: [], options: {}, persistent: true, user: 'bob' };

describe('map: the drive record', () => {
  it('keeps the user out of the target, the port in it, and options as requirements', () => {
    const o = parseArgs(['map', 'Team', 'smb://CORP;bob@nas:1445/team/a b', '--alt', '10.0.0.5', '--alt', '//vpn.example:4450/team', '--sign', '-m', 'SMB3']).options;
    expect(newDrive('Team', 'smb://CORP;bob@nas:1445/team/a%20b', o)).toEqual({
      name: 'Team',
      target: 'smb://nas:1445/team/a%20b',
      alternates: ['10.0.0.5', 'vpn.example:4450'],
      options: { requireSigning: true, maxProtocol: 'SMB3_11' },
      user: 'bob',
      domain: 'CORP',
    });
  });
  it('keeps the legacy switches as allowLegacy (issue 11); SMB1-only is for one run', () => {
    const legacy = (...args: string[]) => newDrive('Old', '//nas/old', parseArgs(['map', 'Old', '//nas/old', ...args]).options).options;
    expect(legacy()).toEqual({});
    expect(legacy('--min-protocol', 'NT1')).toEqual({ allowLegacy: true });
    expect(legacy('--allow-legacy-auth')).toEqual({ allowLegacy: true });
    expect(legacy('--min-protocol', 'NT1', '--allow-legacy-auth', '--sign')).toEqual({ allowLegacy: true, requireSigning: true });
    expect(legacy('--min-protocol', 'SMB2_10')).toEqual({ minProtocol: 'SMB2_10' });
    expect(() => legacy('--min-protocol', 'NT1', '--max-protocol', 'NT1')).toThrow(/--max-protocol NT1 is for one run/);
  });
  it('refuses what cannot be a drive', () => {
    const o = defaultOptions();
    expect(() => newDrive('a:b', '//nas/team', o)).toThrow(/not allowed/);
    expect(() => newDrive('T', '//nas', o)).toThrow(/names no share/);
    expect(() => newDrive('T', '//nas/team', { ...o, alternates: ['//vpn/other'] })).toThrow(/names share 'other'/);
    expect(() => newDrive('T', '//nas/team', { ...o, alternates: ['bad host!'] })).toThrow(/not a valid host/);
    expect(() => newDrive('T', '//nas/team', { ...o, savePassword: true })).toThrow(/needs a user/);
  });
});

describe('copy: SRC and DST', () => {
  it('tells local paths, mapped drives and targets apart', () => {
    expect(parseEndpoint('Team:/sub/f.txt', [team])).toMatchObject({ kind: 'drive', path: 'sub/f.txt' });
    expect(parseEndpoint('team:', [team])).toMatchObject({ kind: 'drive', path: '' });
    expect(parseEndpoint('//nas/team/x', [team])).toMatchObject({ kind: 'target', path: 'x' });
    expect(parseEndpoint('./Team:/x', [team])).toMatchObject({ kind: 'local' });
    expect(parseEndpoint('C:\\data', [team])).toMatchObject({ kind: 'local' });
    expect(() => parseEndpoint('Nope:/x', [team])).toThrow(/no drive named 'Nope'/);
  });
  it('needs one remote side and puts a drive path under the drive\'s folder', () => {
    const d = parseEndpoint('Team:/sub', [team]);
    const l = parseEndpoint('/tmp/x', [team]);
    expect(splitEndpoints(d, l).direction).toBe('download');
    expect(splitEndpoints(l, d).direction).toBe('upload');
    expect(() => splitEndpoints(l, l)).toThrow(/both sides are local/);
    expect(() => splitEndpoints(d, d)).toThrow(/both sides are remote/);
    expect(sharePath(splitEndpoints(d, l).remote)).toBe('docs/sub');
    expect(lastName('a/b/', 'x')).toBe('b');
    expect(lastName('', 'x')).toBe('x');
  });
});

describe('copy: a target\'s requirements for the run', () => {
  it('passes the legacy switches on as allowLegacy', () => {
    const opts = (...args: string[]) => transientDriveOptions(parseArgs(['copy', '//nas/s/f', '/tmp/f', ...args]).options);
    expect(opts()).toEqual({});
    expect(opts('--min-protocol', 'NT1')).toEqual({ allowLegacy: true });
    expect(opts('--allow-legacy-auth', '--encrypt')).toEqual({ allowLegacy: true, requireEncryption: true });
    expect(opts('-m', 'SMB3')).toEqual({ maxProtocol: 'SMB3_11' });
  });
});

describe('drive states for people and scripts', () => {
  const status = (kind: string, reason: string): DriveStatus =>
    ({ drive: team, rootPath: '', state: { kind, diagnosis: { reason, message: `${reason} happened` }, since: Date.UTC(2024, 0, 2, 3, 4, 5) } }) as unknown as DriveStatus;
  it('maps states to exit codes', () => {
    expect(exitCodeForState(status('connected', 'connected').state)).toBe(0);
    expect(exitCodeForState(status('unavailable', 'tcp-refused').state)).toBe(3);
    expect(exitCodeForState(status('auth-failed', 'credentials-missing').state)).toBe(4);
    expect(exitCodeForState(status('unavailable', 'security').state)).toBe(5);
    expect(exitCodeForState(status('connecting', 'startup').state)).toBe(3);
  });
  it('reports and tables carry name, status, target, since and reason', () => {
    const r = driveReport(team, status('auth-failed', 'auth-rejected'));
    expect(r).toEqual({
      name: 'Team', id: 'id-1', target: 'smb://nas/team/docs', alternates: [], user: 'bob',
      status: 'auth-failed', reason: 'auth-rejected', message: 'auth-rejected happened', since: '2024-01-02T03:04:05.000Z',
    });
    const table = drivesTable([r]).split('\n');
    expect(table[0]).toMatch(/^NAME\s+STATUS\s+TARGET\s+SINCE\s+REASON$/);
    expect(table[1]).toMatch(/^Team\s+Auth failed\s+smb:\/\/nas\/team\/docs\s+2024-01-02 03:04:05\s+auth-rejected: auth-rejected happened$/);
  });
  it('a drive that allows legacy logons says plainly what that means for its password', () => {
    const old: Drive = { ...team, name: 'Old', options: { allowLegacy: true } };
    expect(legacyNotes([team])).toBe('');
    const note = legacyNotes([team, old]);
    expect(note.split('\n')).toHaveLength(2);
    expect(note).toMatch(/^warning: Old allows the legacy protocol and logons \(SMB1, NTLMv1\/LM\)/);
    expect(note).toMatch(/anyone who captures the traffic can turn back into the password\n$/);
    expect(driveReport(old, status('connected', 'connected'))).toMatchObject({ allowLegacy: true });
    expect(driveReport(team, status('connected', 'connected'))).not.toHaveProperty('allowLegacy');
    expect(legacyNotes([{ name: 'E\u001b[31m', options: { allowLegacy: true } }])).not.toContain('\u001b');
  });
  it('watch lines have exactly drive, from, to, reason, message, at', () => {
    const e = { driveId: 'id-1', from: 'connected', to: 'reconnecting', reason: 'connection-lost', message: 'gone', at: 0, state: {} } as unknown as TransitionEvent;
    expect(watchLine('Team', e)).toEqual({ drive: 'Team', from: 'connected', to: 'reconnecting', reason: 'connection-lost', message: 'gone', at: '1970-01-01T00:00:00.000Z' });
  });
});

describe('server text in drive output (issue 7, defect 6)', () => {
  const hostile = 'NT_STATUS_ACCESS_DENIED (open \x1b]0;owned\x07\x1b[31m\u202Eexe.txt\u009B\rx\nTeam  Connected)';
  // eslint-disable-next-line no-control-regex
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
  const state = { kind: 'unavailable', diagnosis: { reason: 'share-refused', message: hostile }, since: 0 } as unknown as DriveStatus['state'];
  it('drives table and state lines show the message escaped, one line per drive', () => {
    const table = drivesTable([driveReport(team, { drive: team, rootPath: '', state } as unknown as DriveStatus)]);
    expect(table).not.toMatch(RAW);
    expect(table.trimEnd().split('\n')).toHaveLength(2);
    expect(table).toContain('\\033]0;owned\\a\\033[31m\\u202Eexe.txt\\u009B\\rx\\nTeam');
    const line = stateLine('Te\x1bam', state);
    expect(line).not.toMatch(RAW);
    expect(line.startsWith('Te\\033am: Unavailable (')).toBe(true);
  });
  it('watch lines are exact JSON with no raw control or bidi character', () => {
    const e = { driveId: 'id-1', from: 'connected', to: 'unavailable', reason: 'share-refused', message: `${hostile}\u2028`, at: 0, state } as unknown as TransitionEvent;
    const text = watchText('Team\u2066', e);
    // eslint-disable-next-line no-control-regex
    expect(text.slice(0, -1)).not.toMatch(/[\n\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(watchLine('Team\u2066', e));
  });
});

describe('the CLI password prompt', () => {
  const ctx = (env: Record<string, string>, stdin = new PassThrough(), passwordStdin = false): RunContext & { err: ReturnType<typeof capture> } => {
    const err = capture();
    const io: CliIo = { stdout: capture(), stderr: err, stdin, env };
    return { io, options: { ...defaultOptions(), passwordStdin }, logger: createLogger(0, err), err };
  };
  it('answers from SHAREKEEPER_PASSWORD, never asks to remember, and says once that there is no keychain', async () => {
    const c = ctx({ SHAREKEEPER_PASSWORD: 'pw-from-env' });
    const prompt = cliPrompt(c);
    expect(await prompt({ account: 'bob@nas', reason: 'unavailable' })).toEqual({ secret: 'pw-from-env', remember: false });
    await prompt({ account: 'amy@nas', reason: 'unavailable' });
    expect(c.err.text.match(/no OS keychain answers/g)).toHaveLength(1);
    expect(c.err.text).not.toContain('pw-from-env');
  });
  it('reads --password-stdin once for every account; nothing when there is no source', async () => {
    const stdin = new PassThrough();
    stdin.end('pw-from-stdin\n');
    const prompt = cliPrompt(ctx({}, stdin, true));
    expect(await prompt({ account: 'a@nas', reason: 'missing' })).toMatchObject({ secret: 'pw-from-stdin' });
    expect(await prompt({ account: 'b@nas', reason: 'missing' })).toMatchObject({ secret: 'pw-from-stdin' });
    expect(await cliPrompt(ctx({}))({ account: 'a@nas', reason: 'missing' })).toBeUndefined();
  });
});

describe('drive commands in-process (no server)', () => {
  const cli = inProcessCli('sk-cli-drives-unit-');
  const { run } = cli;
  it('drives with none mapped, unmap and reconnect of an unknown name, reconnect usage', async () => {
    expect(await run(['drives'])).toMatchObject({ code: 0, out: expect.stringContaining('no drives are mapped') });
    expect(await run(['drives', '--json'])).toMatchObject({ code: 0, out: '[]\n' });
    expect(await run(['unmap', 'Nope'])).toMatchObject({ code: 1, err: expect.stringContaining("no drive named 'Nope'") });
    expect((await run(['reconnect'])).code).toBe(2);
    expect((await run(['reconnect', 'X', '--all'])).code).toBe(2);
    expect((await run(['copy', '/a', '/b'])).code).toBe(2);
  });
  it('map refuses a password on the command line and a duplicate name; a drive without user maps and unmaps', async () => {
    expect((await run(['map', 'T', 'smb://u:secret@nas/s'])).code).toBe(2);
    // Port 1 on localhost: nothing listens, so the check says unreachable (3) but the drive is kept.
    const m = await run(['map', 'T', '//127.0.0.1:1/s', '-t', '2']);
    expect(m.code).toBe(3);
    expect(m.out).toMatch(/^T: Unavailable/);
    expect(JSON.parse(await readFile(join(cli.dir, 'sharekeeper', 'drives.json'), 'utf8'))).toMatchObject({ drives: [{ name: 'T', target: 'smb://127.0.0.1:1/s' }] });
    expect((await run(['map', 't', '//127.0.0.1:1/other'])).code).toBe(2);
    expect((await run(['unmap', 'T'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(cli.dir, 'sharekeeper', 'drives.json'), 'utf8'))).toMatchObject({ drives: [] });
  });
  it('map --min-protocol NT1 stores allowLegacy and warns; drives warns again, --json says allowLegacy', async () => {
    const m = await run(['map', 'Old', '//127.0.0.1:1/s', '--min-protocol', 'NT1', '-t', '2']);
    expect(m.code).toBe(3);
    expect(m.err).toMatch(/warning: Old allows the legacy protocol and logons .* can turn back into the password/);
    expect(JSON.parse(await readFile(join(cli.dir, 'sharekeeper', 'drives.json'), 'utf8'))).toMatchObject({ drives: [{ name: 'Old', options: { allowLegacy: true } }] });
    expect((await run(['map', 'New', '//127.0.0.1:1/t', '-t', '2'])).err).not.toMatch(/legacy/);
    const d = await run(['drives', '-t', '2']);
    expect(d.out).toMatch(/^warning: Old allows the legacy protocol and logons/m);
    expect(d.out).not.toMatch(/warning: New/);
    const j = JSON.parse((await run(['drives', '--json', '-t', '2'])).out) as { name: string; allowLegacy?: boolean }[];
    expect(j.map((x) => [x.name, x.allowLegacy])).toEqual([['Old', true], ['New', undefined]]);
  });
});
