// 1 GiB sequential write and read through the mount with dd, byte-exact (sha256 against the file on
// the server's disk), with the throughput printed. The bench (npm run bench) sets them beside the
// CLI's get/put; here they only have to be sane.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { ok, openMountRig, skipReason, type MountRig } from './mount-rig.js';

const MiB = 1024 * 1024;
const SIZE_MIB = Number(process.env['SK_MOUNT_SIZE_MIB'] ?? 1024);

describe.skipIf(skipReason !== undefined)(`dd ${SIZE_MIB} MiB through the mount`, () => {
  let rig: MountRig;
  let local: string;
  let sum: string;
  beforeAll(async () => {
    rig = await openMountRig();
    local = join(rig.scratch, 'src.bin');
    sum = await makeRandomFile(local, SIZE_MIB * MiB);
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('write then read back: same bytes', async () => {
    const w = await ok(`dd if="${local}" of="${rig.dir}/big.bin" bs=1M conv=fsync status=none`, { timeoutMs: 120_000 });
    expect(await sha256File(join(rig.shareDir, 'big.bin'))).toBe(sum);
    await ok('sync');
    const r = await ok(`dd if="${rig.dir}/big.bin" of="${rig.scratch}/back.bin" bs=1M status=none`, { timeoutMs: 120_000 });
    expect(await sha256File(join(rig.scratch, 'back.bin'))).toBe(sum);
    const rate = (ms: number): string => `${((SIZE_MIB * 1000) / ms).toFixed(0)} MiB/s`;
    console.log(`[mount] dd ${SIZE_MIB} MiB: write ${w.ms} ms (${rate(w.ms)}), read ${r.ms} ms (${rate(r.ms)})`);
  });
});
