// The transfer queue's public types: jobs, their states, events, and what it needs from a drive.
import type { Readable, Writable } from 'node:stream';
import type { DirEntry, DurableHandle, FileHandle, FileStat, OpenOptions, ReadStreamOptions, WriteStreamOptions } from '../../protocol/index.js';

export type TransferDirection = 'download' | 'upload';
export type ConflictPolicy = 'ask' | 'skip' | 'overwrite' | 'keep-both';
export type ConflictDecision = Exclude<ConflictPolicy, 'ask'>;

export type JobState =
  | 'queued'
  | 'running'
  | 'waiting-for-decision'
  | 'paused'
  | 'done'
  | 'skipped'
  | 'failed'
  | 'cancelled';

export const TERMINAL_STATES: readonly JobState[] = ['done', 'skipped', 'failed', 'cancelled'];

export type PauseReason = 'drive-offline' | 'interrupted' | 'user';

/** Errors travel as data (STYLE.md "Errors"): a code callers switch on, words for people. */
export interface JobError {
  code: string;
  message: string;
  status?: string;
  path?: string;
}

export interface ConflictInfo {
  /** Where the existing item is (local path for downloads, share path for uploads). */
  path: string;
  existing: { size: number; modified: string; type: 'file' | 'directory' };
  incoming: { size: number; modified: string };
}

export interface EnqueueRequest {
  direction: TransferDirection;
  driveId: string;
  /**
   * Another share of the drive's server to work on (its name, no separators); absent: the drive's
   * own share.
   */
  share?: string;
  /** Share-relative path of the source (download) or destination (upload); '' is the share's root. */
  remotePath: string;
  /** Local path of the destination (download) or source (upload). */
  localPath: string;
  conflict?: ConflictPolicy;
  verifyHash?: boolean;
  /** false: downloads are not fsynced before their rename (CopyFileOptions.flushToDisk). */
  flushToDisk?: boolean;
}

/** What a download remembers so it can continue a partial file instead of starting again. */
export interface ResumeInfo {
  /** Size and last-write time of the source when the partial was started. */
  sourceSize: number;
  sourceModified: string;
}

export interface TransferJob {
  id: string;
  direction: TransferDirection;
  driveId: string;
  /** Another share of the drive's server (see EnqueueRequest.share); absent in state saved before it existed. */
  share?: string;
  remotePath: string;
  localPath: string;
  conflict: ConflictPolicy;
  verifyHash: boolean;
  /** false: a download is not fsynced before its rename (see CopyFileOptions.flushToDisk). */
  flushToDisk?: boolean;
  kind: 'file' | 'folder';
  /** The folder job this file job came from. */
  parentId?: string;
  state: JobState;
  bytesDone: number;
  bytesTotal: number;
  error?: JobError;
  pauseReason?: PauseReason;
  conflictInfo?: ConflictInfo;
  /** A decision taken for a conflict ('ask' → decide(), or the policy itself). */
  decision?: ConflictDecision;
  /** The final name chosen (differs from the request after keep-both). */
  targetPath?: string;
  resume?: ResumeInfo;
  /**
   * The partial file this job created and is writing (a local path for downloads, a share path
   * for uploads). Only a recorded partial is ever continued or removed.
   */
  partial?: string;
  /**
   * Upload partials of earlier runs that could not be removed from the share (it did not answer
   * in time): removed at the job's next cleanup, its retry, or when the drive is back.
   */
  leftovers?: string[];
  /** The last run took back its durable open after a drop (MS-SMB2 3.2.4.4) instead of opening the partial again. */
  reclaimed?: boolean;
  /** Offset the last run continued from (0 when it started over). */
  resumedFrom?: number;
  /** Set on a file job whose name was refused (see safe-name.ts); it cannot run. */
  refused?: string;
  /** Something that went differently from the request, for people (e.g. a file saved under another name). */
  notice?: string;
  /** Folder jobs: every file job has been added. */
  expanded?: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ProgressEvent {
  id: string;
  bytesDone: number;
  bytesTotal: number;
  rate: number;
  etaSeconds: number | undefined;
}

export interface TransferEvents {
  added: { job: TransferJob };
  state: { job: TransferJob; from: JobState; to: JobState };
  progress: ProgressEvent;
  done: { job: TransferJob };
  failed: { job: TransferJob };
  paused: { job: TransferJob; reason: PauseReason };
  resumed: { job: TransferJob };
  /** The state file could not be read or written (the queue keeps running in memory). */
  'persist-error': { message: string };
}

export type TransferEventName = keyof TransferEvents;

/** The part of a connected share (protocol's SmbTree) the queue uses. */
export interface TransferTree {
  stat(path: string): Promise<FileStat>;
  readdir(path: string): Promise<DirEntry[]>;
  mkdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string, opts?: { replace?: boolean }): Promise<void>;
  createReadStream(path: string, opts?: ReadStreamOptions): Readable;
  createWriteStream(path: string, opts?: WriteStreamOptions): Writable;
  /** A whole (small) file in one round trip where the tree can (CREATE+READ+CLOSE compounded, MS-SMB2 3.2.4.1.4). */
  readFile?(path: string): Promise<Buffer>;
  /** A whole (small) file written in one round trip where the tree can (CREATE+WRITE+CLOSE compounded). */
  writeFile?(path: string, data: Buffer, opts?: WriteStreamOptions): Promise<void>;
  /** An open handle (the queue writes an upload's partial through a durable one where the tree has them). */
  open?(path: string, opts?: OpenOptions): Promise<FileHandle>;
  /** Takes back a durable open after its connection dropped (MS-SMB2 3.2.4.4). */
  reclaim?(durable: DurableHandle): Promise<FileHandle>;
}

export interface DriveStateChange {
  driveId: string;
  /** True once the drive answers again (the queue resumes its paused jobs). */
  available: boolean;
}

/** Hands out a connected tree per drive; the drive supervisor implements it. */
export interface TreeProvider {
  /** The drive's own share, or `share` (another share of the drive's server) when given. */
  acquire(driveId: string, share?: string): Promise<TransferTree>;
  /** Returns a function that stops the notifications. */
  onDriveState(listener: (change: DriveStateChange) => void): () => void;
}

export interface TransferQueue {
  enqueue(req: EnqueueRequest): TransferJob;
  cancel(id: string): Promise<void>;
  retry(id: string): void;
  /** Answers a 'waiting-for-decision' job. */
  decide(id: string, decision: ConflictDecision): void;
  pause(id: string): Promise<void>;
  resume(id: string): void;
  list(): TransferJob[];
  get(id: string): TransferJob | undefined;
  /** The jobs a folder job was expanded into, in the order they were found. */
  children(id: string): TransferJob[];
  on<K extends TransferEventName>(event: K, listener: (e: TransferEvents[K]) => void): () => void;
  /** Resolves when no job is queued or running (paused and waiting jobs do not count). */
  idle(): Promise<void>;
  dispose(): Promise<void>;
}
