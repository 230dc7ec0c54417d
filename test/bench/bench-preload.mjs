// Preloaded into our CLI by the benchmark (node --import): measures the event-loop delay for the
// whole run and, at exit, writes {rssKb, lagP99Ms, lagMaxMs} to the file named by BENCH_STATS_FILE.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_STATS_FILE;
if (file) {
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  process.on('exit', () => {
    lag.disable();
    const stats = { rssKb: process.resourceUsage().maxRSS, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 };
    writeFileSync(file, JSON.stringify(stats));
  });
}
