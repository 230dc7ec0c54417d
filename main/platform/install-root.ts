// Where ShareKeeper is installed: the nearest folder at or above a module that holds our
// package.json. Files shipped beside the code (the renderer build, the FUSE addon) are found from
// there, so they are found the same way whether a module runs from the sources (vitest), from
// dist/ as tsc wrote it, or from the bundled CLI (dist/cli/, one folder for every module).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'sharekeeper';

function isOurs(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The install root above `moduleUrl` (a module's import.meta.url); throws when there is none. */
export function installRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (isOurs(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${fileURLToPath(moduleUrl)}`);
    dir = up;
  }
}
