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
  it('ignores absent or trivially short secrets', () => {
    const log = createLogger(10, capture().out);
    log.addSecret(undefined);
    log.addSecret('a');
    expect(log.scrub('a cat')).toBe('a cat');
  });
  it('indents continuation lines so each entry stays one block', () => {
    const c = capture();
    createLogger(1, c.out, fixed).log(1, 'a\nb');
    expect(c.text()).toBe('[03:04:05.678] a\n    b\n');
  });
});
