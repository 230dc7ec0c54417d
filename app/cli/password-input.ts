// Reading a password without it ever touching argv: one line from a pipe, or a prompt on the
// terminal with echo off (raw mode; we print nothing for each key, not even '*').
import type { Writable } from 'node:stream';
import { InterruptedError, UsageError } from './usage-error.js';

/** What we need from stdin; process.stdin fits, and so does a PassThrough in tests. */
export interface InputLike extends NodeJS.EventEmitter {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(enc: BufferEncoding): unknown;
  resume(): unknown;
  pause(): unknown;
}

const MAX_PASSWORD_CHARS = 1024;

/** Reads up to the first newline (or end of input); the trailing CR/LF is not part of the password. */
export function readPasswordLine(input: InputLike): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      if (err) reject(err);
      else resolve(text.replace(/\r$/, ''));
    };
    const onData = (chunk: string | Buffer): void => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        text = text.slice(0, nl);
        finish();
      } else if (text.length > MAX_PASSWORD_CHARS) {
        finish(new UsageError('--password-stdin: no newline within the first 1024 characters'));
      }
    };
    const onEnd = (): void => finish();
    const onError = (e: Error): void => finish(e);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}

/** Prompts on `output` (stderr) and reads keys from a TTY with echo off. Ctrl-C → InterruptedError. */
export function promptPassword(input: InputLike, output: Writable, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (err?: Error): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish();
        if (ch === '\u0003') return finish(new InterruptedError());
        if (ch === '\u007f' || ch === '\b') text = [...text].slice(0, -1).join('');
        else if (ch >= ' ') text += ch; // control keys (arrows, tab) are dropped
        if (text.length > MAX_PASSWORD_CHARS) return finish(new UsageError('password too long'));
      }
    };
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode?.(true);
    input.on('data', onData);
    input.resume();
  });
}
