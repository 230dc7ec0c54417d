// Public surface of main/: the services an entry point (CLI, Electron, serve) wires together.
export * from './services/index.js';
export * from './drives/index.js';
export * from './credentials/index.js';
export {
  DriveSupervisor,
  DriveUnavailableError,
  UnknownDriveError,
  classifyFailure,
  type DriveState,
  type DriveStateKind,
  type DriveStatus,
  type Diagnosis,
  type Reason,
  type SupervisedDrive,
  type SupervisorOptions,
  type StartOptions,
  type TransitionEvent,
  type TransitionListener,
} from './supervisor/index.js';
export * from './transfers/index.js';
export { createDriveMappingAdapter } from './platform/index.js';
export * from './text/index.js';
export * from './api/index.js';
