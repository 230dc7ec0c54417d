// What the drive commands (map, drives, reconnect, unmap, watch, copy) share: the main/ services
// built for one CLI run, the CLI's way of asking for a password, and finding a drive by name.
// Passwords follow the CLI's rules: the OS keychain first, else SHAREKEEPER_PASSWORD,
// --password-stdin or a no-echo prompt on a terminal; never argv, never a file.
import { createServices, KeytarCredentialStore, type CredentialPrompt, type Drive, type Services, type ServicesOptions } from '../../../main/index.js';
import type { RunContext } from '../connection.js';
import { PASSWORD_ENV } from '../credentials.js';
import { promptPassword, readPasswordLine } from '../password-input.js';
import { CommandError } from '../usage-error.js';

/** Overall deadline of a one-shot check (`drives`, `map`, `reconnect`) unless -t says otherwise. */
export const DEFAULT_CHECK_MS = 10_000;
/** A keychain that does not answer within this long counts as locked (a CLI must not hang). */
const KEYCHAIN_TIMEOUT_MS = 5000;

export function checkDeadlineMs(ctx: RunContext): number {
  return ctx.options.timeoutMs ?? DEFAULT_CHECK_MS;
}

/** Builds the services for this run, runs `work`, and disposes them whatever happened. */
export async function withServices<T>(ctx: RunContext, work: (s: Services) => Promise<T>, extra: Partial<ServicesOptions> = {}): Promise<T> {
  const deadline = checkDeadlineMs(ctx);
  const services = createServices({
    env: ctx.io.env,
    credentialStore: new KeytarCredentialStore({ timeoutMs: KEYCHAIN_TIMEOUT_MS }),
    prompt: cliPrompt(ctx),
    supervisor: {
      // Leave room inside the overall deadline for name resolution and the login.
      connectTimeoutMs: Math.max(1000, Math.round(deadline * 0.8)),
      log: (m) => ctx.logger.log(2, m),
    },
    ...extra,
    // Every drive password (keychain, prompt, --password-stdin, SHAREKEEPER_PASSWORD, a one-off
    // target's) passes here before its login: the scrubber learns it whatever its source or length.
    onSecret: (secret) => {
      ctx.logger.addSecret(secret);
      extra.onSecret?.(secret);
    },
  });
  try {
    return await work(services);
  } finally {
    await services.dispose();
  }
}

/**
 * The CLI's CredentialPrompt: one line of stdin (--password-stdin, read once), else
 * SHAREKEEPER_PASSWORD, else a no-echo prompt on a terminal, else nothing (the drive shows auth-failed).
 * Answers are never saved (`map --save-password` is the way to save one) and prompts take turns.
 */
export function cliPrompt(ctx: RunContext): CredentialPrompt {
  const typed = new Map<string, string>();
  let stdinLine: Promise<string> | undefined;
  let turn: Promise<unknown> = Promise.resolve();
  let noted = false;
  const ask: CredentialPrompt = async ({ account, reason }) => {
    if (reason === 'unavailable' && !noted) {
      noted = true;
      ctx.io.stderr.write(`sharekeeper: no OS keychain answers; the password is asked for each time (${PASSWORD_ENV}, --password-stdin or a prompt)\n`);
    }
    const fromEnv = ctx.io.env[PASSWORD_ENV];
    let secret: string | undefined = ctx.options.passwordStdin ? await (stdinLine ??= readPasswordLine(ctx.io.stdin)) : fromEnv;
    if (secret === undefined) secret = typed.get(account);
    if (secret === undefined && ctx.io.stdin.isTTY && ctx.io.stdin.setRawMode) {
      secret = await promptPassword(ctx.io.stdin, ctx.io.stderr, `Password for ${account}: `);
      typed.set(account, secret);
    }
    if (secret === undefined || secret === '') {
      ctx.logger.log(1, `no password for ${account} (set ${PASSWORD_ENV}, use --password-stdin, or save one with map --save-password)`);
      return undefined;
    }
    // Not registered here: services' onSecret (withServices) sees this answer before any login.
    return { secret, remember: false };
  };
  return (request) => {
    const next = turn.then(() => ask(request));
    turn = next.catch(() => undefined);
    return next;
  };
}

/** The drive the person named: by exact name, else by name ignoring case, else by id. */
export async function findDrive(services: Services, name: string): Promise<Drive> {
  const drives = await services.registry.list();
  const found =
    drives.find((d) => d.name === name) ?? drives.find((d) => d.name.toLowerCase() === name.toLowerCase()) ?? drives.find((d) => d.id === name);
  if (found !== undefined) return found;
  const known = drives.length === 0 ? 'no drives are mapped' : `drives: ${drives.map((d) => d.name).join(', ')}`;
  throw new CommandError(`no drive named '${name}' (${known})`);
}
