import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { out: Writable; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { out, text: () => text };
}

const fixed = () => new Date('2026-01-02T03:04:05.678Z');

describe('createLogger', () => {
  it('prints messages at or below its level, with a time', () => {
    const c = capture();
    const log = createLogger(3, c.out, fixed);
    log.log(1, 'one');
    log.log(3, 'three');
    log.log(4, 'four');
    expect(c.text()).toBe('[03:04:05.678] one\n[03:04:05.678] three\n');
  });
  it('level 0 prints nothing', () => {
    const c = capture();
    createLogger(0, c.out).log(1, 'x');
    expect(c.text()).toBe('');
  });
  it('scrubs every known secret from log lines and from other text', () => {
    const c = capture();
    const log = createLogger(10, c.out, fixed);
    log.addSecret('hunter2');
    log.addSecret('hunter2-long');
    log.log(5, 'sent hunter2-long and hunter2 twice: hunter2');
    expect(c.text()).not.toContain('hunter2');
    expect(c.text()).toContain('sent *** and *** twice: ***');
    expect(log.scrub('bad password hunter2')).toBe('bad password ***');
  });
  it('ignores absent and empty secrets', () => {
    const log = createLogger(10, capture().out);
    log.addSecret(undefined);
    log.addSecret('');
    expect(log.scrub('a cat')).toBe('a cat');
  });
  it.each(['Q', 'q7'])('scrubs a %j password too, from log lines and error text (issue 7, secrets)', (pw) => {
    const c = capture();
    const log = createLogger(10, c.out, fixed);
    log.addSecret(pw);
    log.log(3, `SESSION_SETUP as bob with ${pw}!`);
    expect(c.text()).not.toContain(pw);
    expect(c.text()).toContain('with ***!');
    expect(log.scrub(`sharekeeper: NT_STATUS_LOGON_FAILURE (password ${pw})`)).toBe('sharekeeper: NT_STATUS_LOGON_FAILURE (password ***)');
  });
  it('scrubs a secret also in its escaped and JSON-quoted forms', () => {
    const log = createLogger(10, capture().out);
    log.addSecret('p\x1bw\\d"x');
    expect(log.scrub('term p\\033w\\\\d"x')).toBe('term ***');
    expect(log.scrub(JSON.stringify({ m: 'p\x1bw\\d"x' }))).toBe('{"m":"***"}');
  });
  it('shows server text escaped: no raw controls, no forged entries', () => {
    const c = capture();
    createLogger(1, c.out, fixed).log(1, 'name \x1b]0;owned\x07 \u202E\rx\n[03:04:05.678] forged');
    expect(c.text()).toBe('[03:04:05.678] name \\033]0;owned\\a \\u202E\\rx\n    [03:04:05.678] forged\n');
  });
  it('indents continuation lines so each entry stays one block', () => {
    const c = capture();
    createLogger(1, c.out, fixed).log(1, 'a\nb');
    expect(c.text()).toBe('[03:04:05.678] a\n    b\n');
  });
});
