// -d LEVEL: messages at or below LEVEL go to stderr. Level 3+ carries the client's per-request
// summaries (ConnectOptions.log). The client promises never to log a secret; we scrub the password
// anyway, from every line we print, because a leaked password cannot be taken back.
import type { Writable } from 'node:stream';

export interface Logger {
  readonly level: number;
  log(level: number, message: string): void;
  /** Remove known secrets from any text meant for a person (error messages too). */
  scrub(text: string): string;
  addSecret(secret: string | undefined): void;
}

export function createLogger(level: number, out: Writable, now: () => Date = () => new Date()): Logger {
  const secrets: string[] = [];
  const scrub = (text: string): string => {
    let s = text;
    for (const secret of secrets) s = s.split(secret).join('***');
    return s;
  };
  return {
    level,
    scrub,
    addSecret(secret) {
      // Very short secrets would blank out ordinary words; a 1-2 character password is scrubbed nowhere
      // because it cannot be told apart from normal text (and the client never logs it anyway).
      if (secret !== undefined && secret.length >= 3 && !secrets.includes(secret)) {
        secrets.push(secret);
        secrets.sort((a, b) => b.length - a.length);
      }
    },
    log(msgLevel, message) {
      if (msgLevel > level) return;
      const time = now().toISOString().slice(11, 23);
      out.write(`[${time}] ${scrub(message).replace(/\r?\n/g, '\n    ')}\n`);
    },
  };
}
