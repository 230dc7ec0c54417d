// The transfer queue's TreeProvider over the drive supervisor: a tree comes from
// supervisor.acquire() (which connects on access), and a drive is "available" exactly while its
// state is connected, so paused jobs resume on the transition into connected.
import { SmbError } from '../../protocol/index.js';
import { DriveUnavailableError, type DriveSupervisor, type Reason } from '../supervisor/index.js';
import type { DriveStateChange, TransferTree, TreeProvider } from '../transfers/index.js';

export type SupervisorLike = Pick<DriveSupervisor, 'acquire' | 'onTransition'>;

export class SupervisorTreeProvider implements TreeProvider {
  /**
   * `otherShares`: trees of the drive's server's other shares (jobs with a `share`); they need a
   * connection of their own, the supervisor keeps only the drive's share connected.
   */
  constructor(
    private readonly supervisor: SupervisorLike,
    private readonly otherShares?: Pick<TreeProvider, 'acquire'>,
  ) {}

  async acquire(driveId: string, share?: string): Promise<TransferTree> {
    if (share !== undefined) {
      if (this.otherShares === undefined) throw new SmbError('unsupported', `only the drive's own share can be reached here, not "${share}"`);
      return this.otherShares.acquire(driveId, share);
    }
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
 * Reasons that say the server accepted the connection and then did not answer, or dropped it:
 * a misbehaving server rather than one that is away (see transfer-errors.ts isSilentServer).
 */
const SILENT: ReadonlySet<Reason> = new Set<Reason>(['negotiate-failed', 'keepalive-timeout', 'connection-lost']);

/**
 * The queue pauses a job on a transport-class SmbError and fails it on anything else
 * (transfer-errors.ts isDriveDrop). A drive that is only unreachable for now is the former (a
 * timeout when the server accepted TCP and went quiet, which counts toward the queue's bound on
 * drops; transport when it cannot be reached at all); one whose credentials were refused is an
 * auth failure (the CLI's exit 4); a disabled one fails as it is.
 */
function asQueueError(e: unknown): unknown {
  if (!(e instanceof DriveUnavailableError)) return e;
  if (e.state === 'auth-failed') return new SmbError('auth', e.message, { cause: e });
  if (e.state === 'disabled') return e;
  if (SILENT.has(e.reason)) return new SmbError('timeout', e.message, { operation: 'acquire', cause: e });
  return new SmbError('transport', e.message, { operation: 'connect', cause: e });
}
