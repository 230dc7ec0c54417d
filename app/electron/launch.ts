// `npm start`: the desktop app where Electron's binary is present; where it is not (as on this
// build machine: the binary is downloaded lazily and there is no network), `sharekeeper serve`,
// saying why and printing the URL, so the main job runs anywhere. With arguments, the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type LaunchPlan = { kind: 'cli'; args: string[] } | { kind: 'electron'; binary: string } | { kind: 'serve'; why: string };

/** Electron's binary without triggering its lazy download (node_modules/electron/index.js would). */
export function findElectronBinary(opts: { electronPackageDir: string | undefined; env: NodeJS.ProcessEnv; exists?: (p: string) => boolean; read?: (p: string) => string }): string | undefined {
  const exists = opts.exists ?? existsSync;
  const read = opts.read ?? ((p: string) => readFileSync(p, 'utf8'));
  if (opts.electronPackageDir === undefined) return undefined;
  const pathFile = join(opts.electronPackageDir, 'path.txt');
  const rel = exists(pathFile) ? read(pathFile).trim() : 'electron';
  const override = opts.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const binary = override ? join(override, rel) : join(opts.electronPackageDir, 'dist', rel);
  return exists(binary) ? binary : undefined;
}

export function planLaunch(args: string[], opts: { electronBinary: string | undefined; display: boolean; platform: NodeJS.Platform }): LaunchPlan {
  if (args.length > 0) return { kind: 'cli', args };
  if (opts.electronBinary === undefined) return { kind: 'serve', why: "Electron's binary is not installed here (it is downloaded on first run, which needs the network)" };
  if (opts.platform === 'linux' && !opts.display) return { kind: 'serve', why: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  return { kind: 'electron', binary: opts.electronBinary };
}

export function electronPackageDir(resolve: (id: string) => string): string | undefined {
  try {
    return dirname(resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}
