// One drive's life: attempts (primary target, then alternates), keepalive ECHOs, drops, backoff.
// The runner owns at most one client, one retry timer and one echo timer; `generation` changes
// whenever the user or dispose() ends what is going on, so late results of old work are dropped.
// The race to the targets is reach-first.ts; the TCP probes while Unavailable, reachability-probes.ts.
import type { SmbTree } from '../../protocol/index.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { classifyFailure, isQuietClose, type Diagnosis, type Reason } from './diagnosis.js';
import { DriveStateMachine, type DriveState, type TransitionListener } from './drive-state.js';
import type { HostGate } from './host-gate.js';
import { finishProbe, reach, type ClientLike, type ProbeDeps } from './probe.js';
import { reachFirst } from './reach-first.js';
import { ReachabilityProbes } from './reachability-probes.js';
import { parseTarget, serverKey, where, type SmbTarget } from './target.js';
import type { Clock, TimerHandle } from './timers.js';
import { DriveUnavailableError, type CredentialsFor, type SupervisedDrive } from './types.js';

export interface RunnerDeps {
  clock: Clock;
  random: () => number;
  gate: HostGate;
  probe: ProbeDeps;
  credentials: CredentialsFor;
  backoff: BackoffOptions;
  /** ECHO period on a connected drive, ms; 0 turns keepalive off. */
  echoIntervalMs: number;
  /** Deadline of one ECHO, ms. */
  echoTimeoutMs: number;
  historyLimit: number;
  emit: TransitionListener;
  log: (message: string) => void;
}

interface Live {
  client: ClientLike;
  tree: SmbTree;
  target: SmbTarget;
  sessionId: bigint | undefined;
}

/** ECHO deadline after a network change or wake (a live server answers in milliseconds). */
const TRIGGER_ECHO_TIMEOUT_MS = 750;

export class DriveRunner {
  readonly targets: readonly SmbTarget[];
  private readonly machine: DriveStateMachine;
  private readonly backoff: Backoff;
  private readonly probes: ReachabilityProbes;
  private live: Live | undefined;
  private attempt: Promise<void> | undefined;
  private retryTimer: TimerHandle | undefined;
  private echoTimer: TimerHandle | undefined;
  private generation = 0;
  private disposed = false;
  /**
   * The session of the last connection, by server: the next logon to that server names it as
   * PreviousSessionId (MS-SMB2 3.2.4.2.3), so the server ends it at once instead of holding it (and
   * the batch oplocks of its durable opens) until its own TCP notices the old connection died.
   */
  private lastSession: { server: string; id: bigint } | undefined;
  /** The connection a checkAlive is watching (at most one check at a time). */
  private quietCheck: Live | undefined;

  constructor(
    readonly drive: SupervisedDrive,
    private readonly deps: RunnerDeps,
  ) {
    this.targets = [drive.target, ...drive.alternates].map((url) => parseTarget(url));
    this.backoff = new Backoff(deps.random, deps.backoff);
    this.probes = new ReachabilityProbes(this.targets, deps, (which) => {
      void this.connectNow({ reason: 'retry', message: `${where(which)} accepts connections again` });
    });
    const initial: DriveState = { kind: 'disconnected', diagnosis: { reason: 'not-connected', message: 'not connected yet' }, since: deps.clock.now() };
    this.machine = new DriveStateMachine(drive.id, initial, deps.emit, deps.historyLimit);
  }

  get state(): DriveState {
    return this.machine.state;
  }

  get history(): DriveStateMachine['history'] {
    return this.machine.history;
  }

  /** The folder inside the share that the drive's target names ('' for the root). */
  get rootPath(): string {
    return this.live?.target.path ?? this.targets[0]?.path ?? '';
  }

  /** A connected tree, connecting now if needed; rejects with DriveUnavailableError otherwise. */
  async acquire(): Promise<SmbTree> {
    const kind = this.state.kind;
    if (kind === 'connected' && this.live) return this.live.tree;
    if (kind !== 'disabled' && kind !== 'auth-failed') {
      this.backoff.reset();
      await this.connectNow({ reason: 'access', message: 'connecting on access' });
    }
    if (this.state.kind === 'connected' && this.live) return this.live.tree;
    throw new DriveUnavailableError(this.drive.id, this.state);
  }

