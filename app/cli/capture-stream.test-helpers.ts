// Test-only: a Writable that keeps everything written to it as text (stdout/stderr of an in-process CLI run).
import { Writable } from 'node:stream';

export function capture(): Writable & { text: string } {
  const w = new Writable({
    write(chunk, _e, cb) {
      w.text += String(chunk);
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}
