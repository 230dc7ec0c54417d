// When the desktop app tells the person about a drive: when it becomes Unavailable or AuthFailed,
// and when it recovers from either; at most one notification per drive per state change; none
// for idle disconnects (a server closing an idle session is normal) or for passing states.
import type { DriveView } from '../../main/index.js';
import { escapeForTerminal } from '../../main/text/index.js';

export interface DriveNotification {
  driveId: string;
  title: string;
  body: string;
  kind: 'unavailable' | 'auth-failed' | 'recovered';
}

const PROBLEMS = new Set(['unavailable', 'auth-failed']);

export class NotificationRules {
  /** The last state notified about (or seen), per drive. */
  private readonly last = new Map<string, { kind: string; notified: boolean; wasProblem: boolean }>();

  /** What to show for this update of a drive, if anything. */
  next(d: DriveView): DriveNotification | undefined {
    const kind = d.status.kind;
    const prev = this.last.get(d.id);
    if (prev?.kind === kind) return undefined; // same state: already told (or nothing to tell)
    const wasProblem = prev?.wasProblem ?? false;
    // Names and reasons can come from a server: shown with control and bidi characters escaped.
    const name = escapeForTerminal(d.name);
    const message = escapeForTerminal(d.status.message);
    if (PROBLEMS.has(kind)) {
      this.last.set(d.id, { kind, notified: true, wasProblem: true });
      return kind === 'auth-failed'
        ? { driveId: d.id, kind: 'auth-failed', title: `${name}: password refused`, body: `${message}. Open ShareKeeper to enter the password.` }
        : { driveId: d.id, kind: 'unavailable', title: `${name} is unavailable`, body: message };
    }
    if (kind === 'connected') {
      this.last.set(d.id, { kind, notified: wasProblem, wasProblem: false });
      return wasProblem ? { driveId: d.id, kind: 'recovered', title: `${name} is connected again`, body: escapeForTerminal(d.unc) } : undefined;
    }
    // Connecting, reconnecting, disconnected (idle or by the user), off: nothing to say, but a
    // drive still recovering keeps its "was down" so the recovery is told once it connects.
    const stillDown = wasProblem && (kind === 'reconnecting' || kind === 'connecting');
    this.last.set(d.id, { kind, notified: false, wasProblem: stillDown });
    return undefined;
  }

  forget(driveId: string): void {
    this.last.delete(driveId);
  }
}
