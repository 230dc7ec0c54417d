// A one-line progress bar on stderr for get/put, drawn only when stderr is a terminal, so pipes
// and logs stay clean. The bar is a pass-through Transform: it sits in the pipeline and counts bytes.
import { Transform, type TransformCallback } from 'node:stream';
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

export class ProgressCounter extends Transform {
  bytes = 0;
  private readonly opts: ProgressOptions;
  private readonly started: number;
  private lastDraw = -Infinity;
  private drawn = false;
  private readonly draw: boolean;

  constructor(opts: ProgressOptions) {
    super();
    this.opts = opts;
    this.draw = opts.enabled && opts.sink.isTTY === true;
    this.started = this.now();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    const t = this.now();
    if (this.draw && t - this.lastDraw >= (this.opts.intervalMs ?? 100)) {
      this.lastDraw = t;
      this.render(t);
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    if (this.draw) {
      this.render(this.now());
      this.opts.sink.write('\n');
    }
    cb();
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    // On failure, wipe the half-drawn line so the error message starts on a clean line.
    if (this.drawn && err) this.opts.sink.write('\r\x1b[K');
    cb(err);
  }

  private render(t: number): void {
    // A pty that never had its size set reports 0 columns; draw for a classic 80-column terminal then.
    const columns = this.opts.sink.columns || 80;
    const line = renderProgress({ label: this.opts.label, done: this.bytes, total: this.opts.total, elapsedMs: t - this.started, columns });
    this.opts.sink.write(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}
