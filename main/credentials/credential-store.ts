// The CredentialStore service: secrets (SMB passwords) by account, kept in the OS keychain.
// Nothing here ever writes a secret to a file, a log, an event or an error message.

export type CredentialStoreStatus = 'available' | 'locked' | 'unavailable';

export interface CredentialStore {
  /** undefined when no secret is stored for the account (or, for a locked keychain, cannot be read). */
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** False when there was nothing to delete. */
  delete(account: string): Promise<boolean>;
  status(): Promise<CredentialStoreStatus>;
}

export type CredentialErrorCode = 'unavailable' | 'locked' | 'cancelled' | 'invalid' | 'failed';

/** The one error family of this folder. Messages name the account, never a secret. */
export class CredentialError extends Error {
  readonly code: CredentialErrorCode;
  readonly account: string | undefined;
  constructor(code: CredentialErrorCode, message: string, account?: string) {
    super(account === undefined ? message : `${message} (account ${account})`);
    this.name = 'CredentialError';
    this.code = code;
    this.account = account;
  }
}

/**
 * The keychain account name for a user on a server: 'user@host' or 'DOMAIN\user@host'.
 * Host names compare case-insensitively, so the host is lower-cased; the user is kept as typed.
 */
export function credentialAccount(user: string, host: string, domain?: string): string {
  if (user.length === 0) throw new CredentialError('invalid', 'a credential account needs a user name');
  if (host.length === 0) throw new CredentialError('invalid', 'a credential account needs a host');
  const who = domain === undefined || domain.length === 0 ? user : `${domain}\\${user}`;
  return `${who}@${host.toLowerCase()}`;
}

export function checkAccount(account: unknown): string {
  if (typeof account !== 'string' || account.length === 0 || account.length > 512) {
    throw new CredentialError('invalid', 'the account must be a non-empty string of at most 512 characters');
  }
  return account;
}

/** Removes every occurrence of `secret` from a text that came from below (a library's message). */
export function scrub(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0) return text;
  return text.split(secret).join('[secret]');
}
