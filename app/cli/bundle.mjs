// `npm run build:cli`: the CLI as a few files in dist/cli/ instead of ~140 modules under dist/.
// Node 20 has no compile cache, and resolving, reading and compiling each module cost a one-shot
// `sharekeeper ls` ~45 ms of its ~155 ms (measured: 110 ms bundled; smbclient's whole run is
// ~50 ms). Input is what tsc wrote (dist/), so the bundle runs exactly the compiled code.
// Commands stay separate chunks, loaded when run (app/cli/commands/index.ts). The decryption
// worker is its own entry, beside the chunk that starts it (protocol/crypto/aead-offload.ts looks
// for ./aead-worker.js). Packages and native modules are not bundled; they load from node_modules.
import { build } from 'rolldown';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'dist', 'cli');

await rm(out, { recursive: true, force: true });
await build({
  input: {
    main: join(root, 'dist', 'app', 'cli', 'main.js'),
    'aead-worker': join(root, 'dist', 'protocol', 'crypto', 'aead-worker.js'),
  },
  platform: 'node',
  // Bare specifiers are packages (keytar, ws, fuse-native) or Node's own modules.
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0'),
  logLevel: 'warn',
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
