// A one-line progress bar on stderr for get/put, drawn only when stderr is a terminal, so pipes
// and logs stay clean. The copy reports its bytes; the line redraws at most every 100 ms.
import { escapeForTerminal } from '../../main/text/index.js';
import { humanBytes } from './format.js';

export interface ProgressSink {
  isTTY?: boolean;
  columns?: number;
  write(s: string): boolean;
}

export interface ProgressState {
  label: string;
  done: number;
  total: number | undefined;
  elapsedMs: number;
  columns: number;
}

/** `name [#####.....]  45%  12.3 MiB / 27.0 MiB  5.1 MiB/s`, cut to the terminal's width. */
export function renderProgress(s: ProgressState): string {
  const rate = s.elapsedMs > 0 ? (s.done * 1000) / s.elapsedMs : 0;
  const stats = [
    s.total ? `${String(Math.floor((Math.min(s.done, s.total) * 100) / s.total)).padStart(3)}%` : '',
    `${humanBytes(s.done)}${s.total !== undefined ? ` / ${humanBytes(s.total)}` : ''}`,
    `${humanBytes(Math.round(rate))}/s`,
  ].filter(Boolean).join('  ');
  const room = s.columns - stats.length - 2;
  const barWidth = Math.min(30, Math.max(0, room - 16));
  let bar = '';
  if (barWidth >= 10 && s.total) {
    const filled = Math.round((Math.min(s.done, s.total) / s.total) * barWidth);
    bar = ` [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  }
  const labelRoom = Math.max(0, room - bar.length);
  // The label is a file name, often the server's: shown escaped, and cut without splitting a
  // surrogate pair (half of one is not text, and a terminal may show it as anything).
  const shown = escapeForTerminal(s.label);
  let label = shown.length > labelRoom ? `…${labelRoom > 1 ? shown.slice(-(labelRoom - 1)) : ''}` : shown;
  if (/^…[\udc00-\udfff]/.test(label)) label = `…${label.slice(2)}`;
  const line = `${label}${bar}  ${stats}`.slice(0, Math.max(0, s.columns - 1));
  return /[\ud800-\udbff]$/.test(line) ? line.slice(0, -1) : line;
}

export interface ProgressOptions {
  label: string;
  total: number | undefined;
  sink: ProgressSink;
  /** Off for --no-progress; the bar also stays off when the sink is not a TTY. */
  enabled: boolean;
  now?: () => number;
  /** Redraw at most this often. */
  intervalMs?: number;
}

/** Draws the line as a copy reports its bytes (main/'s downloadFile/uploadFile onProgress). */
export class ProgressLine {
  bytes = 0;
  private total: number | undefined;
  private readonly opts: ProgressOptions;
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly draw: boolean;

  constructor(opts: ProgressOptions) {
    this.opts = opts;
    this.total = opts.total;
    this.draw = opts.enabled && opts.sink.isTTY === true;
    this.started = this.now();
  }

  /** `total` once it is known (the copy finds the size when it starts). */
  update(bytes: number, total?: number): void {
    this.bytes = bytes;
    if (total !== undefined) this.total = total;
    const t = this.now();
    if (this.draw && t - this.lastDraw >= (this.opts.intervalMs ?? 100)) {
      this.lastDraw = t;
      this.render(t);
    }
  }

  /** The final state and a newline. */
  end(): void {
    if (!this.draw) return;
    this.render(this.now());
    this.opts.sink.write('\n');
  }

  /** On failure, wipe the half-drawn line so the error message starts on a clean line. */
  fail(): void {
    if (this.drawn) this.opts.sink.write('\r\x1b[K');
  }

  private render(t: number): void {
    // A pty that never had its size set reports 0 columns; draw for a classic 80-column terminal then.
    const columns = this.opts.sink.columns || 80;
    const line = renderProgress({ label: this.opts.label, done: this.bytes, total: this.total, elapsedMs: t - this.started, columns });
    this.opts.sink.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
