// The transfer queue's TreeProvider over the drive supervisor: a tree comes from
// supervisor.acquire() (which connects on access), and a drive is "available" exactly while its
// state is connected, so paused jobs resume on the transition into connected.
import { SmbError } from '../../protocol/index.js';
import { DriveUnavailableError, type DriveSupervisor } from '../supervisor/index.js';
import type { DriveStateChange, TransferTree, TreeProvider } from '../transfers/index.js';

export type SupervisorLike = Pick<DriveSupervisor, 'acquire' | 'onTransition'>;

export class SupervisorTreeProvider implements TreeProvider {
  constructor(private readonly supervisor: SupervisorLike) {}

  async acquire(driveId: string): Promise<TransferTree> {
    try {
      return await this.supervisor.acquire(driveId);
    } catch (e) {
      throw asQueueError(e);
    }
  }

  onDriveState(listener: (change: DriveStateChange) => void): () => void {
    return this.supervisor.onTransition((e) => {
      // Only moves into or out of connected matter to the queue; the rest would be noise.
      if (e.to === 'connected' || e.from === 'connected') listener({ driveId: e.driveId, available: e.to === 'connected' });
    });
  }
}

/**
 * The queue pauses a job on a transport-class SmbError and fails it on anything else
 * (transfer-errors.ts isDriveDrop). A drive that is only unreachable for now is the former; one
 * whose credentials were refused is an auth failure (the CLI's exit 4); a disabled one fails as it is.
 */
function asQueueError(e: unknown): unknown {
  if (!(e instanceof DriveUnavailableError)) return e;
  if (e.state === 'auth-failed') return new SmbError('auth', e.message, { cause: e });
  if (e.state === 'disabled') return e;
  return new SmbError('transport', e.message, { cause: e });
}
