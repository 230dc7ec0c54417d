// Who we log in as. The user comes from -U or the smb:// URL; the password only from the
// environment, a pipe (--password-stdin) or a no-echo prompt: never from argv.
import type { Writable } from 'node:stream';
import type { CliOptions } from './args.js';
import { promptPassword, readPasswordLine, type InputLike } from './password-input.js';
import { NO_CREDENTIALS, type Credentials } from '../../protocol/index.js';
import type { SmbLocation } from '../../main/drives/index.js';
import { UsageError } from './usage-error.js';

export const PASSWORD_ENV = 'SHAREKEEPER_PASSWORD';

export interface UserSpec {
  user: string;
  domain: string | undefined;
}

/** `DOMAIN\USER`, `DOMAIN/USER` (as smbclient takes it) or `USER@DOMAIN`; a plain name has no domain. */
export function parseUserSpec(spec: string): UserSpec {
  const sep = spec.search(/[\\/]/);
  if (sep >= 0) return nonEmpty({ domain: spec.slice(0, sep), user: spec.slice(sep + 1) }, spec);
  const at = spec.lastIndexOf('@');
  if (at >= 0) return nonEmpty({ user: spec.slice(0, at), domain: spec.slice(at + 1) }, spec);
  return nonEmpty({ user: spec, domain: undefined }, spec);
}

function nonEmpty(u: UserSpec, spec: string): UserSpec {
  if (u.user === '' || u.domain === '') throw new UsageError(`cannot read user '${spec}' (expected USER, DOMAIN\\USER or USER@DOMAIN)`);
  return u;
}

export interface CredentialSources {
  options: Pick<CliOptions, 'user' | 'noPass' | 'passwordStdin'>;
  target: Pick<SmbLocation, 'user' | 'domain' | 'host'>;
  env: Record<string, string | undefined>;
  stdin: InputLike;
  stderr: Writable;
}

export interface ResolvedCredentials {
  credentials: Credentials;
  /** The password, so the logger can scrub it from anything it prints. */
  secret: string | undefined;
}

export async function resolveCredentials(src: CredentialSources): Promise<ResolvedCredentials> {
  const who = pickUser(src);
  if (src.options.noPass) {
    // -N: no password is sent. With a name it is a guest logon as that name; without one, as
    // `smbclient -N`: a guest logon, a null session only where the server refuses guests.
    return { credentials: who ? { kind: 'guest', user: who.user } : NO_CREDENTIALS, secret: undefined };
  }
  if (!who) {
    if (src.options.passwordStdin) throw new UsageError('--password-stdin needs a user (-U USER or smb://USER@HOST/...)');
    return { credentials: NO_CREDENTIALS, secret: undefined };
  }
  const password = await readPassword(src, who);
  const credentials: Credentials = { kind: 'user', user: who.user, password };
  if (who.domain !== undefined) credentials.domain = who.domain;
  return { credentials, secret: password === '' ? undefined : password };
}

function pickUser(src: CredentialSources): UserSpec | undefined {
  const fromTarget = src.target.user === undefined ? undefined : { user: src.target.user, domain: src.target.domain };
  const fromOption = src.options.user === undefined ? undefined : parseUserSpec(src.options.user);
  if (fromOption && fromTarget && (fromOption.user !== fromTarget.user || (fromTarget.domain !== undefined && fromOption.domain !== fromTarget.domain))) {
    throw new UsageError('the user in -U and the user in the smb:// URL differ; give it once');
  }
  if (fromOption && fromTarget) return { user: fromOption.user, domain: fromOption.domain ?? fromTarget.domain };
  return fromOption ?? fromTarget;
}

async function readPassword(src: CredentialSources, who: UserSpec): Promise<string> {
  if (src.options.passwordStdin) return readPasswordLine(src.stdin);
  const fromEnv = src.env[PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (src.stdin.isTTY && src.stdin.setRawMode) {
    const name = who.domain === undefined ? who.user : `${who.domain}\\${who.user}`;
    return promptPassword(src.stdin, src.stderr, `Password for ${name} on ${src.target.host}: `);
  }
  throw new UsageError(`no password for ${who.user}: set ${PASSWORD_ENV}, use --password-stdin, or -N for a guest logon`);
}
