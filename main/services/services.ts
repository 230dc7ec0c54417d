// The composition root of main/: builds the drive registry, the credential store (the OS keychain
// wrapped so a missing secret is asked for), the drive supervisor, and the transfer queue over the
// supervisor, by hand and in that order. Each entry point (CLI, Electron, serve) calls
// createServices() once and dispose() at the end; tests inject a MemoryCredentialStore, never a
// fake SMB server.
import { NO_CREDENTIALS, SmbError, type Credentials } from '../../protocol/index.js';
import {
  KeytarCredentialStore,
  PromptingCredentialStore,
  type CredentialError,
  type CredentialPrompt,
  type CredentialStore,
} from '../credentials/index.js';
import { defaultConfigDir, JsonDriveRegistry, type Drive, type DriveRegistryEvent } from '../drives/index.js';
import { DriveSupervisor, driveConnectOptions, parseTarget, type DriveStatus, type SupervisedDrive, type SupervisorOptions } from '../supervisor/index.js';
import { LocalTransferQueue, SimpleTreeProvider, smbShareConnector, type ShareTarget, type TransferQueueOptions } from '../transfers/index.js';
import { connectionChanged, sameCredentials } from './connection-change.js';
import { driveAccount, toSupervisedDrive } from './supervised-drive.js';
import { SupervisorTreeProvider } from './supervisor-tree-provider.js';

export interface ServicesOptions {
  /** Where drives.json (and transfers.json) live. Default: defaultConfigDir(env). */
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The keychain. Default: KeytarCredentialStore (the OS keychain). Tests pass a MemoryCredentialStore. */
  credentialStore?: CredentialStore;
  /** Asks the person for a secret the keychain does not give. Default: never asks (the drive goes auth-failed). */
  prompt?: CredentialPrompt;
  /**
   * Told every password before it is used to log in, whatever it came from: the keychain, the
   * prompt, or credentials given for this process. The CLI registers it with its log scrubber; the
   * one place drive passwords pass through, so no source can be forgotten.
   */
  onSecret?: (secret: string) => void;
  /** Told (without the secret) when a prompt answer could not be saved in the keychain. */
  onNotSaved?: (account: string, error: CredentialError) => void;
  /** Supervisor tuning (timeouts, backoff, and for unit tests the clock and connect). */
  supervisor?: Omit<SupervisorOptions, 'credentials'>;
  /** Folder of transfers.json. Default: configDir. A one-shot caller may give a temporary folder. */
  transferStateDir?: string;
  transfers?: Omit<TransferQueueOptions, 'provider' | 'configDir'>;
}

export interface LoadDrivesOptions {
  /** Which registry drives to supervise. Default: all. */
  filter?: (drive: Drive) => boolean;
  /** Start an attempt now (true), or only when persistent (undefined), or only on access (false). */
  connect?: boolean;
  /** Keep the supervisor in step with later registry changes (add, update, remove). Default false. */
  follow?: boolean;
}

export interface Services {
  readonly configDir: string;
  readonly registry: JsonDriveRegistry;
  /** The keychain as given (no prompting): for saving and deleting secrets. */
  readonly keychain: CredentialStore;
  /** The keychain, asking through the prompt when it has nothing or cannot be used. */
  readonly credentials: PromptingCredentialStore;
  readonly supervisor: DriveSupervisor;
  readonly trees: SupervisorTreeProvider;
  readonly queue: LocalTransferQueue;
  /** Puts registry drives under the supervisor; returns the drives added. */
  loadDrives(opts?: LoadDrivesOptions): Promise<Drive[]>;
  /**
   * Supervises a drive that is not in the registry (a one-off smb:// target) with credentials kept
   * in memory for this process only.
   */
  addTransientDrive(drive: SupervisedDrive, credentials: Credentials, opts?: { connect?: boolean }): DriveStatus;
  /** Uses these credentials for a drive instead of the keychain, for this process only. */
  useCredentials(driveId: string, credentials: Credentials): void;
  /** Loads the transfer state and starts the queue (once). */
  startQueue(): Promise<LocalTransferQueue>;
  dispose(): Promise<void>;
}

