import { describe, expect, it } from 'vitest';
import { ProgressLine, renderProgress } from './progress.js';

function sink(isTTY: boolean): { isTTY: boolean; columns: number; write(s: string): boolean; text: string } {
  return { isTTY, columns: 80, text: '', write(s: string) { this.text += s; return true; } };
}

describe('renderProgress', () => {
  it('shows percent, bytes, total and rate', () => {
    const line = renderProgress({ label: 'big.iso', done: 512 * 1024, total: 1024 * 1024, elapsedMs: 1000, columns: 100 });
    expect(line).toMatch(/^big\.iso \[#{15}\.{15}\] {2} 50% {2}512 KiB \/ 1\.0 MiB {2}512 KiB\/s$/);
  });
  it('fits a narrow terminal, shortening the label first', () => {
    const line = renderProgress({ label: 'a-very-long-file-name-indeed.bin', done: 1, total: 2, elapsedMs: 1, columns: 50 });
    expect(line.length).toBeLessThan(50);
    expect(line).toContain('50%');
    expect(line.startsWith('…')).toBe(true);
  });
  it('works without a known total', () => {
    expect(renderProgress({ label: 'x', done: 10, total: undefined, elapsedMs: 0, columns: 80 })).toBe('x  10 B  0 B/s');
  });
  it('shows a hostile file name escaped (issue 7, defect 6), and never half a surrogate pair', () => {
    const line = renderProgress({ label: '\x1b]0;owned\x07\x1b[31m\r\n\u202E\u009B.bin', done: 1, total: 2, elapsedMs: 1, columns: 120 });
    expect(line.startsWith('\\033]0;owned\\a\\033[31m\\r\\n\\u202E\\u009B.bin ')).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    for (let columns = 20; columns < 60; columns++) {
      const cut = renderProgress({ label: '😀'.repeat(40), done: 1, total: 2, elapsedMs: 1, columns });
      expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
  });
  it('never shows more than 100%', () => {
    expect(renderProgress({ label: 'x', done: 20, total: 10, elapsedMs: 1000, columns: 80 })).toContain('100%');
  });
});

describe('ProgressLine', () => {
  it('counts the bytes reported', () => {
    const line = new ProgressLine({ label: 'f', total: 6, sink: sink(false), enabled: true });
    line.update(3);
    line.update(6);
    expect(line.bytes).toBe(6);
  });
  it('draws nothing when the sink is not a terminal', () => {
    const s = sink(false);
    const line = new ProgressLine({ label: 'f', total: 10, sink: s, enabled: true });
    line.update(10);
    line.end();
    expect(s.text).toBe('');
  });
  it('draws nothing with --no-progress', () => {
    const s = sink(true);
    const line = new ProgressLine({ label: 'f', total: 10, sink: s, enabled: false });
    line.update(10);
    line.end();
    expect(s.text).toBe('');
  });
  it('on a terminal draws (throttled) and ends with the final state and a newline', () => {
    const s = sink(true);
    let t = 0;
    const line = new ProgressLine({ label: 'f', total: 30, sink: s, enabled: true, now: () => t, intervalMs: 100 });
    for (let i = 1; i <= 3; i++) {
      t += 10; // all within one interval: only the first update draws
      line.update(i * 10);
    }
    line.end();
    const draws = s.text.split('\r').filter(Boolean);
    expect(draws).toHaveLength(2);
    expect(draws[1]).toMatch(/100%.*30 B \/ 30 B/);
    expect(s.text.endsWith('\n')).toBe(true);
  });
  it('a terminal reporting 0 columns still gets a bar', () => {
    const s = { ...sink(true), columns: 0 };
    const line = new ProgressLine({ label: 'f', total: 10, sink: s, enabled: true });
    line.update(10);
    expect(s.text).toMatch(/100%/);
  });
  it('wipes its line when the transfer fails', () => {
    const s = sink(true);
    const line = new ProgressLine({ label: 'f', total: 10, sink: s, enabled: true });
    line.update(5);
    line.fail();
    expect(s.text.endsWith('\r\x1b[K')).toBe(true);
  });
});
