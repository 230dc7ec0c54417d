// Issue 7, secrets: every drive password, whatever its source and length, is known to the log
// scrubber before its first login. The keychain is a MemoryCredentialStore (the stand-in for the
// OS one); the SMB side is the supervisor's fake network, so the whole of withServices runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryCredentialStore, waitSettled } from '../../../main/index.js';
import type { ConnectOptions, Credentials } from '../../../protocol/index.js';
import { FakeNet } from '../../../main/supervisor/fake-network.test-helpers.js';
import type { ClientLike } from '../../../main/supervisor/index.js';
import { defaultOptions } from '../args.js';
import { capture } from '../capture-stream.test-helpers.js';
import type { RunContext } from '../connection.js';
import { createLogger } from '../logger.js';
import { withServices } from './drive-context.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-drive-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Connects through the fake network; at each login, notes whether the scrubber already knew the password and logs it as a careless library would. */
function setup(password: string, env: Record<string, string> = {}) {
  const err = capture();
  const ctx: RunContext = { io: { stdout: capture(), stderr: err, stdin: new PassThrough(), env }, options: defaultOptions(), logger: createLogger(10, err) };
  const net = new FakeNet();
  net.addServer('10.0.0.1:445', { password, shares: ['team'] });
  const knownAtLogin: boolean[] = [];
  const connect = async (o: ConnectOptions): Promise<ClientLike> => {
    const c = await net.connect(o);
    const login = c.login.bind(c);
    return Object.assign(c, {
      login: (cr: Credentials) => {
        const pw = cr.kind === 'user' ? cr.password : '';
        knownAtLogin.push(ctx.logger.scrub(`[${pw}]`) === '[***]');
        ctx.logger.log(3, `SESSION_SETUP user=bob password=[${pw}]`);
        return login(cr);
      },
    });
  };
  const run = (store: MemoryCredentialStore) =>
    withServices(
      ctx,
      async (services) => {
        const d = await services.registry.add({ name: 'Team', target: 'smb://nas.lan/team', user: 'bob' });
        await services.loadDrives({ connect: true });
        return (await waitSettled(services.supervisor, [d.id], 2000))[0]?.state.kind;
      },
      { configDir: dir, credentialStore: store, supervisor: { connect, resolve: net.resolve, echoIntervalMs: 0, log: (m) => ctx.logger.log(2, m) } },
    );
  return { err, run, knownAtLogin };
}

describe('drive passwords reach the scrubber before their first use', () => {
  it('a keychain-sourced password (1 character) is scrubbed from debug output', async () => {
    const store = new MemoryCredentialStore();
    await store.set('bob@nas.lan', 'Z');
    const { err, run, knownAtLogin } = setup('Z');
    expect(await run(store)).toBe('connected');
    expect(knownAtLogin).toEqual([true]);
    expect(err.text).toContain('password=[***]');
    expect(err.text).not.toContain('Z');
  });

  it('a prompted password (2 characters, from SHAREKEEPER_PASSWORD when no keychain answers) too', async () => {
    const store = new MemoryCredentialStore();
    store.setStatus('unavailable');
    const { err, run, knownAtLogin } = setup('Q7', { SHAREKEEPER_PASSWORD: 'Q7' });
    expect(await run(store)).toBe('connected');
    expect(knownAtLogin).toEqual([true]);
    expect(err.text).toContain('password=[***]');
    expect(err.text).not.toContain('Q7');
  });

  it('a wrong keychain password, echoed back in an error, is scrubbed too', async () => {
    const store = new MemoryCredentialStore();
    await store.set('bob@nas.lan', 'wr0ng-from-keychain');
    const { err, run } = setup('right');
    expect(await run(store)).toBe('auth-failed');
    expect(err.text).not.toContain('wr0ng-from-keychain');
  });
});
