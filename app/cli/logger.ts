// -d LEVEL: messages at or below LEVEL go to stderr. Level 3+ carries the client's per-request
// summaries (ConnectOptions.log). The client promises never to log a secret; we scrub the password
// anyway, from every line we print, because a leaked password cannot be taken back.
// Log lines carry names and messages from the server, so they are shown escaped (main/text).
import type { Writable } from 'node:stream';
import { escapeForTerminal } from '../../main/text/index.js';

export interface Logger {
  readonly level: number;
  log(level: number, message: string): void;
  /** Remove known secrets from any text meant for a person (error messages too). */
  scrub(text: string): string;
  /** Registers a password before its first use; any length, from any source. Empty and undefined are ignored. */
  addSecret(secret: string | undefined): void;
}

/**
 * The forms a secret can take in text we print: as it is, escaped for the terminal (a password
 * with a control character in it, or a backslash in a line that had one), and inside a JSON string.
 */
function secretForms(secret: string): string[] {
  return [...new Set([secret, escapeForTerminal(secret), secret.replace(/\\/g, '\\\\'), JSON.stringify(secret).slice(1, -1)])];
}

export function createLogger(level: number, out: Writable, now: () => Date = () => new Date()): Logger {
  const secrets: string[] = [];
  const scrub = (text: string): string => {
    let s = text;
    // Longest first, so a secret that contains a shorter one goes whole.
    for (const secret of secrets) s = s.split(secret).join('***');
    return s;
  };
  return {
    level,
    scrub,
    addSecret(secret) {
      // Every length counts: a 1-character password is rare, and blanking that character out of
      // every line is a small price next to printing it (a leaked password cannot be taken back).
      if (secret === undefined || secret === '') return;
      for (const form of secretForms(secret)) if (!secrets.includes(form)) secrets.push(form);
      secrets.sort((a, b) => b.length - a.length);
    },
    log(msgLevel, message) {
      if (msgLevel > level) return;
      const time = now().toISOString().slice(11, 23);
      // Scrub before escaping (the secret is matched as it is), and keep our own line breaks as
      // indented continuation lines, each escaped, so a message cannot forge an entry.
      const lines = scrub(message).split(/\r?\n/).map(escapeForTerminal);
      out.write(`[${time}] ${lines.join('\n    ')}\n`);
    },
  };
}
