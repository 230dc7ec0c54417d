// The UI end to end, as a person uses it: Debian's Chromium on `sharekeeper serve` (the built
// binary), against the harness's real Samba. Add a drive through the dialog; browse by keyboard
// and by mouse; a 20,000-entry folder scrolled to its last row; download (sha256 checked) and
// upload (checked with smbclient); smbd stopped → Unavailable with its reason, started again →
// Reconnect → Connected; a wrong password → AuthFailed → the prompt → the right one → Connected.
// axe-core finds no serious or critical violation in any main view, and every main view is
// saved as a screenshot in both themes under test-artifacts/screenshots/.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect } from '../harness/free-port.js';
import { makeManyFiles, makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { trayModel } from '../../app/electron/tray-model.js';
import type { DriveView } from '../../main/index.js';
import { addDriveThroughDialog, assertUiBuilt, screenshotBoth, seriousViolations, startUi, type UiSession } from './e2e-helpers.js';

const BIG = 20_000;
let s: SambaServer;
let ui: UiSession;
let page: Page;
let dataSha: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  assertUiBuilt();
  s = await startSamba();
  const pub = s.shareDir('public');
  mkdirSync(join(pub, 'docs', 'sub'), { recursive: true });
  writeFileSync(join(pub, 'docs', 'readme.txt'), 'read me\n');
  writeFileSync(join(pub, 'docs', 'notes.md'), '# notes\n');
  writeFileSync(join(pub, 'docs', 'sub', 'deep.txt'), 'deep\n');
  // Guests write as nobody: the folders made here (as root) must let them.
  chmodSync(join(pub, 'docs'), 0o777);
  chmodSync(join(pub, 'docs', 'sub'), 0o777);
  dataSha = await makeRandomFile(join(pub, 'data.bin'), 3 * 1024 * 1024);
  await makeManyFiles(join(pub, 'big'), BIG);
  ui = await startUi();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await s?.stop();
});

const drive = (name: string) => page.locator(`li.drive[data-drive="${name}"]`);
const grid = () => page.getByRole('grid', { name: 'Files' });
const row = (name: string) => page.locator(`.grid-body [role="row"][data-name="${name}"]`);

async function expectNoSeriousViolations(view: string): Promise<void> {
  const v = await seriousViolations(page);
  expect(v, `${view}: ${JSON.stringify(v, null, 1)}`).toEqual([]);
}

const addDrive = (fields: Parameters<typeof addDriveThroughDialog>[1]): Promise<void> => addDriveThroughDialog(page, fields);

