// The drive supervisor: one state machine per drive (drive-runner.ts), shared triggers (network
// change, wake, the user), one attempt at a time per server, and a typed transition event stream.
// Built by hand in each composition root; dispose() leaves no timer, socket or client behind.
import { randomBytes } from 'node:crypto';
import { Dialect, parseDialectName, probeTcp, SmbClient, type ConnectOptions, type SmbTree } from '../../protocol/index.js';
import type { BackoffOptions } from './backoff.js';
import type { Reason } from './diagnosis.js';
import { DEFAULT_HISTORY_LIMIT, type DriveState, type TransitionEvent, type TransitionListener } from './drive-state.js';
import { DriveRunner } from './drive-runner.js';
import { HostGate } from './host-gate.js';
import { NetworkWatcher, type NetworkChange, type NetworkWatcherOptions } from './network-watcher.js';
import type { Connect } from './probe.js';
import { resolveHost, type Resolve } from './resolve-host.js';
import { systemClock, type Clock } from './timers.js';
import { UnknownDriveError, type CredentialsFor, type SupervisedDrive } from './types.js';
import { WakeDetector, type WakeDetectorOptions } from './wake-detector.js';

export interface SupervisorOptions {
  credentials: CredentialsFor;
  clock?: Clock;
  random?: () => number;
  resolve?: Resolve;
  connect?: Connect;
  /** A bare TCP connect for reachability probes while a drive is Unavailable (default: protocol's probeTcp). */
  tcpProbe?: (address: string, port: number, timeoutMs: number) => Promise<void>;
  /** TCP connect deadline, which SmbClient also uses per request (default 10 000 ms). */
  connectTimeoutMs?: number;
  /** Name resolution deadline (default 3000 ms). */
  resolveTimeoutMs?: number;
  /**
   * Keepalive: an ECHO every echoIntervalMs with an echoTimeoutMs deadline (defaults 1500 / 2500),
   * so a server behind a blackholed path is noticed within 4 s. 0 turns it off.
   */
  echoIntervalMs?: number;
  echoTimeoutMs?: number;
  backoff?: BackoffOptions;
  historyLimit?: number;
  /** Addresses of one name tried per attempt (default 2). */
  maxAddresses?: number;
  log?: (message: string) => void;
}

export interface StartOptions {
  /** Poll interfaces for changes (default true). */
  network?: boolean | NetworkWatcherOptions;
  /** Detect sleep by timer gaps (default true). */
  wake?: boolean | WakeDetectorOptions;
}

export interface DriveStatus {
  drive: SupervisedDrive;
  state: DriveState;
  /** Folder inside the share named by the target ('' for its root). */
  rootPath: string;
}

/** ECHO deadline of checkAlive (see there). */
const CHECK_ALIVE_ECHO_MS = 500;

const defaultConnect: Connect = (opts: ConnectOptions) => SmbClient.connect(opts);

function dialectOption(name: string | undefined): ConnectOptions['minDialect'] {
  if (name === undefined) return undefined;
  return parseDialectName(name);
}

/**
 * How to connect to a drive's server as its options say (dialects, signing, encryption, legacy),
 * without the ClientGuid: the supervisor's connections and those to other shares of the same
 * server (the transfer queue's, main/services) build on the same choices.
 */
export function driveConnectOptions(options: SupervisedDrive['options'], timeoutMs: number): Omit<ConnectOptions, 'host' | 'port'> {
  return {
    timeoutMs,
    minDialect: dialectOption(options.minProtocol) ?? Dialect.SMB2_02,
    maxDialect: dialectOption(options.maxProtocol) ?? Dialect.SMB3_11,
    requireSigning: options.requireSigning ?? false,
    encrypt: options.requireEncryption ?? false,
    // allowLegacy: SMB1 and NTLMv1/LM answers for this drive only, as its owner chose (issue 11).
    ...(options.allowLegacy ? { allowSmb1: true, allowLegacyAuth: true } : {}),
  };
}

export class DriveSupervisor {
  private readonly runners = new Map<string, DriveRunner>();
  private readonly listeners = new Set<TransitionListener>();
  private readonly disposeHooks = new Set<() => Promise<void> | void>();
  private readonly gate = new HostGate();
  private readonly clock: Clock;
  private network: NetworkWatcher | undefined;
  private wake: WakeDetector | undefined;
  private disposed = false;

