// CredentialStore over the OS keychain through keytar (libsecret / Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows). keytar is loaded lazily so a machine without
// its native module still runs: status() then says 'unavailable' and callers ask each time.
//
// libsecret facts this file works around: a locked collection makes getPassword return null, just
// like a missing item; only a write tells them apart ("Cannot create an item in a locked
// collection"). With no Secret Service, get → null (or an error when there is no session bus) and
// set fails ("Object does not exist at path .../collection/login", "...not provided by any
// .service files"). So status() probes with a write and a delete of a dedicated item.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { checkAccount, CredentialError, scrub, type CredentialErrorCode, type CredentialStore, type CredentialStoreStatus } from './credential-store.js';

export const KEYTAR_SERVICE = 'sharekeeper';
/** The item status() writes and deletes. Never holds a real secret. */
export const PROBE_ACCOUNT = '__sharekeeper-probe__';

/** The part of keytar's API used here (keytar 7). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type KeytarLoader = () => Promise<KeytarApi>;

/** Imports keytar at first use; rejects when the package or its native module is missing. */
export const loadKeytar: KeytarLoader = async () => {
  const mod = (await import('keytar')) as KeytarApi & { default?: KeytarApi };
  return mod.default ?? mod;
};

export interface KeytarCredentialStoreOptions {
  service?: string;
  loader?: KeytarLoader;
  /**
   * Deadline for each keychain call. On a desktop a write to a locked keychain shows an unlock
   * prompt and waits for the person; past this the call counts as 'locked'. Default 15 s.
   */
  timeoutMs?: number;
}

/** Sorts a keychain failure by its text (libsecret's wording; other platforms end in 'failed'). */
export function classifyKeychainError(message: string): CredentialErrorCode {
  if (/\blocked\b/i.test(message)) return 'locked';
  if (/does not exist at path|not provided by any \.service|autolaunch|d-?bus|secret service|org\.freedesktop\.secrets/i.test(message)) {
    return 'unavailable';
  }
  return 'failed';
}

export class KeytarCredentialStore implements CredentialStore {
  readonly service: string;
  readonly #loader: KeytarLoader;
  readonly #timeoutMs: number;
  #api: Promise<KeytarApi> | undefined;

  constructor(options: KeytarCredentialStoreOptions = {}) {
    this.service = options.service ?? KEYTAR_SERVICE;
    this.#loader = options.loader ?? loadKeytar;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
  }

  async get(account: string): Promise<string | undefined> {
    checkAccount(account);
    const value = await this.#call(account, undefined, (k) => k.getPassword(this.service, account));
    return value ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    checkAccount(account);
    if (typeof secret !== 'string' || secret.length === 0) throw new CredentialError('invalid', 'the secret must be a non-empty string', account);
    await this.#call(account, secret, (k) => k.setPassword(this.service, account, secret));
  }

  async delete(account: string): Promise<boolean> {
    checkAccount(account);
    return this.#call(account, undefined, (k) => k.deletePassword(this.service, account));
  }

  async status(): Promise<CredentialStoreStatus> {
    const probe = randomBytes(12).toString('hex');
    try {
      await this.#call(PROBE_ACCOUNT, probe, (k) => k.setPassword(this.service, PROBE_ACCOUNT, probe));
      await this.#call(PROBE_ACCOUNT, probe, (k) => k.deletePassword(this.service, PROBE_ACCOUNT));
      return 'available';
    } catch (e) {
      return e instanceof CredentialError && e.code === 'locked' ? 'locked' : 'unavailable';
    }
  }

  toString(): string {
    return `KeytarCredentialStore(${this.service})`;
  }

  toJSON(): { type: string; service: string } {
    return { type: 'KeytarCredentialStore', service: this.service };
  }

  [inspect.custom](): string {
    return this.toString();
  }

  #load(): Promise<KeytarApi> {
    this.#api ??= this.#loader().catch((e: unknown) => {
      this.#api = undefined;
      throw new CredentialError('unavailable', `the OS keychain module could not be loaded: ${(e as Error).message}`);
    });
    return this.#api;
  }

  /** One keychain call with a deadline; failures become CredentialError with the secret scrubbed. */
  async #call<T>(account: string, secret: string | undefined, op: (k: KeytarApi) => Promise<T>): Promise<T> {
    const api = await this.#load();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CredentialError('locked', `the keychain did not answer within ${this.#timeoutMs} ms (waiting for an unlock?)`, account)),
        this.#timeoutMs,
      );
      timer.unref();
    });
    try {
      return await Promise.race([op(api), deadline]);
    } catch (e) {
      if (e instanceof CredentialError) throw e;
      const text = scrub(e instanceof Error ? e.message : String(e), secret);
      throw new CredentialError(classifyKeychainError(text), `keychain: ${text}`, account);
    } finally {
      clearTimeout(timer);
    }
  }
}
