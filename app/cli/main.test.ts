// The CLI end to end, in-process, for everything that never reaches a server.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadAllCommands } from './commands/index.js';

const COMMANDS = await loadAllCommands();
import type { CliIo } from './io.js';
import { runCli } from './main.js';
import { capture } from './capture-stream.test-helpers.js';

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = capture();
  const stderr = capture();
  const io: CliIo = { stdout, stderr, stdin: new PassThrough(), env };
  const code = await runCli(argv, io);
  return { code, out: stdout.text, err: stderr.text };
}

describe('runCli without a server', () => {
  it('--help lists every command and the exit codes', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toContain(`  ${c.name} `);
    expect(r.out).toMatch(/Exit codes: 0 ok/);
    expect(r.err).toBe('');
  });
  it.each(COMMANDS.map((c) => [c.name]))('%s --help (and help %s) print its usage', async (name) => {
    const a = await run([name, '--help']);
    const b = await run(['help', name]);
    expect(a.code).toBe(0);
    expect(a.out).toContain(`Usage: sharekeeper ${name} `);
    expect(b.out).toBe(a.out);
  });
  it('no command is a usage error on stderr', async () => {
    const r = await run([]);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^sharekeeper: no command given\nTry 'sharekeeper --help'\.\n$/);
  });
  it('unknown command', async () => {
    expect((await run(['frobnicate'])).err).toMatch(/unknown command 'frobnicate'/);
  });
  it('wrong number of arguments shows the usage line', async () => {
    const r = await run(['get']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('usage: sharekeeper get //HOST/SHARE/PATH [LOCAL]');
    expect((await run(['ls', '//h/s', '//h/t'])).err).toMatch(/too many arguments/);
  });
  it('refuses --password and says why', async () => {
    const r = await run(['ls', '//h/s', '--password', 'hunter22']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/not taken on the command line .*process lists/);
    expect(r.err).not.toContain('hunter22');
  });
  it('refuses options a command does not take', async () => {
    expect((await run(['cat', '//h/s/f', '--json'])).err).toMatch(/cat does not take --json/);
    expect((await run(['ls', '//h/s', '--force'])).err).toMatch(/ls does not take --force/);
  });
  it('refuses malformed targets before connecting', async () => {
    expect((await run(['ls', 'h/s'])).code).toBe(2);
    expect((await run(['ls', '//h'])).err).toMatch(/names no share/);
    expect((await run(['cat', '//h/s'])).err).toMatch(/names a share, not a file/);
    expect((await run(['ls', '//h:1/s', '-p', '2'])).err).toMatch(/differ/);
  });
  it('mv refuses a destination on another share', async () => {
    const r = await run(['mv', '//h/s/a', '//h/other/b', '-N']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/within one share/);
  });
  it('get refuses a local folder that does not exist, before connecting', async () => {
    const r = await run(['get', '//127.0.0.1:1/s/f.txt', '/nonexistent-dir-sk/', '-N']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/does not exist/);
  });
  it('put of a missing local file is exit 1 naming it', async () => {
    const r = await run(['put', '/nonexistent-file-sk', '//127.0.0.1:1/s', '-N']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/nonexistent-file-sk: ENOENT');
  });
  it('a user without any password source and no terminal is a usage error', async () => {
    const r = await run(['ls', '//127.0.0.1:1/s', '-U', 'bob']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/SHAREKEEPER_PASSWORD/);
  });
});
