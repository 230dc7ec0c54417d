// Issue 7, defect 6 and the name findings: server-supplied names are data. The proxy rewrites
// FileName (UTF-16LE, lengths and NextEntryOffset adjusted) in a real listing:
// - terminal injection: ESC]0;…BEL (retitle), ESC[31m (recolour), "\n" + a forged row, "\r": `ls`
//   prints none of ESC, BEL, CR, C1 or bidi controls and no extra row; `--json` keeps the names exact;
// - names with "..", "/", "\", NUL and control characters: `ls` never prints them raw, and `copy` of
//   the folder never writes outside its destination (CREATEs for the forged names are mapped back to
//   the real files, so the download really happens).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRequestName, directoryBuffer, renameDirEntries, withCreateName, withDirectoryBuffer } from '../harness/mitm/bodies.js';
import { Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, expectEndedWithin, expectNoProxyErrors, rigFor, runBounded, scratchDir, terminalControls, type Rig } from './hostile-helpers.js';

const FOLDER = 'names';
const REAL = ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt'];
const KILL_MS = 30_000;

let server: SambaServer;
let rig: Rig;

beforeAll(async () => {
  assertBuilt();
  server = await startSamba();
  await mkdir(join(server.shareDir('public'), FOLDER));
  for (const n of REAL) await writeFile(join(server.shareDir('public'), FOLDER, n), `${n}\n`);
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  rig = await rigFor(server);
});
afterEach(async () => {
  expectNoProxyErrors(rig.proxy);
  await rig.proxy.close();
});

/** Every listing page of FOLDER gets these names instead of the real ones. */
function renameInListings(map: Record<string, string>): { renamed: () => number } {
  let renamed = 0;
  rig.proxy.onResponse((pdu, ctx) => {
    if (ctx.header.command !== Smb2Command.QUERY_DIRECTORY || ctx.header.status !== STATUS_SUCCESS) return undefined;
    const out = renameDirEntries(directoryBuffer(pdu), (n) => map[n]);
    renamed += out.renamed;
    return out.renamed === 0 ? undefined : withDirectoryBuffer(pdu, out.buffer);
  });
  return { renamed: () => renamed };
}

const ls = (...extra: string[]) => runBounded(['ls', `${rig.base}/public/${FOLDER}`, '-N', '-t', '5', ...extra], { killAfterMs: KILL_MS, env: rig.env });

describe('terminal injection through ls', () => {
  const forged: Record<string, string> = {
    'a.txt': 'title\x1b]0;pwned\x07.txt',
    'b.txt': '\x1b[31mred.txt',
    'c.txt': 'row\n  FORGED-ROW                             A        0  Mon Jan  1 00:00:00 2026',
    'd.txt': 'over\rwrite.txt',
    'e.txt': 'bidi\u202etxt.exe\u009b2J',
  };

  it('ls prints no ESC, BEL, CR, C1 or bidi control and no forged row', async () => {
    const f = renameInListings(forged);
    const r = await ls();
    expect(f.renamed()).toBe(5);
    expectEndedWithin(r, 15_000);
    expect(r.code, r.stderr).toBe(0);
    expect(terminalControls(r.stdout)).toEqual([]);
    const rows = r.stdout.split('\n').filter((l) => l !== '');
    expect(rows).toHaveLength(REAL.length);
    expect(rows.filter((l) => l.startsWith('  FORGED-ROW'))).toEqual([]);
  });

  it('ls --json keeps every forged name exact (JSON escapes them)', async () => {
    renameInListings(forged);
    const r = await ls('--json');
    expect(r.code, r.stderr).toBe(0);
    expect(terminalControls(r.stdout)).toEqual([]);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((e) => e.name).sort();
    expect(names).toEqual(Object.values(forged).sort());
  });
});

describe('names with .., separators, NUL and control characters', () => {
  it('ls never prints them raw: either escaped rows or one typed error line', async () => {
    renameInListings({ 'a.txt': '..', 'b.txt': 'x/../../escape', 'c.txt': 'y\\..\\..\\escape', 'd.txt': 'nul\u0000byte', 'e.txt': 'ctl\x01\x1b[2J\x7f' });
    const r = await ls();
    expectEndedWithin(r, 15_000);
    expect(terminalControls(r.stdout)).toEqual([]);
    expect(terminalControls(r.stderr.replace(/\n/g, ''))).toEqual([]);
    if (r.code !== 0) expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringMatching(/^sharekeeper: /)]);
  });

  /** Copies FOLDER with `forged` names into outer/dest; nothing may appear anywhere but inside dest. */
  async function copyStaysInside(forged: (tag: string) => Record<string, string>): Promise<void> {
    const tag = randomBytes(4).toString('hex');
    const escapes = forged(tag);
    const f = renameInListings(escapes);
    // Opening a forged name opens the real file, so a careless client would really write it somewhere.
    rig.proxy.onRequest((pdu, ctx) => {
      if (ctx.header.command !== Smb2Command.CREATE) return undefined;
      const name = createRequestName(pdu);
      const real = Object.entries(escapes).find(([, n]) => n.includes('sk-escape') && name.includes(n.slice(n.indexOf('sk-escape'))));
      return real === undefined ? undefined : withCreateName(pdu, `${FOLDER}\\${real[0]}`);
    });
    const base = await scratchDir();
    const outer = join(base, 'outer');
    const dest = join(outer, 'dest');
    await mkdir(dest, { recursive: true });
    const r = await runBounded(['copy', `${rig.base}/public/${FOLDER}`, dest, '--no-progress', '-N', '-t', '5'], { killAfterMs: 90_000, env: rig.env });
    expect(f.renamed(), `the listing never passed: ${r.stderr}`).toBeGreaterThan(0);
    expectEndedWithin(r, 60_000);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(terminalControls(r.stderr.replace(/\n/g, ''))).toEqual([]);
    expect(terminalControls(r.stdout.replace(/\n/g, ''))).toEqual([]);
    // Nothing beside dest, nothing beside outer, nothing in /tmp.
    expect(await readdir(base)).toEqual(['outer']);
    expect(await readdir(outer)).toEqual(['dest']);
    expect((await readdir('/tmp')).filter((n) => n.includes(tag))).toEqual([]);
  }

  it('copy of the folder never writes outside its destination: names with .., / and \\ (and an absolute path)', () =>
    copyStaysInside((tag) => ({
      'a.txt': `../../sk-escape-${tag}-a`,
      'b.txt': `..\\..\\sk-escape-${tag}-b`,
      'c.txt': `/tmp/sk-escape-${tag}-c`,
      'd.txt': '..',
      'e.txt': `ok\x1b[31m-sk-escape-${tag}-e`,
    })));

  it('copy of the folder with control characters and a ".." entry writes only inside its destination and prints them escaped', () =>
    copyStaysInside((tag) => ({
      'a.txt': '..',
      'b.txt': '.',
      'c.txt': `bell\x07-sk-escape-${tag}-c`,
      'd.txt': `esc\x1b]0;pwned\x07-sk-escape-${tag}-d`,
      'e.txt': `cr\r-sk-escape-${tag}-e`,
    })));
});
