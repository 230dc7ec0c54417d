// Server-level behaviour: `shares` agrees with `smbclient -L`, every --max-protocol pin is what
// gets negotiated, and a --min-protocol the server cannot meet fails as "cannot reach" (exit 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

let s: SambaServer;
let base: string;

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  base = `//127.0.0.1:${s.port}`;
});
afterAll(async () => {
  await s?.stop();
});

/** `smbclient -L` share table rows as "name|Type|comment". */
function parseSmbclientList(out: string): Set<string> {
  const rows = new Set<string>();
  let inTable = false;
  for (const line of out.split('\n')) {
    if (/^\s*Sharename\s+Type\s+Comment/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable || /^\s*-+\s+-+/.test(line)) continue;
    const m = /^\t(.+?)\s+(Disk|IPC|Printer|Device)\s*(.*)$/.exec(line);
    if (!m) break;
    rows.add(`${m[1]}|${m[2]}|${(m[3] ?? '').trim()}`);
  }
  return rows;
}

describe('shares', () => {
  it('lists the same shares as smbclient -L (name, type, comment)', async () => {
    const ref = await s.smbclient(['-L', '127.0.0.1'], { auth: 'guest' });
    expect(ref.code).toBe(0);
    const expected = parseSmbclientList(ref.stdout);
    expect(expected.size).toBeGreaterThanOrEqual(4);

    const plain = await runCli(['shares', base, '-N']);
    expect(plain.code).toBe(0);
    expect(parseSmbclientList(plain.stdout)).toEqual(expected);

    const words: Record<string, string> = { disk: 'Disk', ipc: 'IPC', printer: 'Printer', device: 'Device' };
    const json = JSON.parse((await runCli(['shares', base, '-N', '--json'])).stdout) as { name: string; type: string; comment: string; special: boolean }[];
    expect(new Set(json.map((x) => `${x.name}|${words[x.type]}|${x.comment}`))).toEqual(expected);
    expect(json.find((x) => x.name === 'IPC$')).toMatchObject({ type: 'ipc', special: true });
    expect(json.find((x) => x.name === 'public')).toMatchObject({ type: 'disk', special: false });
  });

  it('as the test user too', async () => {
    const r = await runCli(['shares', base, '-U', s.user], { env: { SHAREKEEPER_PASSWORD: s.password } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\tprivate +Disk/);
  });
});

describe('protocol pins', () => {
  it.each(['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'])('--max-protocol %s is what gets negotiated', async (dialect) => {
    const r = await runCli(['ls', `${base}/readonly`, '-N', '--max-protocol', dialect, '-d', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hello.txt');
    expect(r.stderr).toContain(`negotiated ${dialect}`);
  });
  it('-m is --max-protocol', async () => {
    const r = await runCli(['ls', `${base}/readonly`, '-N', '-m', 'SMB2_10', '-d', '1']);
    expect(r.stderr).toContain('negotiated SMB2_10');
  });
  it('pinned user sessions work on every dialect', async () => {
    for (const dialect of ['SMB2_02', 'SMB3_00', 'SMB3_11']) {
      const r = await runCli(['cat', `${base}/readonly/hello.txt`, '-U', s.user, '-m', dialect], { env: { SHAREKEEPER_PASSWORD: s.password } });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('hello from samba\n');
    }
  });
  it('--sign gives a signed user session', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', s.user, '--sign', '-d', '1'], { env: { SHAREKEEPER_PASSWORD: s.password } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/session: user, signed/);
  });
  it('--sign with a guest session cannot be met → exit 5', async () => {
    const r = await runCli(['ls', `${base}/public`, '-N', '--sign']);
    expect(r.code).toBe(5);
  });
});

describe('a server that cannot meet --min-protocol', () => {
  let old: SambaServer | undefined;
  afterAll(async () => {
    await old?.stop();
  });
  it('exits 3', async () => {
    old = await startSamba({ maxProtocol: 'SMB2_10' });
    const r = await runCli(['ls', `//127.0.0.1:${old.port}/public`, '-N', '--min-protocol', 'SMB3_00']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
