// Waits until each drive has finished its current attempt (or a deadline passes): what one-shot
// callers (the CLI's `drives`, `map`, `reconnect`) need before printing a state.
import type { DriveStateKind, DriveStatus } from '../supervisor/index.js';

/** States in which an attempt is still in flight. */
const IN_FLIGHT: ReadonlySet<DriveStateKind> = new Set<DriveStateKind>(['connecting', 'reconnecting']);

export type SettleSource = {
  status(driveId: string): DriveStatus;
  onTransition(listener: (e: { driveId: string }) => void): () => void;
};

export function isSettled(s: DriveStatus): boolean {
  return !IN_FLIGHT.has(s.state.kind);
}

/**
 * Resolves with the statuses once none of `driveIds` is connecting or reconnecting, or when
 * `deadlineMs` passes (then some may still be in flight). Never rejects for a slow server.
 */
export function waitSettled(source: SettleSource, driveIds: readonly string[], deadlineMs: number): Promise<DriveStatus[]> {
  const snapshot = (): DriveStatus[] => driveIds.map((id) => source.status(id));
  return new Promise((resolve) => {
    if (snapshot().every(isSettled)) return resolve(snapshot());
    const finish = (): void => {
      clearTimeout(timer);
      off();
      resolve(snapshot());
    };
    const timer = setTimeout(finish, Math.max(0, deadlineMs));
    const off = source.onTransition(() => {
      if (snapshot().every(isSettled)) finish();
    });
  });
}