  /** Starts an attempt unless one is running (then joins it). */
  connectNow(cause: Diagnosis): Promise<void> {
    if (this.disposed || this.state.kind === 'disabled' || (this.state.kind === 'connected' && this.live)) return Promise.resolve();
    this.deps.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.probes.stop();
    this.attempt ??= this.runAttempt(cause)
      .catch((e: unknown) => this.onAttemptBug(e))
      .finally(() => {
        this.attempt = undefined;
      });
    return this.attempt;
  }

  /** Network change, wake, or the user's reconnect: check a live connection, retry a dead one now. */
  trigger(reason: Reason, message: string): void {
    const kind = this.state.kind;
    if (kind === 'connected') {
      // A healthy server answers an ECHO in milliseconds; after a network change, do not give a
      // path that may have just died the full keepalive deadline.
      this.scheduleEcho(0, Math.min(this.deps.echoTimeoutMs, TRIGGER_ECHO_TIMEOUT_MS));
    } else if (kind === 'unavailable') {
      this.backoff.reset();
      void this.connectNow({ reason, message });
    } else if (kind === 'disconnected' && reason === 'user') {
      void this.connectNow({ reason, message });
    }
  }

  /**
   * main/mount: an operation is slow; is the server still there? A client that tells when it last
   * received anything is judged by that: an ECHO goes out with the keepalive's own deadline, and
   * the connection is given up as soon as the server has sent nothing at all for `timeoutMs`. A
   * busy link (the ECHO's answer queued behind megabytes of READ data) keeps delivering and so
   * is not mistaken for a dead one. Other clients: an ECHO with this deadline.
   */
  checkAlive(timeoutMs: number): void {
    const live = this.live;
    if (this.state.kind !== 'connected' || !live) return;
    if (live.client.lastReceivedAt === undefined) return this.scheduleEcho(0, Math.min(this.deps.echoTimeoutMs, timeoutMs));
    if (this.quietCheck === live) return; // one at a time per connection
    this.quietCheck = live;
    const sentAt = this.deps.clock.now();
    let settled = false;
    let timer: TimerHandle | undefined;
    const done = (): void => {
      settled = true;
      this.deps.clock.clearTimeout(timer);
      if (this.quietCheck === live) this.quietCheck = undefined;
    };
    live.client.echo(this.deps.echoTimeoutMs).then(done, (e: unknown) => {
      done();
      if (this.live === live) this.drop(live, classifyFailure(e, 'session', where(live.target)));
    });
    const look = (): void => {
      if (settled || this.live !== live) return done();
      const last = Math.max(live.client.lastReceivedAt ?? 0, sentAt);
      const quiet = this.deps.clock.now() - last;
      if (quiet >= timeoutMs) {
        done();
        return this.drop(live, { reason: 'keepalive-timeout', message: `${where(live.target)} sent nothing for ${quiet} ms` });
      }
      timer = this.deps.clock.setTimeout(look, timeoutMs - quiet);
    };
    timer = this.deps.clock.setTimeout(look, timeoutMs);
  }

  /** New credentials: the only way out of AuthFailed. */
  credentialsChanged(): Promise<void> {
    const kind = this.state.kind;
    if (kind !== 'auth-failed' && kind !== 'unavailable' && kind !== 'disconnected') return Promise.resolve();
    this.backoff.reset();
    return this.connectNow({ reason: 'credentials-changed', message: 'trying the new credentials' });
  }

  async disconnect(): Promise<void> {
    if (this.state.kind === 'disabled' || this.state.kind === 'disconnected') return;
    await this.stop();
    this.enter({ kind: 'disconnected', diagnosis: { reason: 'user', message: 'disconnected by the user' } });
  }

  async disable(): Promise<void> {
    if (this.state.kind === 'disabled') return;
    await this.stop();
    this.enter({ kind: 'disabled', diagnosis: { reason: 'user', message: 'disabled by the user' } });
  }

