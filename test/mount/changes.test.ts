// Another client's changes show in the mount at once (CHANGE_NOTIFY, main/mount/change-watch.ts),
// not after the cache's lifetime: the mount here caches for 30 s, so anything seen sooner was
// heard from the server. Another SMB session (our client) adds a file and rewrites one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openShare, type Opened } from '../integration/client-helpers.js';
import { ok, openMountRig, sh, skipReason, type MountRig } from './mount-rig.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Repeats `check` every 50 ms until it holds; the time it took, or throws after `ms`. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`not seen within ${ms} ms`);
    await sleep(50);
  }
  return Date.now() - t0;
}

describe.skipIf(skipReason !== undefined)("another client's changes in the mount", () => {
  let rig: MountRig;
  let other: Opened;
  beforeAll(async () => {
    rig = await openMountRig({ fs: { cacheTtlMs: 30_000 } });
    other = await openShare(rig.server, 'private');
    await other.tree.mkdir('watched');
    await other.tree.writeFile('watched/a.txt', Buffer.from('a'));
  });
  afterAll(async () => {
    await other?.close();
    await rig?.close();
  });

  it('a new file shows in ls, and a rewritten one shows its new size, in well under the cache lifetime', async () => {
    expect((await ok(`ls "${rig.dir}/watched"`)).stdout.trim()).toBe('a.txt');
    expect((await ok(`stat -c %s "${rig.dir}/watched/a.txt"`)).stdout.trim()).toBe('1');
    await other.tree.writeFile('watched/b.txt', Buffer.from('b'));
    const addMs = await within(5000, async () => (await sh(`ls "${rig.dir}/watched"`)).stdout.includes('b.txt'));
    await other.tree.writeFile('watched/a.txt', Buffer.from('a, longer now'));
    // Ours went at once, and the kernel's (its own second) with them (FuseMount.invalidatePath).
    const sizeMs = await within(5000, async () => (await sh(`stat -c %s "${rig.dir}/watched/a.txt"`)).stdout.trim() === '13');
    await other.tree.unlink('watched/b.txt');
    const goneMs = await within(5000, async () => !(await sh(`ls "${rig.dir}/watched"`)).stdout.includes('b.txt'));
    console.log(`[mount] another client's changes seen after: new file ${addMs} ms, new size ${sizeMs} ms, removal ${goneMs} ms (cache lifetime 30 s)`);
    expect(Math.max(addMs, sizeMs, goneMs)).toBeLessThan(5000);
  });
});
