// The API service: every request of the contract implemented over the composition root
// (main/services) and the protocol API, and the events fed from the supervisor, the registry and
// the transfer queue. createApiHost() is what an entry point calls (serve, the Electron utility
// process): it builds the services with the UI's password prompt wired in, then this.
import { KeytarCredentialStore, type CredentialStore } from '../credentials/index.js';
import { createServices, type Services, type ServicesOptions } from '../services/index.js';
import type { ConflictDecision } from '../transfers/index.js';
import { ApiState, Scrubber, type ApiHostHooks } from './api-state.js';
import { ApiDispatcher, type Handlers } from './dispatcher.js';
import { ApiFailure } from './errors.js';
import { driveHandlers } from './drive-handlers.js';
import { abortable, fileHandlers } from './file-handlers.js';
import { FolderWatches } from './folder-watches.js';
import { forwardQueueEvents, transferHandlers } from './transfer-handlers.js';
import { EventHub } from './wire.js';

export interface ApiService {
  readonly dispatcher: ApiDispatcher;
  readonly hub: EventHub;
  readonly handlers: Handlers;
  readonly state: ApiState;
  dispose(): Promise<void>;
}

export function createApiService(services: Services, hub: EventHub, host: ApiHostHooks, scrubber = new Scrubber()): ApiService {
  const state = new ApiState(services, hub, host, scrubber);
  const decisions = new Map<string, ConflictDecision>();
  let keychainStatus: 'available' | 'locked' | 'unavailable' | undefined;
  const watches = new FolderWatches({
    checkDrive: (driveId) => state.drive(driveId),
    treeFor: async (driveId, share, signal) => abortable(state.drive(driveId).then((d) => state.trees.tree(d, share)), signal),
  });
  const handlers: Handlers = {
    async 'app.info'() {
      keychainStatus ??= await services.keychain.status().catch(() => 'unavailable' as const);
      return { mode: host.mode, version: host.version, keychain: keychainStatus, browserTransfers: host.browserTransfers ?? false, localPicker: host.pickFolder !== undefined };
    },
    async 'app.autostart'() {
      if (!host.autostart) throw new ApiFailure('unsupported', 'Starting at login is a setting of the desktop app');
      return { enabled: await host.autostart.get() };
    },
    async 'app.setAutostart'({ enabled }) {
      if (!host.autostart) throw new ApiFailure('unsupported', 'Starting at login is a setting of the desktop app');
      await host.autostart.set(enabled);
      return { enabled: await host.autostart.get() };
    },
    ...driveHandlers(state),
    ...fileHandlers(state),
    ...watches.handlers(),
    ...transferHandlers(state, decisions),
  };

  const offs: (() => void)[] = [];
  offs.push(
    services.supervisor.onTransition((e) => {
      void services.registry.get(e.driveId).then((d) => d && hub.publish('drives.changed', state.viewNow(d)));
    }),
  );
  offs.push(
    services.registry.onDidChange((e) => {
      if (e.type === 'removed') hub.publish('drives.removed', { id: e.drive.id });
      else if (e.type === 'added' || e.type === 'updated') hub.publish('drives.changed', state.viewNow(e.drive));
    }),
  );
  offs.push(forwardQueueEvents(state, decisions));

  const dispatcher = new ApiDispatcher(handlers, { scrub: (t) => scrubber.scrub(t) });
  return {
    dispatcher,
    hub,
    handlers,
    state,
    async dispose() {
      offs.forEach((off) => off());
      await watches.dispose();
      await state.trees.dispose();
    },
  };
}

export interface ApiHostOptions extends ApiHostHooks {
  configDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Default: the OS keychain with a 5 s deadline (a UI must never wait on a locked keychain). */
  credentialStore?: CredentialStore;
  supervisor?: ServicesOptions['supervisor'];
  transfers?: ServicesOptions['transfers'];
  /** Start the network/wake triggers (default true). */
  triggers?: boolean;
}

export interface ApiHost extends ApiService {
  readonly services: Services;
}

/** The services, the API over them, the drives loaded and followed, the queue started. */
export async function createApiHost(opts: ApiHostOptions): Promise<ApiHost> {
  const hub = new EventHub();
  const scrubber = new Scrubber();
  let accountDrives: (account: string) => Promise<string[]> = async () => [];
  const services = createServices({
    ...(opts.configDir === undefined ? {} : { configDir: opts.configDir }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
    credentialStore: opts.credentialStore ?? new KeytarCredentialStore({ timeoutMs: 5000 }),
    // The UI's prompt: tell every window which drive needs a password, and let the drive show
    // AuthFailed meanwhile; the window's answer comes back as drives.submitPassword.
    prompt: async ({ account, reason }) => {
      for (const driveId of await accountDrives(account)) hub.publish('credentials.needed', { driveId, account, reason });
      return undefined;
    },
    onSecret: (s) => scrubber.add(s),
    ...(opts.supervisor === undefined ? {} : { supervisor: opts.supervisor }),
    ...(opts.transfers === undefined ? {} : { transfers: opts.transfers }),
  });
  const api = createApiService(services, hub, opts, scrubber);
  accountDrives = async (account) => (await services.registry.list()).filter((d) => api.state.account(d) === account).map((d) => d.id);
  await services.loadDrives({ follow: true });
  if (opts.triggers !== false) services.supervisor.start();
  await services.startQueue();
  return {
    ...api,
    services,
    async dispose() {
      await api.dispose();
      await services.dispose();
    },
  };
}
