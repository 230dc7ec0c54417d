// What the end-to-end suites share: `sharekeeper serve` started as a user would (the built
// binary, a temp home, no keychain), Debian's Chromium through playwright-core, axe-core inside
// the page, and screenshots under test-artifacts/ (gitignored).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The repository: two folders up from test/e2e, or three from its build in dist/test/e2e. */
function findRepo(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'sharekeeper.js'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root');
}
export const REPO = findRepo();
export const ARTIFACTS = join(REPO, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export interface ServeProcess {
  url: string;
  origin: string;
  home: string;
  downloads: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function assertUiBuilt(): void {
  if (!existsSync(join(REPO, 'dist', 'renderer', 'index.html')) || !existsSync(join(REPO, 'dist', 'app', 'cli', 'main.js'))) {
    throw new Error('the UI is not built: run `npm run build` before the e2e tests');
  }
}

/** `node bin/sharekeeper.js serve` in a temp home; resolves with the URL it printed. */
export async function startServe(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<ServeProcess> {
  const home = await mkdtemp(join(tmpdir(), 'sk-e2e-'));
  const downloads = join(home, 'Downloads');
  await mkdir(join(home, 'config'), { recursive: true });
  const child = spawn(process.execPath, [join(REPO, 'bin', 'sharekeeper.js'), 'serve', '--downloads', downloads, ...extraArgs], {
    cwd: REPO,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C.UTF-8', HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 20 s:\n${out}`)), 20_000);
    const check = (): void => {
      const m = /served at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}):\n${out}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    home,
    downloads,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A page on the served UI; bypassCSP only so axe-core can be injected (the app itself never needs it). */
export async function openUi(browser: Browser, url: string, opts: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true, acceptDownloads: true, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  await page.getByRole('navigation', { name: 'Drives' }).waitFor();
  return { context, page };
}

/** `sharekeeper serve`, Chromium and a page on the UI: what every UI suite starts with. */
export interface UiSession {
  serve: ServeProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Closes the page, the browser and serve (in that order); safe after a failed start. */
  close(): Promise<void>;
}

export async function startUi(): Promise<UiSession> {
  const serve = await startServe();
  const browser = await launchBrowser();
  const { context, page } = await openUi(browser, serve.url);
  return {
    serve,
    browser,
    context,
    page,
    async close() {
      await context.close();
      await browser.close();
      await serve.stop();
    },
  };
}

/** Fills the add-drive dialog and submits it. */
export async function addDriveThroughDialog(page: Page, fields: { name: string; address: string; user?: string; password?: string }): Promise<void> {
  await page.getByRole('button', { name: 'Add drive…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add drive' });
  await dialog.getByLabel('Name', { exact: true }).fill(fields.name);
  await dialog.getByLabel('Address', { exact: true }).fill(fields.address);
  if (fields.user) await dialog.getByLabel('User', { exact: true }).fill(fields.user);
  if (fields.password) await dialog.getByLabel('Password', { exact: true }).fill(fields.password);
  await dialog.getByRole('button', { name: 'Add' }).click();
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ path: AXE_PATH });
  // (Run in the page; globalThis is its window.)
  const result = await page.evaluate(async () => {
    const g = globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> }; document: unknown };
    return g.axe.run(g.document, { resultTypes: ['violations'] });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
}

/** Saves test-artifacts/screenshots/<name>-light.png and -dark.png of the page as it is. */
export async function screenshotBoth(page: Page, name: string): Promise<string[]> {
  const dir = join(ARTIFACTS, 'screenshots');
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const p = join(dir, `${name}-${scheme}.png`);
    await page.screenshot({ path: p });
    paths.push(p);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return paths;
}
