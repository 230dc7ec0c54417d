// What the supervisor needs to know about a drive and its surroundings. Kept minimal and local so
// main/drives and main/credentials can change without touching the supervisor; their Drive type is
// assignable to SupervisedDrive.
import type { Credentials } from '../../protocol/index.js';
import type { DriveState, DriveStateKind } from './drive-state.js';
import type { Reason } from './diagnosis.js';

export interface SupervisedDriveOptions {
  /** Dialect names as protocol/ spells them ('SMB2_02' … 'SMB3_11'). */
  minProtocol?: string;
  maxProtocol?: string;
  requireEncryption?: boolean;
  requireSigning?: boolean;
  allowLegacy?: boolean;
  /** Where main/mount mounts the drive, and whether it should be mounted (see main/drives). */
  mountPoint?: string;
  mount?: boolean;
}

export interface SupervisedDrive {
  id: string;
  name: string;
  /** smb://host[:port]/share[/path] */
  target: string;
  /** Tried in order when the primary cannot be reached. */
  alternates: readonly string[];
  user?: string;
  domain?: string;
  options: SupervisedDriveOptions;
  /** Connect when added and keep connected; otherwise connect on first access. */
  persistent: boolean;
}

/** Credentials for a drive, or undefined when none are stored (the drive goes AuthFailed). */
export type CredentialsFor = (drive: SupervisedDrive) => Promise<Credentials | undefined>;

/** acquire() on a drive that cannot give a tree right now. */
export class DriveUnavailableError extends Error {
  readonly driveId: string;
  readonly state: DriveStateKind;
  readonly reason: Reason;

  constructor(driveId: string, state: DriveState) {
    super(`drive ${driveId} is ${state.kind}: ${state.diagnosis.message}`);
    this.name = 'DriveUnavailableError';
    this.driveId = driveId;
    this.state = state.kind;
    this.reason = state.diagnosis.reason;
  }
}

export class UnknownDriveError extends Error {
  constructor(readonly driveId: string) {
    super(`no drive with id ${driveId}`);
    this.name = 'UnknownDriveError';
  }
}
