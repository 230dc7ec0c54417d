import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptPassword, readPasswordLine, type InputLike } from './password-input.js';
import { InterruptedError, UsageError } from './usage-error.js';

const devNull = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

function tty(): PassThrough & InputLike {
  const s = Object.assign(new PassThrough(), { isTTY: true });
  (s as InputLike).setRawMode = () => s;
  return s;
}

describe('readPasswordLine', () => {
  it('stops at the first newline, even split across chunks', async () => {
    const s = new PassThrough();
    const p = readPasswordLine(s);
    s.write('ab');
    s.write('c\nignored');
    expect(await p).toBe('abc');
  });
  it('keeps spaces and non-ASCII', async () => {
    const s = new PassThrough();
    s.end(' pä ss ✓ \n');
    expect(await readPasswordLine(s)).toBe(' pä ss ✓ ');
  });
  it('empty input is an empty password', async () => {
    const s = new PassThrough();
    s.end();
    expect(await readPasswordLine(s)).toBe('');
  });
  it('refuses endless input without a newline', async () => {
    const s = new PassThrough();
    s.write('x'.repeat(5000));
    await expect(readPasswordLine(s)).rejects.toThrow(UsageError);
  });
});

describe('promptPassword', () => {
  it('Ctrl-C interrupts', async () => {
    const s = tty();
    const p = promptPassword(s, devNull(), 'pw: ');
    s.write('ab\u0003');
    await expect(p).rejects.toBeInstanceOf(InterruptedError);
  });
  it('backspace removes a whole character, control keys are dropped', async () => {
    const s = tty();
    const p = promptPassword(s, devNull(), 'pw: ');
    s.write('a✓\u007f\tb\n');
    expect(await p).toBe('ab');
  });
});
