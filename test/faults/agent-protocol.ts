// The line protocol between a fault test (vitest, root namespace) and its client agent
// (fault-agent.ts, inside the client namespace): one JSON object per line each way.
import type { DriveState, DriveStateKind, SupervisedDrive } from '../../main/supervisor/index.js';
import type { JobState } from '../../main/transfers/index.js';

export interface StartArgs {
  drive: SupervisedDrive;
  password: string;
  connectTimeoutMs: number;
  /** Poll the interfaces (the NetworkWatcher) like the app does. */
  network: boolean;
}

export interface DownloadArgs {
  remotePath: string;
  localPath: string;
  /** Where the queue keeps its state file. */
  configDir: string;
}

/** Every request and what it answers. */
export interface AgentOps {
  start: { args: StartArgs; result: null };
  password: { args: { password: string }; result: null };
  updateCredentials: { args: null; result: null };
  readdir: { args: { path: string }; result: string[] };
  status: { args: null; result: DriveState };
  download: { args: DownloadArgs; result: string };
  dispose: { args: null; result: null };
}

export type AgentOp = keyof AgentOps;

export interface AgentRequest {
  id: number;
  op: AgentOp;
  args: unknown;
}

export type AgentResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface TransitionNote {
  event: 'transition';
  from: DriveStateKind;
  to: DriveStateKind;
  reason: string;
  message: string;
  /** Date.now() in the agent: the same wall clock as the test's. */
  at: number;
  target?: string;
}

export interface JobNote {
  event: 'job';
  id: string;
  state: JobState;
  bytesDone: number;
  bytesTotal: number;
  at: number;
  resumedFrom?: number;
  error?: string;
  pauseReason?: string;
}

export interface ProgressNote {
  event: 'progress';
  id: string;
  bytesDone: number;
  at: number;
}

export interface LogNote {
  event: 'log';
  message: string;
  at: number;
}

export type AgentNote = TransitionNote | JobNote | ProgressNote | LogNote;
