// `npm run build:native`: builds main/mount/native (our libfuse 3 addon) with node-gyp, offline.
// node-gyp needs Node's headers: Debian's nodejs and the official tarballs have them beside the
// binary (<prefix>/include/node), so that folder is passed as --nodedir and nothing is downloaded;
// otherwise node-gyp's own lookup (npm_config_nodedir, its cache) applies.
// Never fails the build: without a compiler, pkg-config or libfuse3-dev it says why and exits 0,
// and the mounts use npm fuse-native instead (main/mount/load-fuse.ts). SHAREKEEPER_NATIVE_STRICT=1
// makes a failed build fail.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const strict = process.env.SHAREKEEPER_NATIVE_STRICT === '1';

function give(reason) {
  console.warn(`build:native: ${reason}; mounts will use npm fuse-native if it loads`);
  process.exit(strict ? 1 : 0);
}

if (process.platform !== 'linux') {
  console.log('build:native: FUSE addon is Linux-only; skipped');
  process.exit(0);
}
const pc = spawnSync('pkg-config', ['--exists', 'fuse3'], { stdio: 'ignore' });
if (pc.error || pc.status !== 0) give('pkg-config does not find fuse3 (apt-get install pkg-config libfuse3-dev)');

let gyp;
try {
  gyp = createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
} catch {
  give('node-gyp is not installed (npm ci installs it as a devDependency)');
}

const args = [gyp, 'rebuild', '--directory', here];
const prefix = dirname(dirname(process.execPath));
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 300_000 });
if (r.status !== 0) give(`node-gyp failed (${r.error ? r.error.message : `exit ${r.status}`})`);
console.log(`build:native: built ${join(here, 'build', 'Release', 'sharekeeper_fuse.node')}`);
