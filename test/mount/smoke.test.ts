import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, openMountRig, skipReason, type MountRig } from './mount-rig.js';

describe.skipIf(skipReason !== undefined)('smoke', () => {
  let rig: MountRig;
  beforeAll(async () => {
    rig = await openMountRig();
  });
  afterAll(async () => {
    await rig?.close();
  });
  it('echo, cat, ls -l', async () => {
    await ok(`echo hello > ${rig.dir}/x.txt`);
    expect((await ok(`cat ${rig.dir}/x.txt`)).stdout).toBe('hello\n');
    const ls = await ok(`ls -la ${rig.dir}; stat ${rig.dir}; df ${rig.dir}; mount | grep sharekeeper`);
    console.log(ls.stdout);
  });
});
