// The benchmark as a report: one row per case with the median and the min–max of both sides, the
// ratio ours ÷ smbclient, and the CPU each side spent (per GiB for transfers). Written as Markdown,
// JSON and an SVG bar chart of the ratios with the 1.00 line, under one folder per run.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median } from './stats.js';
import type { CpuTimes } from './child-cpu.js';

export interface Sample {
  ms: number;
  cpu: CpuTimes;
}

export interface ReportRow {
  name: string;
  ours: Spread;
  smbclient: Spread;
  ratio: number;
  /** CPU (user, system) of a median run, per GiB moved; per run when `gib` is undefined. */
  oursCpu: CpuTimes;
  smbclientCpu: CpuTimes;
  cpuPer: 'GiB' | 'run';
}

export interface Spread {
  medianMs: number;
  minMs: number;
  maxMs: number;
}

function spread(samples: readonly Sample[]): Spread {
  const ms = samples.map((s) => s.ms);
  return { medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms) };
}

function medianCpu(samples: readonly Sample[], gib: number | undefined): CpuTimes {
  const per = gib ?? 1;
  return { userMs: median(samples.map((s) => s.cpu.userMs)) / per, sysMs: median(samples.map((s) => s.cpu.sysMs)) / per };
}

/** `gib`: data moved per run, for CPU per GiB; undefined for listings. */
export function reportRow(name: string, ours: readonly Sample[], theirs: readonly Sample[], gib?: number): ReportRow {
  const o = spread(ours);
  const t = spread(theirs);
  return { name, ours: o, smbclient: t, ratio: o.medianMs / t.medianMs, oursCpu: medianCpu(ours, gib), smbclientCpu: medianCpu(theirs, gib), cpuPer: gib ? 'GiB' : 'run' };
}

const ms = (n: number): string => n.toFixed(0);
const cpu = (c: CpuTimes): string => `${(c.userMs / 1000).toFixed(2)} / ${(c.sysMs / 1000).toFixed(2)}`;

export function markdownReport(rows: readonly ReportRow[], notes: readonly string[]): string {
  const lines = [
    '| case | ours ms, median (min–max) | smbclient ms, median (min–max) | ours ÷ smbclient | ours CPU s user / sys | smbclient CPU s user / sys |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${ms(r.ours.medianMs)} (${ms(r.ours.minMs)}–${ms(r.ours.maxMs)}) | ${ms(r.smbclient.medianMs)} (${ms(r.smbclient.minMs)}–${ms(r.smbclient.maxMs)}) | ` +
        `${r.ratio.toFixed(2)} | ${cpu(r.oursCpu)} per ${r.cpuPer} | ${cpu(r.smbclientCpu)} per ${r.cpuPer} |`,
    ),
  ];
  return `# ShareKeeper benchmark\n\n${lines.join('\n')}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
}

const escapeXml = (s: string): string => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Horizontal bars, one per row, length = ratio; the 1.00 line marks "as fast as smbclient". */
export function svgChart(rows: readonly ReportRow[]): string {
  const left = 190;
  const width = 420;
  const rowHeight = 26;
  const top = 30;
  const maxRatio = Math.max(2, ...rows.map((r) => Math.ceil(r.ratio * 2) / 2));
  const x = (ratio: number): number => left + (ratio / maxRatio) * width;
  const height = top + rows.length * rowHeight + 30;
  const bars = rows.map((r, i) => {
    const y = top + i * rowHeight;
    const colour = r.ratio <= 1 ? '#2e7d32' : '#c62828';
    return (
      `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escapeXml(r.name)}</text>` +
      `<rect x="${left}" y="${y + 4}" width="${(x(r.ratio) - left).toFixed(1)}" height="16" fill="${colour}"/>` +
      `<text x="${(x(r.ratio) + 4).toFixed(1)}" y="${y + 16}">${r.ratio.toFixed(2)}</text>`
    );
  });
  const one = x(1).toFixed(1);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 60}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<text x="${left}" y="18" font-weight="bold">ours ÷ smbclient (median wall time; below 1.00 is faster)</text>` +
    bars.join('') +
    `<line x1="${one}" y1="${top}" x2="${one}" y2="${height - 24}" stroke="#000" stroke-dasharray="4 3"/>` +
    `<text x="${one}" y="${height - 10}" text-anchor="middle">1.00</text></svg>\n`
  );
}

/** Writes report.md, report.json and ratios.svg into `dir`; returns the folder. */
export async function writeReport(dir: string, rows: readonly ReportRow[], notes: readonly string[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.md'), markdownReport(rows, notes));
  await writeFile(join(dir, 'report.json'), `${JSON.stringify({ rows, notes }, null, 2)}\n`);
  await writeFile(join(dir, 'ratios.svg'), svgChart(rows));
  return dir;
}
