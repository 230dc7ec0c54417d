// The add/edit drive dialog end to end (Debian's Chromium on `sharekeeper serve`, the harness's
// Samba): editing a drive can clear its user name (it then connects as a guest), and the legacy
// switch for old servers shows its plain warning, is kept, and leaves axe-core clean.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertUiBuilt, screenshotBoth, seriousViolations, startUi, type UiSession } from './e2e-helpers.js';

let s: SambaServer;
let ui: UiSession;
let page: Page;

const drive = (name: string) => page.locator(`li.drive[data-drive="${name}"]`);
const storeDrive = (name: string) =>
  page.evaluate((n) => {
    const g = globalThis as unknown as { __sharekeeper: { getState: () => { drives: { name: string; user?: string; options: { allowLegacy?: boolean } }[] } } };
    return g.__sharekeeper.getState().drives.find((d) => d.name === n) ?? null;
  }, name);
const LEGACY = 'Allow old servers (SMB1 and NTLMv1/LM sign-in)';

beforeAll(async () => {
  assertUiBuilt();
  s = await startSamba();
  ui = await startUi();
  page = ui.page;
}, 120_000);

afterAll(async () => {
  await ui?.close();
  await s?.stop();
});

describe('the add/edit drive dialog', () => {
  it('editing a drive clears its user name; it then connects as a guest', async () => {
    await page.getByRole('button', { name: 'Add drive…' }).click();
    const add = page.getByRole('dialog', { name: 'Add drive' });
    await add.getByLabel('Name', { exact: true }).fill('Pub');
    await add.getByLabel('Address', { exact: true }).fill(`smb://127.0.0.1:${s.port}/public`);
    await add.getByLabel('User', { exact: true }).fill(s.user);
    await add.getByLabel('Password', { exact: true }).fill(s.password);
    await add.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => drive('Pub').getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    expect((await storeDrive('Pub'))?.user).toBe(s.user);

    await page.getByRole('button', { name: 'Edit Pub' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Pub' });
    await expect.poll(() => edit.getByLabel('User', { exact: true }).inputValue()).toBe(s.user);
    await edit.getByLabel('User', { exact: true }).fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await storeDrive('Pub'))?.user ?? '(none)').toBe('(none)');
    await expect.poll(() => drive('Pub').getAttribute('data-status'), { timeout: 15_000 }).toBe('connected');
    await page.getByRole('button', { name: 'Edit Pub' }).click();
    expect(await page.getByRole('dialog', { name: 'Edit Pub' }).getByLabel('User', { exact: true }).inputValue()).toBe('');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });

  it('the legacy switch says plainly what it costs, is kept, and axe finds nothing serious', async () => {
    await page.getByRole('button', { name: 'Add drive…' }).click();
    const add = page.getByRole('dialog', { name: 'Add drive' });
    const legacy = add.getByRole('checkbox', { name: LEGACY });
    expect(await legacy.isChecked()).toBe(false);
    const warning = add.locator('#legacy-warning');
    expect(await warning.innerText()).toMatch(/password sent this way can be recovered from a capture of the network traffic/);
    expect(await legacy.getAttribute('aria-describedby')).toBe('legacy-warning');
    await add.getByLabel('Name', { exact: true }).fill('Old');
    await add.getByLabel('Address', { exact: true }).fill(`smb://127.0.0.1:${s.port}/readonly`);
    await legacy.check();
    expect(await warning.getAttribute('class')).toContain('warning');
    await screenshotBoth(page, '12-add-drive-legacy');
    const v = await seriousViolations(page);
    expect(v, JSON.stringify(v, null, 1)).toEqual([]);
    await add.getByRole('button', { name: 'Add' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 15_000 }).toBe(0);
    expect((await storeDrive('Old'))?.options.allowLegacy).toBe(true);
    await page.getByRole('button', { name: 'Edit Old' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Old' });
    expect(await edit.getByRole('checkbox', { name: LEGACY }).isChecked()).toBe(true);
    await edit.getByRole('checkbox', { name: LEGACY }).uncheck();
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await storeDrive('Old'))?.options.allowLegacy ?? false).toBe(false);
  });
});
