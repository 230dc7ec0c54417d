// What the API handlers share: the services, the event hub, the host's hooks, the browser's
// trees, the local handles, and the passwords given through the UI for this process (kept in a
// closure, never serialized, never sent back).
import { NO_CREDENTIALS, type Credentials } from '../../protocol/index.js';
import type { Drive } from '../drives/index.js';
import type { Services } from '../services/index.js';
import { driveAccount, isSettled, toSupervisedDrive } from '../services/index.js';
import type { DriveStatus } from '../supervisor/index.js';
import { driveView } from './drive-views.js';
import { ApiFailure } from './errors.js';
import { LocalHandles } from './local-handles.js';
import { ShareTrees } from './share-trees.js';
import type { DriveView } from './views.js';
import type { EventHub } from './wire.js';

export interface ApiHostHooks {
  mode: 'serve' | 'electron';
  version: string;
  /** The host's folder picker: Electron shows the OS dialog; serve answers its downloads folder. */
  pickFolder?: () => Promise<string | undefined>;
  pickFiles?: () => Promise<string[]>;
  /** The host takes dropped paths (local.dropped): only Electron, whose preload names them from real drops. */
  acceptsDroppedPaths?: boolean;
  /** The host streams transfers to the browser over HTTP (serve). */
  browserTransfers?: boolean;
  /** Start at login: the desktop app has it; serve does not. */
  autostart?: { get(): Promise<boolean>; set(enabled: boolean): Promise<void> };
}

/** Knows every secret that passed through, to take it out of any text leaving main. */
export class Scrubber {
  private readonly secrets = new Set<string>();
  add(secret: string): void {
    if (secret.length > 0) this.secrets.add(secret);
  }
  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('[secret]');
    return out;
  }
}

export class ApiState {
  readonly trees: ShareTrees;
  readonly handles = new LocalHandles();
  /** Passwords typed in the UI this run, by drive id. */
  private readonly passwords = new Map<string, string>();
  /** Whether the keychain holds a password, by account (never the password). */
  private readonly saved = new Map<string, boolean>();

  constructor(
    readonly services: Services,
    readonly hub: EventHub,
    readonly host: ApiHostHooks,
    readonly scrubber: Scrubber,
  ) {
    this.trees = new ShareTrees({ supervisor: services.supervisor, credentials: (d) => this.credentialsFor(d) });
  }

  async drive(id: string): Promise<Drive> {
    const d = await this.services.registry.get(id);
    if (d === undefined) throw new ApiFailure('not-found', 'There is no such drive', { detail: `drive ${id}` });
    return d;
  }

  status(id: string): DriveStatus | undefined {
    try {
      return this.services.supervisor.status(id);
    } catch {
      return undefined;
    }
  }

  account(drive: Drive): string | undefined {
    return driveAccount(toSupervisedDrive(drive));
  }

  async view(drive: Drive, refreshSaved = false): Promise<DriveView> {
    return driveView(drive, this.status(drive.id), await this.hasSaved(drive, refreshSaved));
  }

  /** A view without asking the keychain (for events on every transition). */
  viewNow(drive: Drive): DriveView {
    const account = this.account(drive);
    return driveView(drive, this.status(drive.id), account === undefined ? false : (this.saved.get(account) ?? false));
  }

  async hasSaved(drive: Drive, refresh = false): Promise<boolean> {
    const account = this.account(drive);
    if (account === undefined) return false;
    const known = this.saved.get(account);
    if (known !== undefined && !refresh) return known;
    let has = false;
    try {
      has = (await this.services.keychain.get(account)) !== undefined;
    } catch {
      has = false;
    }
    this.saved.set(account, has);
    return has;
  }

  markSaved(account: string, has: boolean): void {
    this.saved.set(account, has);
  }

  /** Uses a typed password for this drive for the rest of the run (supervisor and browser sessions). */
  usePassword(drive: Drive, password: string): void {
    this.scrubber.add(password);
    this.passwords.set(drive.id, password);
    const sup = toSupervisedDrive(drive);
    if (sup.user === undefined) return;
    this.services.useCredentials(drive.id, { kind: 'user', user: sup.user, password, ...(sup.domain === undefined ? {} : { domain: sup.domain }) });
  }

  forgetPassword(driveId: string): void {
    this.passwords.delete(driveId);
  }

  /** The drive's credentials for a session of the browser's own: typed, else the keychain, else none. */
  async credentialsFor(drive: Drive): Promise<Credentials | undefined> {
    const sup = toSupervisedDrive(drive);
    if (sup.user === undefined) return NO_CREDENTIALS;
    const account = this.account(drive) as string;
    let password = this.passwords.get(drive.id);
    if (password === undefined) {
      try {
        password = await this.services.keychain.get(account);
      } catch {
        password = undefined;
      }
    }
    if (password === undefined) return undefined;
    this.scrubber.add(password);
    return { kind: 'user', user: sup.user, password, ...(sup.domain === undefined ? {} : { domain: sup.domain }) };
  }

  /**
   * Resolves once the drive's current attempt has ended (or `ms` passed). A drive that was just
   * (re)registered may not be supervised yet: wait for it to appear first.
   */
  async settled(id: string, ms: number, signal?: AbortSignal): Promise<void> {
    const end = Date.now() + ms;
    const sup = this.services.supervisor;
    while (this.status(id) === undefined && Date.now() < end && !signal?.aborted) await sleep(25);
    if (this.status(id) === undefined) return;
    // An attempt asked for just now may not have started yet: give it a moment to leave the state.
    await new Promise<void>((resolve) => {
      const t = setTimeout(done, 50);
      const off = sup.onTransition((e) => e.driveId === id && done());
      function done(): void {
        clearTimeout(t);
        off();
        resolve();
      }
    });
    while (Date.now() < end && !signal?.aborted) {
      const s = this.status(id);
      if (s === undefined || isSettled(s)) return;
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, end - Date.now()));
        const off = sup.onTransition((e) => e.driveId === id && done());
        function done(): void {
          clearTimeout(t);
          off();
          resolve();
        }
      });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
