// Issue 7, defects 6 and 7 through the real binary against a real smbd: `ls` of a 200,000-entry
// folder (it crashed past ~123,000 with "Maximum call stack size exceeded") lists every entry in
// both forms, the same set smbclient lists; and names a terminal must not see raw (bidi override,
// C1 CSI, ESC) come out escaped in the table and exact in --json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeManyFiles } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

const COUNT = 200_000;
let s: SambaServer;
let base: string;
let names: string[];

beforeAll(async () => {
  assertBuilt();
  s = await startSamba();
  base = `//127.0.0.1:${s.port}`;
  names = await makeManyFiles(join(s.shareDir('public'), 'huge'), COUNT);
}, 300_000);
afterAll(async () => {
  await s?.stop();
});

/** The name column of smbclient-like rows (ours or smbclient's). */
function rowNames(out: string): string[] {
  return out
    .split('\n')
    .map((l) => /^ {2}(\S.*?)\s+[A-Z]*\s+\d+\s+\w{3} \w{3} +\d+ [\d:]+ \d{4}$/.exec(l)?.[1])
    .filter((n): n is string => n !== undefined && n !== '.' && n !== '..');
}

describe('ls of a 200,000-entry folder', () => {
  it('lists every entry in the table, the same set as smbclient', async () => {
    const r = await runCli(['ls', `${base}/public/huge`, '-N'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ours = rowNames(r.stdout);
    expect(ours).toHaveLength(COUNT);
    expect(new Set(ours)).toEqual(new Set(names));
    const ref = await s.smbclient(['//127.0.0.1/public', '-c', 'cd huge; ls'], { auth: 'guest', timeoutMs: 120_000 });
    expect(new Set(rowNames(ref.stdout))).toEqual(new Set(ours));
  });

  it('--json lists every entry too', async () => {
    const r = await runCli(['ls', `${base}/public/huge`, '-N', '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as { name: string; type: string }[];
    expect(entries).toHaveLength(COUNT);
    expect(new Set(entries.map((e) => e.name))).toEqual(new Set(names));
  });
});

describe('names a terminal must not see raw', () => {
  // Samba serves these as they are on disk (control characters below 0x20 it mangles to 8.3 names).
  const hostile = ['photo\u202Egpj.exe', 'csi\u009B31m.txt', 'iso\u2066late\u2069.txt'];

  it('the table shows them escaped, --json exactly', async () => {
    const dir = join(s.shareDir('public'), 'hostile');
    mkdirSync(dir);
    for (const n of hostile) writeFileSync(join(dir, n), 'x');
    const table = await runCli(['ls', `${base}/public/hostile`, '-N']);
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(new Set(rowNames(table.stdout))).toEqual(new Set(['photo\\u202Egpj.exe', 'csi\\u009B31m.txt', 'iso\\u2066late\\u2069.txt']));
    const json = await runCli(['ls', `${base}/public/hostile`, '-N', '--json']);
    expect(json.stdout).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(new Set((JSON.parse(json.stdout) as { name: string }[]).map((e) => e.name))).toEqual(new Set(hostile));
  });
});
