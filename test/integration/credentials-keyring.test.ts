// KeytarCredentialStore against a real gnome-keyring on a private D-Bus session, in each state a
// user's machine can be in: unlocked (set → get → delete), locked, no Secret Service, no bus.
// Every run has its own HOME / XDG_* under a temp folder, so no keyring lands in the real home.
// Runs the compiled store (dist/main/...): `npm run build` first.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CommandResult } from '../harness/run-command.js';
import { REPO } from './cli-run.js';

const STORE_JS = join(REPO, 'dist', 'main', 'credentials', 'keytar-credential-store.js');
const KEYRING_PASSWORD = 'keyring-pw';
const SECRET = 'integration-S3cret!';

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}
const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter((c) => !onPath(c));
const skipReason = missing.length > 0 ? `needs ${missing.join(' and ')} (apt-get install gnome-keyring dbus-x11)` : '';

// The child: runs one scenario through the real store and prints one JSON line. It prints
// whether the secret came back, never the secret itself.
const SCRIPT = `
const { KeytarCredentialStore } = await import(process.argv[2]);
const mode = process.argv[3];
const store = new KeytarCredentialStore({ timeoutMs: 10000 });
const out = { status: await store.status() };
const attempt = async (f) => { try { return await f(); } catch (e) { return { error: e.code, message: e.message }; } };
if (mode === 'roundtrip') {
  const account = 'CORP\\\\bob@nas.example';
  out.before = (await attempt(() => store.get(account))) ?? null;
  out.set = (await attempt(() => store.set(account, process.env.SK_TEST_SECRET))) ?? 'ok';
  out.same = (await store.get(account)) === process.env.SK_TEST_SECRET;
  out.deleted = await store.delete(account);
  out.after = (await store.get(account)) ?? null;
} else {
  out.get = (await attempt(() => store.get('bob@nas'))) ?? null;
  out.set = (await attempt(() => store.set('bob@nas', process.env.SK_TEST_SECRET))) ?? 'ok';
}
console.log(JSON.stringify(out));
`;

// A session bus with no service directories: nothing gets D-Bus-activated, so "no Secret Service"
// stays true (the stock session bus would start gnome-keyring-daemon on demand).
const BARE_BUS = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`;

let root: string;
let script: string;
let bareBus: string;

/** A fresh home for one scenario: HOME and XDG dirs under the temp root, no bus, no display. */
async function freshHome(name: string): Promise<Record<string, string>> {
  const home = join(root, name);
  const run = join(home, 'run');
  await mkdir(run, { recursive: true, mode: 0o700 });
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_RUNTIME_DIR: run,
    SK_TEST_SECRET: SECRET,
  };
}

/** Runs `sh -c shell` in a clean environment (only `env`), and parses the child's JSON line. */
async function run(env: Record<string, string>, argv: string[]): Promise<{ result: Record<string, unknown>; raw: CommandResult }> {
  const clean: Record<string, string | undefined> = Object.fromEntries(Object.keys(process.env).map((k) => [k, undefined]));
  const raw = await runCommand(argv[0]!, argv.slice(1), { env: { ...clean, ...env }, timeoutMs: 45_000 });
  const line = raw.stdout.trim().split('\n').pop() ?? '';
  if (raw.code !== 0 || !line.startsWith('{')) throw new Error(`child failed (${raw.code}):\n${raw.stdout}\n${raw.stderr}`);
  return { result: JSON.parse(line) as Record<string, unknown>, raw };
}

const node = (mode: string) => `exec "${process.execPath}" "${script}" "${pathToFileURL(STORE_JS).href}" ${mode}`;
const startUnlocked = `printf '%s' "${KEYRING_PASSWORD}" | gnome-keyring-daemon --unlock --components=secrets >/dev/null`;

describe.skipIf(skipReason !== '')(`KeytarCredentialStore with gnome-keyring ${skipReason}`, () => {
  beforeAll(async () => {
    if (!existsSync(STORE_JS)) throw new Error(`${STORE_JS} is missing: run \`npm run build\` first`);
    root = await mkdtemp(join(tmpdir(), 'sk-keyring-'));
    script = join(root, 'child.mjs');
    bareBus = join(root, 'bare-bus.conf');
    await writeFile(script, SCRIPT);
    await writeFile(bareBus, BARE_BUS);
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('unlocked: status available; set → get → delete; the keyring file is in the temp home', async () => {
    const env = await freshHome('unlocked');
    const { result, raw } = await run(env, ['dbus-run-session', '--', 'sh', '-c', `${startUnlocked} && ${node('roundtrip')}`]);
    expect(result).toEqual({ status: 'available', before: null, set: 'ok', same: true, deleted: true, after: null });
    expect(existsSync(join(env['XDG_DATA_HOME']!, 'keyrings', 'login.keyring'))).toBe(true);
    expect(raw.stdout + raw.stderr).not.toContain(SECRET);
  });

  it('locked: status locked, get finds nothing, set fails as locked', async () => {
    const env = await freshHome('locked');
    // First make the login keyring (unlocked), then start a daemon that does not unlock it.
    await run(env, ['dbus-run-session', '--', 'sh', '-c', `${startUnlocked} && ${node('other')}`]);
    const { result, raw } = await run(env, ['dbus-run-session', '--', 'sh', '-c', `gnome-keyring-daemon --components=secrets >/dev/null && ${node('other')}`]);
    expect(result).toMatchObject({ status: 'locked', get: null, set: { error: 'locked' } });
    expect(raw.stdout + raw.stderr).not.toContain(SECRET);
  });

  it('no Secret Service on the bus: status unavailable, set fails as unavailable', async () => {
    const env = await freshHome('no-daemon');
    const { result } = await run(env, ['dbus-run-session', `--config-file=${bareBus}`, '--', 'sh', '-c', node('other')]);
    expect(result).toMatchObject({ status: 'unavailable', get: { error: 'unavailable' }, set: { error: 'unavailable' } });
  });

  it('no session bus at all: status unavailable', async () => {
    const env = await freshHome('no-bus');
    const { result } = await run(env, ['sh', '-c', node('other')]);
    expect(result).toMatchObject({ status: 'unavailable', set: { error: 'unavailable' } });
  });
});
