// Preloaded into our CLI by the benchmark (node --import): at exit, write the peak resident set
// size (kB, from getrusage) to the file named by BENCH_RSS_FILE. Nothing else changes.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
