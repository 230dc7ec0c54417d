// An in-process CredentialStore for tests of other services (and for a session that must not
// touch the keychain). The map is a true private field and every printable form is redacted.
import { inspect } from 'node:util';
import { checkAccount, CredentialError, type CredentialStore, type CredentialStoreStatus } from './credential-store.js';

export class MemoryCredentialStore implements CredentialStore {
  readonly #secrets = new Map<string, string>();
  #status: CredentialStoreStatus = 'available';

  /** Lets a test play a locked or missing keychain: get → undefined / set → CredentialError. */
  setStatus(status: CredentialStoreStatus): void {
    this.#status = status;
  }

  get size(): number {
    return this.#secrets.size;
  }

  async get(account: string): Promise<string | undefined> {
    checkAccount(account);
    if (this.#status === 'unavailable') throw new CredentialError('unavailable', 'no keychain', account);
    return this.#status === 'locked' ? undefined : this.#secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    if (typeof secret !== 'string') throw new CredentialError('invalid', 'the secret must be a string', account);
    if (this.#status !== 'available') throw new CredentialError(this.#status, `the keychain is ${this.#status}`, account);
    this.#secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    if (this.#status !== 'available') return false;
    return this.#secrets.delete(account);
  }

  async status(): Promise<CredentialStoreStatus> {
    return this.#status;
  }

  toString(): string {
    return `MemoryCredentialStore(${this.#secrets.size} accounts)`;
  }

  toJSON(): { type: string; accounts: number } {
    return { type: 'MemoryCredentialStore', accounts: this.#secrets.size };
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
