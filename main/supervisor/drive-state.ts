// The states of one drive (a tagged union) and the record of how it moved between them. Only the
// transitions listed in ALLOWED can happen; anything else is a bug in the supervisor and throws.
import type { Diagnosis, Reason } from './diagnosis.js';

export type DriveState =
  /** First attempt after Disconnected (on access, at start, or by the user). */
  | { kind: 'connecting'; diagnosis: Diagnosis; since: number }
  | { kind: 'connected'; diagnosis: Diagnosis; since: number; target: string; dialect: number }
  /** No connection and none needed right now: never used, idle-dropped by the server, or by the user. */
  | { kind: 'disconnected'; diagnosis: Diagnosis; since: number }
  /** An attempt after a failure or a lost connection is in flight. */
  | { kind: 'reconnecting'; diagnosis: Diagnosis; since: number; attempt: number }
  /** The server cannot be reached; the next attempt is scheduled. */
  | { kind: 'unavailable'; diagnosis: Diagnosis; since: number; attempt: number; nextAttemptAt: number }
  /** The server rejected the credentials: no retry until they change. */
  | { kind: 'auth-failed'; diagnosis: Diagnosis; since: number }
  | { kind: 'disabled'; diagnosis: Diagnosis; since: number };

export type DriveStateKind = DriveState['kind'];

export interface TransitionEvent {
  driveId: string;
  from: DriveStateKind;
  to: DriveStateKind;
  reason: Reason;
  message: string;
  at: number;
  state: DriveState;
}

export type TransitionListener = (e: TransitionEvent) => void;

const ALLOWED: Record<DriveStateKind, readonly DriveStateKind[]> = {
  disconnected: ['connecting', 'unavailable', 'disabled', 'disconnected'],
  connecting: ['connected', 'unavailable', 'auth-failed', 'disconnected', 'disabled'],
  // connected → unavailable: the keepalive found the server silent (no point showing Reconnecting first).
  connected: ['disconnected', 'reconnecting', 'unavailable', 'disabled'],
  reconnecting: ['connected', 'unavailable', 'auth-failed', 'disconnected', 'disabled'],
  unavailable: ['reconnecting', 'disconnected', 'disabled'],
  'auth-failed': ['connecting', 'disconnected', 'disabled'],
  disabled: ['disconnected'],
};

export function canTransition(from: DriveStateKind, to: DriveStateKind): boolean {
  return ALLOWED[from].includes(to);
}

export const DEFAULT_HISTORY_LIMIT = 50;

/** Holds one drive's current state and its last transitions; tells listeners about each move. */
export class DriveStateMachine {
  private current: DriveState;
  private readonly log: TransitionEvent[] = [];

  constructor(
    readonly driveId: string,
    initial: DriveState,
    private readonly emit: TransitionListener,
    private readonly historyLimit = DEFAULT_HISTORY_LIMIT,
  ) {
    this.current = initial;
  }

  get state(): DriveState {
    return this.current;
  }

  get history(): readonly TransitionEvent[] {
    return this.log;
  }

  transition(next: DriveState): TransitionEvent {
    const from = this.current.kind;
    if (!canTransition(from, next.kind)) {
      throw new Error(`drive ${this.driveId}: no transition ${from} -> ${next.kind} (${next.diagnosis.reason})`);
    }
    this.current = next;
    const event: TransitionEvent = {
      driveId: this.driveId,
      from,
      to: next.kind,
      reason: next.diagnosis.reason,
      message: next.diagnosis.message,
      at: next.since,
      state: next,
    };
    this.log.push(event);
    if (this.log.length > this.historyLimit) this.log.splice(0, this.log.length - this.historyLimit);
    this.emit(event);
    return event;
  }
}