  constructor(private readonly opts: SupervisorOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  /** Registers a drive (Disconnected); a persistent one starts connecting unless told not to. */
  add(drive: SupervisedDrive, opts: { connect?: boolean } = {}): DriveStatus {
    if (this.disposed) throw new Error('supervisor is disposed');
    if (this.runners.has(drive.id)) throw new Error(`drive ${drive.id} is already supervised`);
    const runner = new DriveRunner(drive, {
      clock: this.clock,
      random: this.opts.random ?? Math.random,
      gate: this.gate,
      probe: {
        resolve: this.opts.resolve ?? resolveHost,
        connect: this.opts.connect ?? defaultConnect,
        // Probing a real network only with the real client; fakes in tests bring their own.
        tcpProbe: this.opts.tcpProbe ?? (this.opts.connect ? undefined : probeTcp),
        resolveTimeoutMs: this.opts.resolveTimeoutMs ?? 3000,
        maxAddresses: this.opts.maxAddresses ?? 2,
        connectOptions: {
          ...driveConnectOptions(drive.options, this.opts.connectTimeoutMs ?? 10_000),
          // One ClientGuid for the drive's whole life, so its durable opens can be reclaimed on
          // whichever connection comes next (MS-SMB2 3.3.5.9.12).
          clientGuid: randomBytes(16),
        },
      },
      credentials: this.opts.credentials,
      backoff: this.opts.backoff ?? {},
      echoIntervalMs: this.opts.echoIntervalMs ?? 1500,
      echoTimeoutMs: this.opts.echoTimeoutMs ?? 2500,
      historyLimit: this.opts.historyLimit ?? DEFAULT_HISTORY_LIMIT,
      emit: (e) => this.emit(e),
      log: this.opts.log ?? (() => undefined),
    });
    this.runners.set(drive.id, runner);
    if (opts.connect ?? drive.persistent) void runner.connectNow({ reason: 'startup', message: 'connecting at startup' });
    return this.status(drive.id);
  }

  async remove(driveId: string): Promise<void> {
    const runner = this.runners.get(driveId);
    if (!runner) return;
    this.runners.delete(driveId);
    await runner.dispose();
  }

  /** Starts the network and wake triggers. */
  start(opts: StartOptions = {}): void {
    if (this.disposed) return;
    const net = opts.network ?? true;
    if (net && !this.network) {
      this.network = new NetworkWatcher((c) => this.networkChanged(c), { clock: this.clock, ...(net === true ? {} : net) });
      this.network.start();
    }
    const wake = opts.wake ?? true;
    if (wake && !this.wake) {
      this.wake = new WakeDetector((ms) => this.woke(ms), { clock: this.clock, ...(wake === true ? {} : wake) });
      this.wake.start();
    }
  }

  onTransition(listener: TransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  status(driveId: string): DriveStatus {
    const r = this.runner(driveId);
    return { drive: r.drive, state: r.state, rootPath: r.rootPath };
  }

  list(): DriveStatus[] {
    return [...this.runners.keys()].map((id) => this.status(id));
  }

  history(driveId: string): readonly TransitionEvent[] {
    return [...this.runner(driveId).history];
  }

  /** A connected tree for the drive, reconnecting on demand. */
  acquire(driveId: string): Promise<SmbTree> {
    return this.runner(driveId).acquire();
  }

  /** The user's reconnect: at once, backoff reset. A drive in AuthFailed waits for new credentials. */
  reconnect(driveId: string): void {
    this.runner(driveId).trigger('user', 'reconnect asked by the user');
  }

  /** Credentials for the drive changed: leaves AuthFailed and tries them once. */
  updateCredentials(driveId: string): Promise<void> {
    return this.runner(driveId).credentialsChanged();
  }

  disconnect(driveId: string): Promise<void> {
    return this.runner(driveId).disconnect();
  }

  disable(driveId: string): Promise<void> {
    return this.runner(driveId).disable();
  }

  enable(driveId: string): void {
    this.runner(driveId).enable();
  }

  /**
   * Mount hook (main/mount): an operation on a mounted drive is slow. A connected drive checks its
   * server now (an ECHO with a 500 ms deadline: a live server on a LAN or VPN answers in a few ms),
   * so a silent server is noticed in well under a second instead of at the next keepalive, and the
   * mount's operations fail then. Does nothing in any other state.
   */
  checkAlive(driveId: string, timeoutMs = CHECK_ALIVE_ECHO_MS): void {
    this.runners.get(driveId)?.checkAlive(timeoutMs);
  }

  /**
   * Mount hook: runs (awaited) first in dispose(), while the drives are still connected, so the
   * mounts the supervisor owns are unmounted and their held writes sent before the clients close.
   */
  onDispose(hook: () => Promise<void> | void): () => void {
    this.disposeHooks.add(hook);
    return () => this.disposeHooks.delete(hook);
  }

  /** For platform hooks (Electron's powerMonitor, OS network events). */
  notifyWake(sleptMs?: number): void {
    this.woke(sleptMs);
  }

  notifyNetworkChange(change?: NetworkChange): void {
    this.networkChanged(change);
  }

  async dispose(): Promise<void> {
    if (!this.disposed) {
      const hooks = [...this.disposeHooks];
      this.disposeHooks.clear();
      await Promise.all(hooks.map((h) => Promise.resolve().then(h).catch((e: unknown) => this.opts.log?.(`dispose hook failed: ${String(e)}`))));
    }
    this.disposed = true;
    this.network?.stop();
    this.wake?.stop();
    this.network = undefined;
    this.wake = undefined;
    const runners = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(runners.map((r) => r.dispose()));
    this.listeners.clear();
  }

  private runner(driveId: string): DriveRunner {
    const r = this.runners.get(driveId);
    if (!r) throw new UnknownDriveError(driveId);
    return r;
  }

  private networkChanged(change: NetworkChange | undefined): void {
    const what = change ? `${change.vpn ? 'VPN ' : ''}network change (+${change.added.join(',')} -${change.removed.join(',')} ~${change.changed.join(',')})` : 'network change';
    this.triggerAll('network-change', what);
  }

  private woke(sleptMs: number | undefined): void {
    this.triggerAll('wake', sleptMs === undefined ? 'woke from sleep' : `woke after ${Math.round(sleptMs / 1000)} s`);
  }

  private triggerAll(reason: Reason, message: string): void {
    this.opts.log?.(`trigger: ${message}`);
    for (const r of this.runners.values()) r.trigger(reason, message);
  }

  private emit(e: TransitionEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.opts.log?.(`transition listener failed: ${String(err)}`);
      }
    }
  }
}
