// The benchmark report: medians with their spread, CPU per GiB, and a chart with the 1.00 line.
import { describe, expect, it } from 'vitest';
import { markdownReport, reportRow, svgChart } from './report.js';

const run = (ms: number, userMs = 100, sysMs = 200) => ({ ms, cpu: { userMs, sysMs } });

describe('bench report', () => {
  const rows = [
    reportRow('get 1024 MiB', [run(900), run(1100), run(1000)], [run(1200, 50, 400), run(1000, 50, 400), run(1100, 50, 400)], 1),
    reportRow('ls 20000 entries', [run(300), run(500)], [run(200), run(200)]),
  ];

  it('rows hold the median, the min–max and the ratio, CPU per GiB for transfers', () => {
    expect(rows[0]).toMatchObject({ ours: { medianMs: 1000, minMs: 900, maxMs: 1100 }, smbclient: { medianMs: 1100 }, cpuPer: 'GiB' });
    expect(rows[0]!.ratio).toBeCloseTo(1000 / 1100);
    expect(rows[1]).toMatchObject({ ratio: 2, cpuPer: 'run', oursCpu: { userMs: 100, sysMs: 200 } });
    const half = reportRow('put 512 MiB', [run(1, 100, 100)], [run(1)], 0.5);
    expect(half.oursCpu).toEqual({ userMs: 200, sysMs: 200 });
  });

  it('the Markdown has one line per case with both spreads', () => {
    const md = markdownReport(rows, ['peak RSS 90 MiB']);
    expect(md).toContain('| get 1024 MiB | 1000 (900–1100) | 1100 (1000–1200) | 0.91 | 0.10 / 0.20 per GiB | 0.05 / 0.40 per GiB |');
    expect(md).toContain('- peak RSS 90 MiB');
  });

  it('the chart has a bar per case, green under 1.00 and red over, and the 1.00 line', () => {
    const svg = svgChart(rows);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('fill="#2e7d32"');
    expect(svg).toContain('fill="#c62828"');
    expect(svg).toContain('>1.00</text>');
    expect(svg.startsWith('<svg')).toBe(true);
  });
});