  enable(): void {
    if (this.state.kind !== 'disabled') return;
    this.enter({ kind: 'disconnected', diagnosis: { reason: 'user', message: 'enabled by the user' } });
    if (this.drive.persistent) void this.connectNow({ reason: 'user', message: 'connecting after enable' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop();
  }

  /** Ends current work: timers, the client, and (by generation) any attempt in flight. */
  private async stop(): Promise<void> {
    this.generation++;
    this.deps.clock.clearTimeout(this.retryTimer);
    this.deps.clock.clearTimeout(this.echoTimer);
    this.retryTimer = undefined;
    this.echoTimer = undefined;
    this.probes.stop();
    const live = this.live;
    this.live = undefined;
    await live?.client.close().catch(() => undefined);
  }

  private enter(s: { kind: 'connecting' | 'disconnected' | 'auth-failed' | 'disabled'; diagnosis: Diagnosis }): void {
    this.machine.transition({ kind: s.kind, diagnosis: s.diagnosis, since: this.deps.clock.now() });
  }

  private async runAttempt(cause: Diagnosis): Promise<void> {
    const gen = this.generation;
    const from = this.state.kind;
    const now = this.deps.clock.now();
    if (from === 'disconnected' || from === 'auth-failed') this.enter({ kind: 'connecting', diagnosis: cause });
    else this.machine.transition({ kind: 'reconnecting', diagnosis: cause, since: now, attempt: this.backoff.failureCount + 1 });
    const creds = await this.deps.credentials(this.drive).catch(() => undefined);
    if (gen !== this.generation) return;
    if (creds === undefined) {
      this.enter({ kind: 'auth-failed', diagnosis: { reason: 'credentials-missing', message: `no credentials stored for ${this.drive.name}` } });
      return;
    }
    const race = await reachFirst(this.targets, this.deps, () => gen === this.generation);
    if (gen !== this.generation) {
      await race.winner?.client.close().catch(() => undefined);
      return;
    }
    const first = race.failures.find((d) => d !== undefined);
    if (race.winner) {
      const { target } = race.winner;
      // Only the winner logs in: the same password is never tried on two servers at once.
      const server = serverKey(target);
      const previous = this.lastSession?.server === server ? this.lastSession.id : undefined;
      const r = await this.deps.gate.run(server, () => finishProbe(target, race.winner!, creds, previous));
      if (gen !== this.generation) {
        if (r.ok) await r.client.close().catch(() => undefined);
        return;
      }
      if (r.ok) return this.onConnected({ client: r.client, tree: r.tree, target, sessionId: r.sessionId });
      this.deps.log(`${this.drive.id}: ${target.url}: ${r.diagnosis.reason}: ${r.diagnosis.message}`);
      if (r.diagnosis.reason === 'auth-rejected' || r.diagnosis.reason === 'credentials-missing') {
        this.enter({ kind: 'auth-failed', diagnosis: r.diagnosis });
        return;
      }
      return this.scheduleRetry(r.diagnosis);
    }
    for (const [i, d] of race.failures.entries()) if (d) this.deps.log(`${this.drive.id}: ${this.targets[i]!.url}: ${d.reason}: ${d.message}`);
    const more = this.targets.length > 1 ? ` (and ${this.targets.length - 1} alternate${this.targets.length > 2 ? 's' : ''} failed)` : '';
    this.scheduleRetry({ reason: first?.reason ?? 'unknown', message: `${first?.message ?? 'cannot connect'}${more}` });
  }

  /**
   * An attempt that threw (a bug, not a network failure) must not take the process down through an
   * unhandled rejection: log it and retry later like any failed attempt.
   */
  private onAttemptBug(e: unknown): void {
    this.deps.log(`${this.drive.id}: attempt failed unexpectedly: ${e instanceof Error ? e.message : String(e)}`);
    if (this.disposed || this.state.kind === 'connected' || this.state.kind === 'unavailable') return;
    try {
      this.scheduleRetry({ reason: 'unknown', message: 'the connection attempt failed unexpectedly' });
    } catch {
      /* the state machine refused the transition; the next trigger retries */
    }
  }

  private scheduleRetry(diagnosis: Diagnosis): void {
    const delay = this.backoff.next();
    const now = this.deps.clock.now();
    this.machine.transition({ kind: 'unavailable', diagnosis, since: now, attempt: this.backoff.failureCount, nextAttemptAt: now + delay });
    this.retryTimer = this.deps.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connectNow({ reason: 'retry', message: `retry ${this.backoff.failureCount + 1}` });
    }, delay);
    if (this.probes.canSee(diagnosis.reason)) {
      const gen = this.generation;
      this.probes.start(() => gen === this.generation && this.state.kind === 'unavailable' && this.attempt === undefined);
    }
  }

