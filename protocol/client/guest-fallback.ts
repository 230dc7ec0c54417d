// A logon without credentials, as people mean it: what Windows' "connect as guest" and
// `smbclient -N` do. First a guest logon (a name the server maps to its guest account, no
// password: Samba's `map to guest = Bad User`, MS-NLMP 3.2.5.1.2 with an empty password), which
// gives a real user token; only a server that refuses guests gets a null session. A null session
// alone is not enough on Samba: its anonymous token (S-1-5-7) is not the owner of the folders it
// creates, so a guest share refused every file and folder inside a folder we had just made.
import { SmbError } from '../errors.js';
import type { Credentials } from './types.js';

/** The credentials to try, in order, for `creds`. */
export function logonAttempts(creds: Credentials): Credentials[] {
  if (creds.kind !== 'guest' || !creds.orAnonymous) return [creds];
  return [{ kind: 'guest', ...(creds.user === undefined ? {} : { user: creds.user }) }, { kind: 'anonymous' }];
}

/** Runs `login` with each attempt until one works; only a refused logon (code 'auth') moves on. */
export async function loginWithFallback<S>(creds: Credentials, login: (c: Credentials) => Promise<S>): Promise<S> {
  const attempts = logonAttempts(creds);
  for (let i = 0; ; i++) {
    try {
      return await login(attempts[i]!);
    } catch (e) {
      if (i === attempts.length - 1 || !(e instanceof SmbError) || e.code !== 'auth') throw e;
    }
  }
}

/** What a logon with no user given means everywhere (drives without a user, the CLI's -N alone). */
export const NO_CREDENTIALS: Credentials = Object.freeze({ kind: 'guest', orAnonymous: true });