export function createServices(options: ServicesOptions = {}): Services {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? defaultConfigDir(env);
  const registry = new JsonDriveRegistry(configDir);
  const keychain = options.credentialStore ?? new KeytarCredentialStore();
  const prompt: CredentialPrompt = options.prompt ?? (async () => undefined);
  const credentials = new PromptingCredentialStore(keychain, prompt, options.onNotSaved ? { onNotSaved: options.onNotSaved } : {});
  // Secrets given for this process only (a one-off target, a password typed for `map`). A Map in
  // a closure: never serialized, never logged.
  const sessionCredentials = new Map<string, Credentials>();

  const supervisor = new DriveSupervisor({
    ...options.supervisor,
    credentials: async (drive) => {
      const found = await driveCredentials(drive);
      if (found?.kind === 'user' && found.password !== '') options.onSecret?.(found.password);
      return found;
    },
  });

  async function driveCredentials(drive: SupervisedDrive): Promise<Credentials | undefined> {
    const given = sessionCredentials.get(drive.id);
    if (given !== undefined) return given;
    const account = driveAccount(drive);
    // No user: a guest logon, a null session only where guests are refused (guest-fallback.ts).
    if (account === undefined || drive.user === undefined) return NO_CREDENTIALS;
    const secret = await credentials.get(account);
    if (secret === undefined) return undefined;
    return { kind: 'user', user: drive.user, password: secret, ...(drive.domain === undefined ? {} : { domain: drive.domain }) };
  }
  // Other shares of a drive's server (a job with a `share`): a connection per drive and share, to
  // the address the drive answered on last, with the drive's options and credentials.
  const otherShares = new SimpleTreeProvider({}, { otherShare: (driveId, share) => smbShareConnector(async () => ({ ...(await otherShareTarget(driveId)), share })) });
  const otherShareTarget = async (driveId: string): Promise<Omit<ShareTarget, 'share'>> => {
    const { drive, state } = supervisor.status(driveId);
    const t = parseTarget(state.kind === 'connected' ? state.target : drive.target);
    const creds = await driveCredentials(drive);
    if (creds === undefined) throw new SmbError('auth', `drive ${driveId} has no password to log in with`);
    if (creds.kind === 'user' && creds.password !== '') options.onSecret?.(creds.password);
    return { ...driveConnectOptions(drive.options, options.supervisor?.connectTimeoutMs ?? 10_000), host: t.host, port: t.port, credentials: creds };
  };
  const trees = new SupervisorTreeProvider(supervisor, otherShares);
  const queue = new LocalTransferQueue({ ...options.transfers, provider: trees, configDir: options.transferStateDir ?? configDir });

  let queueStarted: Promise<LocalTransferQueue> | undefined;
  let unfollow: (() => void) | undefined;
  let disposed = false;

  const supervise = (drive: Drive, connect: boolean | undefined): void => {
    supervisor.add(toSupervisedDrive(drive), connect === undefined ? {} : { connect });
  };

  const follow = (filter: (d: Drive) => boolean, connect: boolean | undefined) => (e: DriveRegistryEvent) => {
    // Registry listeners must not throw; a supervisor that refuses a drive only loses that drive.
    const quietly = (f: () => unknown): void => {
      try {
        void Promise.resolve(f()).catch(() => undefined);
      } catch {
        // ignored: see above
      }
    };
    if (e.type === 'added' && filter(e.drive)) quietly(() => supervise(e.drive, connect));
    // The supervisor's own connection goes with the drive; the queue's ones to other shares of its
    // server are closed here too, or a removed drive keeps a session and an edited one its old one.
    if (e.type === 'removed') quietly(() => Promise.all([supervisor.remove(e.drive.id), otherShares.forgetOtherShares(e.drive.id)]));
    if (e.type === 'updated') {
      if (connectionChanged(e.previous, e.drive)) quietly(() => otherShares.forgetOtherShares(e.drive.id));
      quietly(async () => {
        await supervisor.remove(e.drive.id);
        if (filter(e.drive) && !disposed) supervise(e.drive, connect);
      });
    }
  };

  return {
    configDir,
    registry,
    keychain,
    credentials,
    supervisor,
    trees,
    queue,

    async loadDrives(opts = {}) {
      const filter = opts.filter ?? (() => true);
      const drives = (await registry.list()).filter(filter);
      for (const d of drives) supervise(d, opts.connect);
      if (opts.follow && unfollow === undefined) unfollow = registry.onDidChange(follow(filter, opts.connect));
      return drives;
    },

    addTransientDrive(drive, creds, opts = {}) {
      sessionCredentials.set(drive.id, creds);
      return supervisor.add(drive, opts);
    },

    useCredentials(driveId, creds) {
      const before = sessionCredentials.get(driveId);
      sessionCredentials.set(driveId, creds);
      // A session logged in with other credentials (or the keychain's) must not go on being used.
      if (!sameCredentials(before, creds)) void otherShares.forgetOtherShares(driveId).catch(() => undefined);
    },

    startQueue() {
      queueStarted ??= queue.start().then(() => queue);
      return queueStarted;
    },

    async dispose() {
      if (disposed) return;
      disposed = true;
      unfollow?.();
      // The queue first: it stops its jobs (saving their state) while the trees are still there.
      if (queueStarted !== undefined) await queueStarted.then(() => queue.dispose()).catch(() => undefined);
      await otherShares.dispose();
      await supervisor.dispose();
      sessionCredentials.clear();
    },
  };
}
