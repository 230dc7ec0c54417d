// Public surface of the drive supervisor.
export { DriveSupervisor, driveConnectOptions, type SupervisorOptions, type StartOptions, type DriveStatus } from './supervisor.js';
export { DriveUnavailableError, UnknownDriveError, type SupervisedDrive, type SupervisedDriveOptions, type CredentialsFor } from './types.js';
export type { DriveState, DriveStateKind, TransitionEvent, TransitionListener } from './drive-state.js';
export { classifyFailure, isQuietClose, type Diagnosis, type Reason, type Stage } from './diagnosis.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { parseTarget, type SmbTarget } from './target.js';
export { diffInterfaces, isVpnInterface, type NetworkChange } from './network-watcher.js';
export type { Clock } from './timers.js';
export type { Connect, ClientLike, SessionLike } from './probe.js';
export type { Resolve, ResolvedAddress } from './resolve-host.js';
