import { afterEach, describe, expect, it } from 'vitest';
import { childEnvironment } from './child-env.js';
import { spawnCommand } from './run-command.js';

describe('childEnvironment (issue 7, secrets)', () => {
  const parent = {
    PATH: '/usr/bin:/bin',
    HOME: '/home/bob',
    LANG: 'de_DE.UTF-8',
    LC_ALL: 'de_DE.UTF-8',
    LC_TIME: 'C',
    TZ: 'Europe/Berlin',
    USER: 'bob',
    LOGNAME: 'bob',
    SHAREKEEPER_PASSWORD: 'hunter2',
    AWS_SECRET_ACCESS_KEY: 'aws',
    SSH_AUTH_SOCK: '/tmp/agent',
    GITHUB_TOKEN: 'ghp',
    NODE_OPTIONS: '--require /tmp/evil.js',
    SystemRoot: 'C:\\Windows',
  };

  it('passes only the allow-list, plus what the caller sets', () => {
    expect(childEnvironment(parent, { SK_LOCAL_PATH: 'Z:' }, 'linux')).toEqual({
      PATH: '/usr/bin:/bin', HOME: '/home/bob', LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LC_TIME: 'C', TZ: 'Europe/Berlin',
      USER: 'bob', LOGNAME: 'bob', SK_LOCAL_PATH: 'Z:',
    });
  });

  it('on Windows adds what Windows programs need, compares names without case, and lets the caller override', () => {
    const env = childEnvironment({ ...parent, Path: 'C:\\Windows\\system32', windir: 'C:\\Windows', ComSpec: 'cmd.exe', TEMP: 'C:\\t' }, { PATH: 'C:\\x' }, 'win32');
    expect(env).toMatchObject({ SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', ComSpec: 'cmd.exe', TEMP: 'C:\\t', PATH: 'C:\\x' });
    expect(Object.keys(env).filter((k) => k.toUpperCase() === 'PATH')).toEqual(['PATH']);
    expect(env).not.toHaveProperty('SHAREKEEPER_PASSWORD');
  });

  it('never passes SHAREKEEPER_PASSWORD, tokens, agent sockets or NODE_OPTIONS, on any platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const env = childEnvironment(parent, {}, platform);
      for (const name of ['SHAREKEEPER_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'SSH_AUTH_SOCK', 'GITHUB_TOKEN', 'NODE_OPTIONS']) expect(env).not.toHaveProperty(name);
      expect(Object.values(env)).not.toContain('hunter2');
    }
  });
});

describe('spawnCommand environment (issue 7, secrets)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });

  it('a child never sees SHAREKEEPER_PASSWORD or other variables of the parent', async () => {
    process.env['SHAREKEEPER_PASSWORD'] = 'pw-in-parent';
    process.env['SK_PARENT_ONLY'] = 'parent-only';
    const r = await spawnCommand(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], { env: { SK_GIVEN: 'given' } });
    expect(r.code).toBe(0);
    const env = JSON.parse(r.stdout) as Record<string, string>;
    expect(env).not.toHaveProperty('SHAREKEEPER_PASSWORD');
    expect(env).not.toHaveProperty('SK_PARENT_ONLY');
    expect(r.stdout).not.toContain('pw-in-parent');
    expect(env['SK_GIVEN']).toBe('given');
    if (process.env['PATH'] !== undefined) expect(env['PATH']).toBe(process.env['PATH']);
  });
});
