// The transfer queue's TreeProvider over the drive supervisor: a tree comes from
// supervisor.acquire() (which connects on access), and a drive is "available" exactly while its
// state is connected, so paused jobs resume on the transition into connected.
import type { DriveSupervisor } from '../supervisor/index.js';
import type { DriveStateChange, TransferTree, TreeProvider } from '../transfers/index.js';

export type SupervisorLike = Pick<DriveSupervisor, 'acquire' | 'onTransition'>;

export class SupervisorTreeProvider implements TreeProvider {
  constructor(private readonly supervisor: SupervisorLike) {}

  acquire(driveId: string): Promise<TransferTree> {
    return this.supervisor.acquire(driveId);
  }

  onDriveState(listener: (change: DriveStateChange) => void): () => void {
    return this.supervisor.onTransition((e) => {
      // Only moves into or out of connected matter to the queue; the rest would be noise.
      if (e.to === 'connected' || e.from === 'connected') listener({ driveId: e.driveId, available: e.to === 'connected' });
    });
  }
}
