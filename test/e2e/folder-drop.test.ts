// A folder dropped from the desktop, end to end: Debian's Chromium on `sharekeeper serve` and the
// harness's Samba. A real local tree (two levels, a few files, some binary) is dropped on the open
// folder through the Chrome DevTools Protocol (Input.dispatchDragEvent with a file path: Chromium
// makes a dropped directory a directory entry, which a synthetic DOM drop event cannot carry). The
// uploads finish, and every file is on the server at its path, byte for byte (share directory on
// disk, and smbclient for one of them).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { addDriveThroughDialog, ARTIFACTS, assertUiBuilt, startUi, type UiSession } from './e2e-helpers.js';

let s: SambaServer;
let ui: UiSession;
let page: Page;
let local: string;
/** Relative path under the dropped folder → sha256 of its bytes. */
const expected = new Map<string, string>();

const row = (name: string) => page.locator(`.grid-body [role="row"][data-name="${name}"]`);

beforeAll(async () => {
  assertUiBuilt();
  s = await startSamba();
  writeFileSync(join(s.shareDir('public'), 'already-here.txt'), 'x\n');
  local = mkdtempSync(join(tmpdir(), 'sk-e2e-drop-'));
  const tree = join(local, 'dropped-tree');
  mkdirSync(join(tree, 'inner'), { recursive: true });
  writeFileSync(join(tree, 'top.txt'), 'top level\n');
  writeFileSync(join(tree, 'inner', 'deep.txt'), 'one level down\n');
  expected.set('top.txt', await sha256File(join(tree, 'top.txt')));
  expected.set('inner/deep.txt', await sha256File(join(tree, 'inner', 'deep.txt')));
  expected.set('top.bin', await makeRandomFile(join(tree, 'top.bin'), 256 * 1024 + 3));
  expected.set('inner/deep.bin', await makeRandomFile(join(tree, 'inner', 'deep.bin'), 1024 * 1024 + 11));
  expected.set('inner/empty.txt', await (writeFileSync(join(tree, 'inner', 'empty.txt'), ''), sha256File(join(tree, 'inner', 'empty.txt'))));
  chmodSync(local, 0o755);
  ui = await startUi();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await s?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

async function shaOnServer(rel: string): Promise<string | null> {
  try {
    return await sha256File(join(s.shareDir('public'), 'dropped-tree', rel));
  } catch {
    return null;
  }
}

describe('a folder dropped on the open folder', () => {
  it('uploads the whole tree; every file arrives byte-exact at its path', async () => {
    await addDriveThroughDialog(page, { name: 'Public', address: `smb://127.0.0.1:${s.port}/public` });
    await expect.poll(() => row('already-here.txt').isVisible(), { timeout: 15_000 }).toBe(true);

    const box = await page.locator('[data-testid="file-scroll"]').boundingBox();
    if (!box) throw new Error('the file list has no box');
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const cdp = await ui.context.newCDPSession(page);
    const data = { items: [], files: [join(local, 'dropped-tree')], dragOperationsMask: 1 };
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const) await cdp.send('Input.dispatchDragEvent', { type, x, y, data });

    const t0 = Date.now();
    await expect.poll(() => row('dropped-tree').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect
      .poll(async () => (await Promise.all([...expected].map(async ([rel, sha]) => (await shaOnServer(rel)) === sha))).every(Boolean), { timeout: 30_000 })
      .toBe(true);
    await expect.poll(() => page.locator('.transfers [data-job-state="done"]').count(), { timeout: 15_000 }).toBe(expected.size);
    expect(await page.locator('.transfers [data-job-state="error"]').count()).toBe(0);
    console.log(`e2e: folder drop of ${expected.size} files done ${Date.now() - t0} ms after the drop`);
    mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'screenshots', 'folder-drop-light.png') });

    // Nothing else arrived: exactly the tree, no partial or renamed copies.
    const ls = await s.smbclient(['//127.0.0.1/public', '-c', 'recurse; ls dropped-tree\\*'], { auth: 'guest' });
    expect(ls.code, ls.stderr).toBe(0);
    const names = [...ls.stdout.matchAll(/^\s+(\S+)\s+[A-Z]*\s+\d+\s+\w{3} /gm)].map((m) => m[1]).filter((n) => n !== '.' && n !== '..');
    expect(names.sort()).toEqual(['deep.bin', 'deep.txt', 'empty.txt', 'inner', 'top.bin', 'top.txt']);
    // And one read back through SMB, not the disk.
    const back = join(local, 'deep-back.bin');
    const r = await s.smbclient(['//127.0.0.1/public', '-c', `get dropped-tree\\inner\\deep.bin ${back}`], { auth: 'guest' });
    expect(r.code, r.stderr).toBe(0);
    expect(await sha256File(back)).toBe(expected.get('inner/deep.bin'));
    expect(readFileSync(back).length).toBe(1024 * 1024 + 11);
  });
});
