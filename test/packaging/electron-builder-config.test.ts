// electron-builder.yml validated offline by app-builder-lib's own schema validation (what
// `electron-builder` runs before it builds): a wrong key or value fails here, not on a release
// machine. Also the promises the issue makes about it: the targets per OS, the fuses, the icon.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & { electronFuses: Record<string, boolean>; linux: { target: string[] }; mac: { target: string[] }; win: { target: string[] }; icon: string };

async function load(): Promise<Config> {
  const { load: parse } = require('js-yaml') as { load: (t: string) => unknown };
  return parse(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as Config;
}

async function validate(config: unknown): Promise<void> {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration: (c: unknown, log: unknown) => Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(config, new DebugLogger(false));
}

describe('electron-builder.yml', () => {
  it('passes app-builder-lib schema validation', async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('a wrong key is caught by the same validation', async () => {
    await expect(validate({ ...(await load()), linux: { target: ['AppImage'], notAKey: 1 } })).rejects.toThrow(/configuration/i);
  });

  it('names AppImage+deb, nsis, dmg, the fuses and an icon that exists', async () => {
    const c = await load();
    expect(c['appId']).toBe('app.sharekeeper.desktop');
    expect(c['productName']).toBe('ShareKeeper');
    expect(c.linux.target).toEqual(['AppImage', 'deb']);
    expect(c.win.target).toEqual(['nsis']);
    expect(c.mac.target).toEqual(['dmg']);
    expect(c.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true, enableCookieEncryption: true });
    expect(existsSync(join(REPO, c.icon))).toBe(true);
    const png = readFileSync(join(REPO, c.icon));
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    // electron-builder insists on this (it reads the version to package).
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; main: string };
    expect(pkg.devDependencies['electron']).toBeDefined();
    expect(pkg.main).toBe('dist/app/electron/main-electron.js');
  });
});