  private onConnected(live: Live): void {
    this.backoff.reset();
    this.live = live;
    this.lastSession = live.sessionId === undefined ? undefined : { server: serverKey(live.target), id: live.sessionId };
    this.machine.transition({
      kind: 'connected',
      diagnosis: { reason: 'connected', message: `connected to ${live.target.url}` },
      since: this.deps.clock.now(),
      target: live.target.url,
      dialect: live.client.dialect,
    });
    live.client.onClose((e) => this.onClosed(live, e));
    if (live.client.closed) this.onClosed(live, new Error('closed before it was watched'));
    else if (this.deps.echoIntervalMs > 0) this.scheduleEcho(this.deps.echoIntervalMs);
  }

  /** ECHO (MS-SMB2 3.2.4.23) with a short deadline; a timeout closes the connection, see onClosed. */
  private scheduleEcho(delayMs: number, timeoutMs = this.deps.echoTimeoutMs): void {
    this.deps.clock.clearTimeout(this.echoTimer);
    const live = this.live;
    this.echoTimer = this.deps.clock.setTimeout(() => {
      this.echoTimer = undefined;
      if (!live || this.live !== live) return;
      live.client.echo(timeoutMs).then(
        () => {
          const again = this.live === live && this.echoTimer === undefined && this.deps.echoIntervalMs > 0;
          if (again) this.scheduleEcho(this.deps.echoIntervalMs);
        },
        (e: unknown) => {
          // A timeout already failed the connection; anything else, close it ourselves.
          if (this.live === live) this.drop(live, classifyFailure(e, 'session', where(live.target)));
        },
      );
    }, delayMs);
  }

  private onClosed(live: Live, e: Error): void {
    if (this.live !== live) return; // we closed it, or already handled
    if (isQuietClose(e)) {
      this.live = undefined;
      this.deps.clock.clearTimeout(this.echoTimer);
      this.echoTimer = undefined;
      this.machine.transition({ kind: 'disconnected', diagnosis: { reason: 'idle-disconnect', message: `${where(live.target)} closed the idle connection` }, since: this.deps.clock.now() });
      void this.checkStillReachable(live.target);
      return;
    }
    this.drop(live, classifyFailure(e, 'session', where(live.target)));
  }

  /** A lost connection (not an idle close): close it and reconnect at once. */
  private drop(live: Live, diagnosis: Diagnosis): void {
    this.live = undefined;
    this.deps.clock.clearTimeout(this.echoTimer);
    this.echoTimer = undefined;
    void live.client.close().catch(() => undefined);
    if (diagnosis.reason === 'keepalive-timeout') {
      // The server stopped answering: say so now, before the reconnect attempt spends its own
      // connect deadline on what is probably a dead path.
      const now = this.deps.clock.now();
      this.machine.transition({ kind: 'unavailable', diagnosis, since: now, attempt: this.backoff.failureCount, nextAttemptAt: now });
    }
    void this.connectNow(diagnosis);
  }

  /**
   * After an idle close the server is most likely fine, and reconnecting at once would undo what it
   * meant. But a server that went away also closes connections, so check with TCP + NEGOTIATE only
   * (no session, nothing in the server's logon log): unreachable → Unavailable, retried as usual.
   */
  private async checkStillReachable(target: SmbTarget): Promise<void> {
    const gen = this.generation;
    const r = await this.deps.gate.run(serverKey(target), () => reach(target, this.deps.probe));
    if (r.ok) await r.client.close().catch(() => undefined);
    if (gen !== this.generation || this.attempt !== undefined || this.state.kind !== 'disconnected') return;
    if (this.state.diagnosis.reason !== 'idle-disconnect') return;
    if (!r.ok) this.scheduleRetry(r.diagnosis);
  }
}
