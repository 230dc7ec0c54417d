// Times through the mount: `touch -m` sets the modification time alone and `touch -a` the access
// time alone (the other one left as it is: UTIME_OMIT reaches utimens as NaN, and the SMB2
// SET_INFO leaves a zero FILETIME unchanged, MS-FSCC 2.4.7), on the server and as the mount shows
// it at once; on a file open for writing the time set wins over the writes held before it.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mtimeSkip, ok, openMountRig, type MountRig } from './mount-rig.js';

const WHEN_M = Date.UTC(2001, 1, 3, 4, 5, 6);
const WHEN_A = Date.UTC(2011, 6, 8, 9, 10, 11);
const touchDate = (ms: number): string => `@${ms / 1000}`;

// npm fuse-native hands utimens the access time in place of the modification time: ours only.
describe.skipIf(mtimeSkip)('times through the mount', () => {
  let rig: MountRig;
  beforeAll(async () => {
    rig = await openMountRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const onServer = (name: string) => stat(join(rig.shareDir, name));
  const inMount = async (name: string): Promise<{ m: number; a: number }> => {
    const r = await ok(`stat -c '%Y %X' "${rig.dir}/${name}"`);
    const [m, a] = r.stdout.trim().split(' ').map((x) => Number(x) * 1000);
    return { m: m!, a: a! };
  };

  it('touch -m sets mtime only; touch -a sets atime only', async () => {
    await ok(`echo hello > "${rig.dir}/t.txt"`);
    await ok(`touch -a -d ${touchDate(WHEN_A)} "${rig.dir}/t.txt"`);
    const before = await onServer('t.txt');
    expect(before.atimeMs).toBe(WHEN_A);
    await ok(`touch -m -d ${touchDate(WHEN_M)} "${rig.dir}/t.txt"`);
    const afterM = await onServer('t.txt');
    expect(afterM.mtimeMs).toBe(WHEN_M);
    expect(afterM.atimeMs).toBe(WHEN_A); // untouched by touch -m
    expect(await inMount('t.txt')).toEqual({ m: WHEN_M, a: WHEN_A }); // no stale cache
    await ok(`touch -a -d ${touchDate(WHEN_A + 60_000)} "${rig.dir}/t.txt"`);
    const afterA = await onServer('t.txt');
    expect(afterA.atimeMs).toBe(WHEN_A + 60_000);
    expect(afterA.mtimeMs).toBe(WHEN_M); // untouched by touch -a
  });

  it('touch -m on a file another program holds open for writing: the time set is the one kept', async () => {
    // fd 3 stays open across the touch; what was written before it must not move mtime afterwards.
    await ok(`exec 3>"${rig.dir}/open.txt"; printf 'written while open' >&3; touch -m -d ${touchDate(WHEN_M)} "${rig.dir}/open.txt"; exec 3>&-`);
    const s = await onServer('open.txt');
    expect(s.size).toBe('written while open'.length);
    expect(s.mtimeMs).toBe(WHEN_M);
    expect((await inMount('open.txt')).m).toBe(WHEN_M);
  });
});
