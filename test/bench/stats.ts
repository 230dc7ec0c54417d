// Small statistics and the results table for the benchmark: our client against smbclient on the
// same server and files. Medians, because a shared 2-core machine has outliers either way.

export interface BenchRow {
  name: string;
  /** Median wall time of our client, or null when not measured (yet). */
  oursMs: number | null;
  /** Median wall time of smbclient (whole process: start, connect, work, exit). */
  smbclientMs: number;
  /** oursMs / smbclientMs: below 1 means we are faster. Null when oursMs is null. */
  ratio: number | null;
}

/** Median of the samples (mean of the middle two for an even count). Throws on no samples. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** A row from raw samples: medians of each side and their ratio. */
export function makeRow(name: string, oursSamples: readonly number[] | null, smbclientSamples: readonly number[]): BenchRow {
  const smbclientMs = median(smbclientSamples);
  const oursMs = oursSamples === null || oursSamples.length === 0 ? null : median(oursSamples);
  return { name, oursMs, smbclientMs, ratio: oursMs === null || smbclientMs === 0 ? null : oursMs / smbclientMs };
}

/** Runs `fn` `times` times in a row (after `warmup` unmeasured runs) and returns the timings. */
export async function sampleTimes(fn: () => Promise<number>, times: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

function fmtMs(ms: number | null): string {
  if (ms === null) return '-';
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function fmtRatio(r: number | null): string {
  return r === null ? '-' : `${r.toFixed(2)}x`;
}

/**
 * A plain-text table, one line per row, numbers right-aligned:
 *   name         ours ms  smbclient ms  ratio
 *   get 100 MiB    812.0         950.3  0.85x
 */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['name', 'ours ms', 'smbclient ms', 'ratio'];
  const body = rows.map((r) => [r.name, fmtMs(r.oursMs), fmtMs(r.smbclientMs), fmtRatio(r.ratio)]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((cells) => (cells[c] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return all.map(line).join('\n') + '\n';
}