describe('the UI against a real Samba', () => {
  it('adds a drive through the dialog and shows it Connected with its folder open', async () => {
    await expect.poll(() => page.getByText('No drives yet').isVisible()).toBe(true);
    await screenshotBoth(page, '01-empty');
    await page.getByRole('button', { name: 'Add drive…' }).click();
    await expectNoSeriousViolations('add-drive dialog');
    await page.getByRole('dialog').getByLabel('Name', { exact: true }).fill('Public');
    await page.getByRole('dialog').getByLabel('Address', { exact: true }).fill(`smb://127.0.0.1:${s.port}/public`);
    await screenshotBoth(page, '02-add-drive-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => drive('Public').getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await expect.poll(() => row('docs').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => row('data.bin').isVisible()).toBe(true);
  });

  it('browses into a folder by mouse and by keyboard', async () => {
    await row('docs').dblclick();
    await expect.poll(() => row('readme.txt').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Path' }).innerText()).toContain('docs');
    // Folders first: sub before the files, then names.
    expect(await page.locator('.grid-body [role="row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')))).toEqual(['sub', 'notes.md', 'readme.txt']);
    await screenshotBoth(page, '03-folder');
    await expectNoSeriousViolations('folder view');
    await grid().focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await page.keyboard.type('s');
    await expect.poll(() => row('sub').getAttribute('class')).toContain('focused');
    await page.keyboard.press('Enter');
    await expect.poll(() => row('deep.txt').isVisible()).toBe(true);
    await page.keyboard.press('Backspace');
    await expect.poll(() => row('sub').isVisible()).toBe(true);
    await expect.poll(() => row('sub').getAttribute('class')).toContain('focused');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => row('big').isVisible()).toBe(true);
    // The context menu from the keyboard, then Escape back to the list.
    await grid().focus();
    await page.keyboard.press('Shift+F10');
    await expect.poll(() => page.getByRole('menu', { name: 'File actions' }).isVisible()).toBe(true);
    await screenshotBoth(page, '04-context-menu');
    await expectNoSeriousViolations('context menu');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
  });

  it('makes, renames (F2) and deletes (Delete, confirmed) a folder; Ctrl+A selects all', async () => {
    await row('docs').dblclick();
    await row('readme.txt').waitFor();
    await page.getByRole('button', { name: 'New folder' }).click();
    const dialog = page.getByRole('dialog', { name: 'New folder' });
    await dialog.getByLabel('Name').fill('made');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => row('made').isVisible()).toBe(true);
    await expect.poll(() => row('made').getAttribute('class')).toContain('focused');
    await grid().focus();
    await page.keyboard.press('F2');
    const rename = page.getByRole('dialog', { name: 'Rename made' });
    await rename.getByLabel('Name').fill('renamed');
    await page.keyboard.press('Enter');
    await expect.poll(() => row('renamed').isVisible()).toBe(true);
    expect(await row('made').count()).toBe(0);
    await grid().focus();
    await page.keyboard.press('Control+a');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '4 selected' }).count()).toBe(1);
    await row('renamed').click();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete "renamed"?' });
    await expectNoSeriousViolations('delete confirmation');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => row('renamed').count()).toBe(0);
    expect((await s.smbclient(['//127.0.0.1/public', '-c', 'ls docs/*'], { auth: 'guest' })).stdout).not.toContain('renamed');
    await page.keyboard.press('Backspace');
    await row('big').waitFor();
  });

  it('uploads a file dropped on the folder', async () => {
    await page.evaluate(() => {
      const g = globalThis as unknown as { DataTransfer: new () => { items: { add: (f: unknown) => void } }; File: new (parts: string[], name: string) => unknown; document: { querySelector: (s: string) => { dispatchEvent: (e: unknown) => void } }; DragEvent: new (type: string, init: unknown) => unknown };
      const dt = new g.DataTransfer();
      dt.items.add(new g.File(['dropped bytes\n'], 'dropped.txt'));
      const target = g.document.querySelector('main.explorer');
      target.dispatchEvent(new g.DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      target.dispatchEvent(new g.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => row('dropped.txt').isVisible(), { timeout: 15_000 }).toBe(true);
    const r = await s.smbclient(['//127.0.0.1/public', '-c', 'get dropped.txt -'], { auth: 'guest' });
    expect(r.stdout).toContain('dropped bytes');
  });

  it('opens a 20,000-entry folder, shows the first rows while the rest arrive, and scrolls to the last row', async () => {
    const t0 = Date.now();
    await row('big').dblclick();
    await page.locator('.grid-body [role="row"][data-name^="f0"]').first().waitFor({ timeout: 20_000 });
    const firstRowsMs = Date.now() - t0;
    await expect.poll(() => page.getByRole('status').filter({ hasText: `${BIG} items` }).count(), { timeout: 30_000 }).toBe(1);
    const allMs = Date.now() - t0;
    const timing = await page.evaluate(() => {
      const t = (globalThis as unknown as { __sharekeeper: { getState: () => { listTiming: { start: number; firstRows?: number; end?: number } } } }).__sharekeeper.getState().listTiming;
      return { firstRows: (t.firstRows ?? NaN) - t.start, end: (t.end ?? NaN) - t.start };
    });
    console.log(`e2e: in the page: first rows in the store after ${timing.firstRows.toFixed(0)} ms, listing ended after ${timing.end.toFixed(0)} ms`);
    // Virtualized: only the rows on screen exist.
    expect(await page.locator('.grid-body [role="row"]').count()).toBeLessThan(100);
    await grid().focus();
    await page.keyboard.press('End');
    await expect.poll(() => row('f019999.txt').isVisible()).toBe(true);
    await page.keyboard.press('Home');
    // And with the mouse wheel, end to end.
    await page.locator('[data-testid="file-scroll"]').hover();
    for (let i = 0; i < 40 && !(await row('f019999.txt').isVisible()); i++) await page.mouse.wheel(0, 20_000);
    await expect.poll(() => row('f019999.txt').isVisible()).toBe(true);
    console.log(`e2e: 20,000 entries: first rows after ${firstRowsMs} ms, all after ${allMs} ms (browser round trips included)`);
    await page.keyboard.press('Backspace');
    await expect.poll(() => row('data.bin').isVisible()).toBe(true);
  });

  it('downloads a file through the browser with the same sha256', async () => {
    await row('data.bin').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    const saved = join(ui.serve.home, 'browser-download.bin');
    await download.saveAs(saved);
    expect(await sha256File(saved)).toBe(dataSha);
  });

  it('downloads through the transfer queue into the folder serve downloads to', async () => {
    await row('data.bin').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download to folder…' }).click();
    await page.getByRole('button', { name: /^Transfers/ }).waitFor();
    // The queue writes under a temporary name and renames when complete: the name appears only then.
    await expect.poll(() => existsSync(join(ui.serve.downloads, 'data.bin')), { timeout: 20_000 }).toBe(true);
    expect(await sha256File(join(ui.serve.downloads, 'data.bin'))).toBe(dataSha);
    await expect.poll(() => page.locator('.transfers li.job.done').filter({ hasText: 'data.bin' }).count()).toBeGreaterThan(1);
  });

  it('asks what to do when the download exists already: keep both', async () => {
    await row('data.bin').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Download to folder…' }).click();
    const question = page.getByRole('group', { name: /already exists/ });
    await expect.poll(() => question.isVisible(), { timeout: 15_000 }).toBe(true);
    await screenshotBoth(page, '10-conflict');
    await expectNoSeriousViolations('conflict question');
    await question.getByRole('button', { name: 'Keep both' }).click();
    await expect.poll(() => readdirSync(ui.serve.downloads).filter((n) => n.endsWith('.bin')).length, { timeout: 15_000 }).toBe(2);
    for (const n of readdirSync(ui.serve.downloads)) expect(await sha256File(join(ui.serve.downloads, n))).toBe(dataSha);
  });

  it('uploads a file, which smbclient then reads back the same', async () => {
    const local = join(ui.serve.home, 'upload-me.bin');
    const sha = await makeRandomFile(local, 1024 * 1024 + 7);
    await page.locator('input[type="file"]').setInputFiles(local);
    await expect.poll(() => row('upload-me.bin').isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.locator('.transfers [data-job-state="done"]').count()).toBeGreaterThan(0);
    await screenshotBoth(page, '05-transfers');
    await expectNoSeriousViolations('transfer panel');
    const back = join(ui.serve.home, 'from-smbclient.bin');
    const r = await s.smbclient(['//127.0.0.1/public', '-c', `get upload-me.bin ${back}`], { auth: 'guest' });
    expect(r.code, r.stderr).toBe(0);
    expect(createHash('sha256').update(readFileSync(back)).digest('hex')).toBe(sha);
  });

  it('shows the share list of the server', async () => {
    await drive('Public').getByRole('button', { name: /^Shares on/ }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Shares' }).getByRole('button', { name: /public/ }).count(), { timeout: 15_000 }).toBe(1);
    await screenshotBoth(page, '06-shares');
    await expectNoSeriousViolations('share list');
    await page.getByRole('list', { name: 'Shares' }).getByRole('button', { name: /public/ }).click();
    await expect.poll(() => row('docs').isVisible()).toBe(true);
  });

  it('turns Unavailable with its reason when smbd stops, and Connected again after Reconnect', async () => {
    process.kill(-s.leaderPids.smbd, 'SIGTERM');
    await expect.poll(async () => !(await canConnect('127.0.0.1', s.port)), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => drive('Public').getAttribute('data-status'), { timeout: 20_000 }).toBe('unavailable');
    expect(await drive('Public').locator('.reason').innerText()).toMatch(/refused|lost|answer|negotiation/);
    // The tray model the desktop shell draws from the same drive list: the problem icon, the reason in the menu.
    const views = await page.evaluate(() => (globalThis as unknown as { __sharekeeper: { getState: () => { drives: unknown[] } } }).__sharekeeper.getState().drives);
    const tray = trayModel(views as DriveView[]);
    expect(tray.state).toBe('problem');
    expect(tray.menu.find((i) => i.kind === 'item' && i.label.startsWith('Public: unavailable'))).toBeDefined();
    expect(tray.tooltip).toBe('ShareKeeper: Public unavailable');
    await screenshotBoth(page, '07-unavailable');
    await expectNoSeriousViolations('drive unavailable');
    await s.restart();
    await drive('Public').getByRole('button', { name: 'Reconnect Public' }).click();
    await expect.poll(() => drive('Public').getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
  });

  it('a wrong password shows AuthFailed and the prompt; the right one connects', async () => {
    await addDrive({ name: 'Private', address: `smb://127.0.0.1:${s.port}/private`, user: s.user, password: 'not-the-password' });
    await expect.poll(() => drive('Private').getAttribute('data-status'), { timeout: 20_000 }).toBe('auth-failed');
    const prompt = page.getByRole('dialog', { name: 'Password for Private' });
    await expect.poll(() => prompt.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => prompt.getByRole('alert').innerText()).toContain('Wrong user name or password');
    await screenshotBoth(page, '08-password-prompt');
    await expectNoSeriousViolations('password prompt');
    await prompt.getByLabel('Password', { exact: true }).fill('wrong again');
    const t0 = Date.now();
    await prompt.getByRole('button', { name: 'Sign in' }).click();
    // One attempt per submit: the button is busy until the server answered it.
    await expect.poll(() => prompt.getByRole('button', { name: /Sign/ }).innerText(), { timeout: 30_000 }).toBe('Sign in');
    console.log(`e2e: a refused password was answered after ${Date.now() - t0} ms`);
    await expect.poll(() => prompt.getByRole('alert').innerText()).toContain('Wrong user name or password');
    await prompt.getByLabel('Password', { exact: true }).fill(s.password);
    await prompt.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => drive('Private').getAttribute('data-status'), { timeout: 20_000 }).toBe('connected');
    await expect.poll(() => prompt.isVisible()).toBe(false);
    // The password never reaches the page or serve's output.
    expect(await page.content()).not.toContain(s.password);
    expect(ui.serve.output()).not.toContain(s.password);
    await page.getByRole('button', { name: 'Saved passwords' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'Saved passwords' }).getByText(/smbtest@127\.0\.0\.1/).count()).toBe(1);
    await screenshotBoth(page, '09-saved-passwords');
    await expectNoSeriousViolations('saved passwords');
    await page.keyboard.press('Escape');
    await sleep(50);
  });
});
