// How the file system reaches its drive without ever hanging: a tree comes from the supervisor
// only when the drive can give one soon, and every operation has a deadline.
//   connected      → the live tree at once
//   disconnected   → the supervisor reconnects on access (an idle drive comes back transparently)
//   (re)connecting → wait for the attempt at most SETTLE_MS, then fail (at once when it is a retry
//                    after the drive was Unavailable)
//   unavailable, auth-failed, disabled, or not supervised → EHOSTDOWN at once
// While an operation runs, a slow answer (SLOW_MS) asks the supervisor to check the server with an
// ECHO; when the drive then leaves Connected, the operation fails with EHOSTDOWN at that moment
// instead of waiting for its own deadline. So on a server that went silent an operation fails in
// about SLOW_MS + the supervisor's short ECHO deadline, under a second.
import { SmbError, type SmbTree } from '../../protocol/index.js';
import type { DriveStateKind } from '../supervisor/index.js';
import { fsError, FsError } from './errno.js';
import { toFsError } from './status-errno.js';

/** What the mount needs from the supervisor for one drive. */
export interface DriveLink {
  readonly driveId: string;
  /** The drive's state now; undefined when it is not (or no longer) supervised. */
  state(): DriveStateKind | undefined;
  acquire(): Promise<SmbTree>;
  /** An operation is slow: verify the connection now (an ECHO with a short deadline). */
  checkAlive(): void;
  /**
   * In Reconnecting, whether that attempt is worth waiting for: not when the drive was Unavailable
   * just before (a server that went silent is retried in the background; callers fail fast).
   */
  retryingAfterOutage?(): boolean;
  onTransition(listener: (to: DriveStateKind) => void): () => void;
}

export interface GateTimings {
  /** How long an operation may wait for a connect attempt already in flight. */
  settleMs: number;
  /** After this long without an answer, the connection is verified. */
  slowMs: number;
}

export const DEFAULT_TIMINGS: GateTimings = { settleMs: 800, slowMs: 100 };

const DOWN: ReadonlySet<DriveStateKind> = new Set<DriveStateKind>(['unavailable', 'auth-failed', 'disabled']);

export interface RunOptions {
  /** Safe to repeat once after the connection dropped under it (reads, listings, stats). */
  idempotent?: boolean;
  /**
   * Wait up to this long for a drive that is down to come back instead of failing at once, and
   * repeat the operation on the new connection: I/O on an open file whose handle the server keeps
   * through a drop (a durable handle), so a copy survives a short outage.
   */
  waitMs?: number;
}

/** Pause between repeats of an operation that keeps meeting a dropped connection. */
const RETRY_PAUSE_MS = 100;

export class DriveGate {
  constructor(
    private readonly link: DriveLink,
    private readonly timings: GateTimings = DEFAULT_TIMINGS,
  ) {}

  /** True when an operation would fail at once (the mount point still answers). */
  isDown(): boolean {
    const s = this.link.state();
    return s === undefined || DOWN.has(s);
  }

  /**
   * A tree for an operation that must finish by `deadline` (ms since the epoch); a drive that is
   * down is waited for until `waitUntil` (0: not at all).
   */
  async tree(what: string, deadline: number, waitUntil = 0): Promise<SmbTree> {
    let s = this.link.state();
    if (s === 'reconnecting' && waitUntil === 0 && this.link.retryingAfterOutage?.()) throw this.downError(what, 'unavailable');
    if (s === 'connecting' || s === 'reconnecting') {
      await this.nextTransition(Math.min(deadline, Math.max(waitUntil, Date.now() + this.timings.settleMs)));
      s = this.link.state();
    }
    while ((s === undefined || DOWN.has(s) || s === 'connecting' || s === 'reconnecting') && Date.now() < Math.min(waitUntil, deadline)) {
      await this.nextTransition(Math.min(waitUntil, deadline));
      s = this.link.state();
    }
    if (s === 'connected' || s === 'disconnected') {
      return await withDeadline(this.link.acquire(), deadline, what).catch((e: unknown) => {
        throw this.downOr(e, what);
      });
    }
    throw this.downError(what, s);
  }

  /** Runs `work` on the drive's tree within `timeoutMs`, failing fast if the drive goes down. */
  async run<T>(what: string, timeoutMs: number, work: (tree: SmbTree) => Promise<T>, opts: RunOptions = {}): Promise<T> {
    const start = Date.now();
    const deadline = start + timeoutMs;
    const waitUntil = opts.waitMs ? start + Math.min(opts.waitMs, timeoutMs) : 0;
    for (let tries = 1; ; tries++) {
      try {
        const tree = await this.tree(what, deadline, waitUntil);
        return await this.watch(what, deadline, work(tree));
      } catch (e) {
        const now = Date.now();
        const again = isConnectionLoss(e) && now < deadline && (now < waitUntil || (opts.idempotent === true && tries === 1));
        if (!again) throw this.downOr(e, what);
        if (tries > 1) await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
      }
    }
  }

  /** Races `p` against the deadline and against the drive leaving Connected. */
  watch<T>(what: string, deadline: number, p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(slow);
        clearTimeout(timer);
        off();
        f();
      };
      const slow = setTimeout(() => this.link.checkAlive(), this.timings.slowMs);
      const timer = setTimeout(() => finish(() => reject(fsError('ETIMEDOUT', `${what}: no answer in time`))), Math.max(0, deadline - Date.now()));
      const off = this.link.onTransition((to) => {
        if (to !== 'connected') finish(() => reject(this.downError(what, to)));
      });
      p.then(
        (v) => finish(() => resolve(v)),
        (e: unknown) => finish(() => reject(e)),
      );
    });
  }

  private nextTransition(until: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        off();
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      const off = this.link.onTransition(done);
    });
  }

  private downError(what: string, s: DriveStateKind | undefined): FsError {
    return fsError('EHOSTDOWN', `${what}: the drive is ${s ?? 'not supervised'}`);
  }

  /** A transport failure while the drive is not connected is "host down"; the rest as mapped. */
  private downOr(e: unknown, what: string): FsError {
    if (e instanceof FsError) return e;
    if (isConnectionLoss(e) && this.link.state() !== 'connected') return this.downError(what, this.link.state());
    if (e instanceof Error && e.name === 'DriveUnavailableError') return this.downError(what, this.link.state());
    if (e instanceof Error && e.name === 'UnknownDriveError') return this.downError(what, undefined);
    return toFsError(e, what);
  }
}

export function isConnectionLoss(e: unknown): boolean {
  if (e instanceof FsError) return e.errnoName === 'EHOSTDOWN';
  return e instanceof SmbError && (e.code === 'transport' || e.code === 'timeout');
}

function withDeadline<T>(p: Promise<T>, deadline: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(fsError('EHOSTDOWN', `${what}: the drive did not connect in time`)), Math.max(0, deadline - Date.now()));
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
