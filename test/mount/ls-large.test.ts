// `ls -l` of a 20,000-entry folder through the mount is one listing (the kernel's getattr per entry
// is answered from it), and its time is printed beside smbclient's `ls` of the same folder.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmbTree } from '../../protocol/index.js';
import { timeSmbclientList } from '../bench/smbclient-runner.js';
import { makeManyFiles } from '../harness/fixtures.js';
import { ok, openMountRig, skipReason, type MountRig } from './mount-rig.js';

const N = 20_000;

/** Counts the tree's listing and stat calls (the live tree the supervisor hands out). */
function countCalls(tree: SmbTree): { lists: number; stats: number } {
  const n = { lists: 0, stats: 0 };
  const t = tree as unknown as Record<string, (...a: unknown[]) => unknown>;
  const list = t['listDirectory']!.bind(tree);
  const stat = t['stat']!.bind(tree);
  t['listDirectory'] = (...a: unknown[]) => (n.lists++, list(...a));
  t['stat'] = (...a: unknown[]) => (n.stats++, stat(...a));
  return n;
}

describe.skipIf(skipReason !== undefined)('ls -l of 20,000 entries', () => {
  let rig: MountRig;
  beforeAll(async () => {
    rig = await openMountRig();
    await makeManyFiles(join(rig.shareDir, 'many'), N);
  });
  afterAll(async () => {
    await rig?.close();
  });

  // The kernel's getattr per entry is answered from the listing for as long as its walk goes on
  // (main/mount/attr-cache.ts), not for a fixed time: on a loaded machine the walk once outlived a
  // 1 s cache (4,031 stats instead of 0).
  it('is one listing, no stat per entry, and in the order of smbclient ls', async () => {
    const n = countCalls(await rig.supervisor.acquire('m1'));
    const ls = await ok(`ls -l "${rig.dir}/many" | tail -n +2 | wc -l`, { timeoutMs: 60_000 });
    expect(Number(ls.stdout.trim())).toBe(N);
    expect(n.lists).toBe(1);
    // The folder itself (lookup, ".", ls's own stat), never one per entry.
    expect(n.stats).toBeLessThanOrEqual(5);
    await timeSmbclientList(rig.server, 'private', 'many');
    const ref = await timeSmbclientList(rig.server, 'private', 'many');
    expect(ref.entries).toBe(N);
    const smbMs = ref.ms;
    // Once more after the cache expired: what a person typing it again pays.
    await new Promise((r) => setTimeout(r, 1100));
    const again = await ok(`ls -l "${rig.dir}/many" > /dev/null`, { timeoutMs: 60_000 });
    console.log(`[mount] ls -l ${N} entries: ${ls.ms} ms first, ${again.ms} ms again; smbclient ls ${smbMs} ms; ratio ${(again.ms / smbMs).toFixed(2)}`);
  });
});
