#!/usr/bin/env node
// Thin launcher: the CLI is the compiled TypeScript, bundled into dist/cli/ (`npm run build`;
// app/cli/bundle.mjs says why).
import { runCli } from '../dist/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
