// The DriveLink of a drive under the DriveSupervisor: its state, its tree, the slow-operation
// check, and its transitions (only this drive's). The drive may be removed and added again
// (a registry update does that): every call looks it up by id, so the mount never holds a stale one.
import type { DriveStateKind, DriveSupervisor } from '../supervisor/index.js';
import type { DriveLink } from './drive-link.js';

export type SupervisorForMounts = Pick<DriveSupervisor, 'status' | 'acquire' | 'onTransition' | 'checkAlive' | 'history'>;

export function supervisorLink(supervisor: SupervisorForMounts, driveId: string): DriveLink {
  return {
    driveId,
    state(): DriveStateKind | undefined {
      try {
        return supervisor.status(driveId).state.kind;
      } catch {
        return undefined;
      }
    },
    acquire: () => supervisor.acquire(driveId),
    checkAlive: () => supervisor.checkAlive(driveId),
    retryingAfterOutage() {
      try {
        const last = supervisor.history(driveId).at(-1);
        return last?.to === 'reconnecting' && last.from === 'unavailable';
      } catch {
        return false;
      }
    },
    onTransition(listener) {
      return supervisor.onTransition((e) => {
        if (e.driveId === driveId) listener(e.to);
      });
    },
  };
}
