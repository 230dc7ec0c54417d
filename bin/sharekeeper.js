#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (run `npm run build` first).
import { runCli } from '../dist/app/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
