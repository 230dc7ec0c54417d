// The ask-each-time strategy: wraps a CredentialStore (normally the keychain) and, when it has no
// secret for an account or cannot be used at all (locked, no Secret Service, no keytar), asks the
// person through an injected prompt (the UI's dialog, the CLI's hidden input). It never falls
// back to a file and keeps no copy of what it was told: the next get() asks again.
import { inspect } from 'node:util';
import { checkAccount, CredentialError, type CredentialStore, type CredentialStoreStatus } from './credential-store.js';

export type PromptReason =
  /** The keychain works but holds nothing for this account. */
  | 'missing'
  /** The keychain cannot be read (locked, no service, no module): asked each time. */
  | 'unavailable'
  /** The server refused the secret we had; ask for a new one. */
  | 'rejected';

export interface PromptAnswer {
  secret: string;
  /** Save it in the keychain (ignored when the keychain cannot take it). */
  remember: boolean;
}

/** Returns undefined when the person cancels. */
export type CredentialPrompt = (request: { account: string; reason: PromptReason }) => Promise<PromptAnswer | undefined>;

export interface PromptingCredentialStoreOptions {
  /** Told (without the secret) when `remember` was asked for but the keychain refused it. */
  onNotSaved?: (account: string, error: CredentialError) => void;
}

export class PromptingCredentialStore implements CredentialStore {
  readonly #inner: CredentialStore;
  readonly #prompt: CredentialPrompt;
  readonly #onNotSaved: ((account: string, error: CredentialError) => void) | undefined;

  constructor(inner: CredentialStore, prompt: CredentialPrompt, options: PromptingCredentialStoreOptions = {}) {
    this.#inner = inner;
    this.#prompt = prompt;
    this.#onNotSaved = options.onNotSaved;
  }

  /** The stored secret, else the person's answer; undefined only when they cancel. */
  async get(account: string): Promise<string | undefined> {
    checkAccount(account);
    let reason: PromptReason = 'missing';
    try {
      const stored = await this.#inner.get(account);
      if (stored !== undefined) return stored;
    } catch {
      reason = 'unavailable';
    }
    return this.#ask(account, reason);
  }

  /** Asks again after the server refused a secret, replacing the stored one if told to remember. */
  async askAgain(account: string): Promise<string | undefined> {
    checkAccount(account);
    return this.#ask(account, 'rejected');
  }

  /** Saves in the keychain; throws CredentialError ('locked' / 'unavailable' / ...) when it cannot. */
  set(account: string, secret: string): Promise<void> {
    return this.#inner.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.#inner.delete(account);
    } catch {
      return false;
    }
  }

  status(): Promise<CredentialStoreStatus> {
    return this.#inner.status();
  }

  toString(): string {
    return 'PromptingCredentialStore';
  }

  toJSON(): { type: string } {
    return { type: 'PromptingCredentialStore' };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  async #ask(account: string, reason: PromptReason): Promise<string | undefined> {
    const answer = await this.#prompt({ account, reason });
    if (answer === undefined) return undefined;
    if (typeof answer.secret !== 'string' || answer.secret.length === 0) {
      throw new CredentialError('invalid', 'the prompt gave an empty secret', account);
    }
    if (answer.remember) {
      try {
        await this.#inner.set(account, answer.secret);
      } catch (e) {
        const err = e instanceof CredentialError ? e : new CredentialError('failed', 'the keychain refused the secret', account);
        this.#onNotSaved?.(account, err);
      }
    }
    return answer.secret;
  }
}
