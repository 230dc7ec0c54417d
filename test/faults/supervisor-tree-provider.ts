// The transfer queue's TreeProvider over the drive supervisor, as the app wires it: acquire() is
// the supervisor's, and a drive that becomes Connected again tells the queue to resume its paused
// jobs. main/ has no such adapter yet (the lead wires the app's); this one lives with the suite.
import { SmbError } from '../../protocol/index.js';
import { DriveUnavailableError, type DriveSupervisor } from '../../main/supervisor/index.js';
import type { DriveStateChange, TransferTree, TreeProvider } from '../../main/transfers/index.js';

export class SupervisorTreeProvider implements TreeProvider {
  constructor(private readonly supervisor: DriveSupervisor) {}

  async acquire(driveId: string): Promise<TransferTree> {
    try {
      return await this.supervisor.acquire(driveId);
    } catch (e) {
      // The queue pauses a job (rather than failing it) on a transport-class SmbError; a drive that
      // is only unreachable for now is exactly that (transfer-errors.ts isDriveDrop).
      if (e instanceof DriveUnavailableError && e.state !== 'auth-failed' && e.state !== 'disabled') {
        throw new SmbError('transport', e.message, { cause: e });
      }
      throw e;
    }
  }

  onDriveState(listener: (change: DriveStateChange) => void): () => void {
    return this.supervisor.onTransition((e) => {
      if (e.to === 'connected') listener({ driveId: e.driveId, available: true });
      else if (e.from === 'connected') listener({ driveId: e.driveId, available: false });
    });
  }
}
