#!/usr/bin/env node
// `npm start`: the desktop app where Electron's binary is present; otherwise `sharekeeper serve`
// (saying why, printing the URL); with arguments, the CLI (`npm start -- --help`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronPackageDir, findElectronBinary, planLaunch } from '../dist/app/electron/launch.js';
import { runCli } from '../dist/cli/main.js';

const args = process.argv.slice(2);
const require = createRequire(import.meta.url);
const binary = findElectronBinary({ electronPackageDir: electronPackageDir((id) => require.resolve(id)), env: process.env });
const plan = planLaunch(args, { electronBinary: binary, display: Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY), platform: process.platform });

if (plan.kind === 'cli') {
  process.exitCode = await runCli(plan.args);
} else if (plan.kind === 'electron') {
  const child = spawn(plan.binary, [join(dirname(fileURLToPath(import.meta.url)), '..')], { stdio: 'inherit' });
  child.on('exit', (code) => (process.exitCode = code ?? 1));
} else {
  process.stderr.write(`sharekeeper: starting the UI in your browser instead of the desktop app: ${plan.why}.\n`);
  process.exitCode = await runCli(['serve']);
}
