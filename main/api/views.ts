// The data the contract carries: plain JSON-able records, never a class, never a password.
// Dates travel as epoch milliseconds. Renderers `import type` these.

export type DriveStatusKind = 'connecting' | 'connected' | 'disconnected' | 'reconnecting' | 'unavailable' | 'auth-failed' | 'disabled';

export interface DriveStatusView {
  kind: DriveStatusKind;
  /** The supervisor's reason code ('tcp-refused', 'auth-rejected', 'idle-disconnect', ...). */
  reason: string;
  /** One sentence for people. */
  message: string;
  /** When this state began (epoch ms). */
  since: number;
  /** Reconnecting / unavailable: attempts so far. */
  attempt?: number;
  /** Unavailable: when the next attempt starts (epoch ms). */
  nextAttemptAt?: number;
  /** Connected: which target answered (the primary or an alternate) and the dialect. */
  connectedTo?: string;
  dialect?: string;
}

export interface DriveOptionsView {
  requireSigning: boolean;
  requireEncryption: boolean;
  /** Present (true) when the drive may use SMB1 and NTLMv1/LM sign-in (issue 11's legacy switches). */
  allowLegacy?: boolean;
  minProtocol?: string;
  maxProtocol?: string;
}

export interface DriveView {
  id: string;
  name: string;
  /** smb://host[:port]/share[/path], without the user. */
  target: string;
  /** The same as \\host\share\path (port left out). */
  unc: string;
  host: string;
  port: number;
  share: string;
  /** Folder inside the share the drive opens at ('' for the share's root). */
  rootPath: string;
  alternates: string[];
  user?: string;
  domain?: string;
  options: DriveOptionsView;
  persistent: boolean;
  status: DriveStatusView;
  /** A password for this drive's account is in the keychain (the password itself never leaves main). */
  hasSavedPassword: boolean;
}

/** What the add/edit dialog sends. `target` may be smb://, //host/share or \\host\share. */
export interface DriveInput {
  name: string;
  target: string;
  user?: string;
  domain?: string;
  /** Other hosts (host or host:port, or a whole //host/share naming the same share). */
  alternates?: string[];
  requireSigning?: boolean;
  requireEncryption?: boolean;
  /**
   * Allow SMB1 and the legacy NTLMv1/LM sign-in for an old server. A password sent this way can be
   * recovered from a capture of the traffic.
   */
  allowLegacy?: boolean;
  persistent?: boolean;
}

export interface SavedPasswordView {
  driveId: string;
  driveName: string;
  account: string;
  saved: boolean;
}

export interface ShareView {
  name: string;
  type: 'disk' | 'printer' | 'device' | 'ipc';
  comment: string;
  special: boolean;
}

/** A place in a drive's server: a share and a '/'-separated path inside it ('' for its root). */
export interface Location {
  driveId: string;
  share: string;
  path: string;
}

export interface EntryView {
  name: string;
  type: 'file' | 'directory';
  size: number;
  /** Last write (epoch ms). */
  modified: number;
  hidden: boolean;
}

/** What changed in a watched folder, as the server reported it; `name` is relative to the folder. */
export interface FolderChangeView {
  action: 'added' | 'removed' | 'modified' | 'renamed-from' | 'renamed-to';
  name: string;
}

/** One `folder.changes` event: changes to a folder a client watches (`folder.watch`). */
export interface FolderChangesView {
  watchId: string;
  driveId: string;
  share: string;
  path: string;
  /** The server could not say what changed (too many changes, or the watch was re-armed): list again. */
  overflow: boolean;
  changes: FolderChangeView[];
  /** The watch ended for good (the folder went away, the server cannot watch): no more events come. */
  ended?: ApiError;
}

export type TransferStateView = 'queued' | 'running' | 'waiting-for-decision' | 'paused' | 'done' | 'skipped' | 'failed' | 'cancelled';
export type ConflictChoice = 'skip' | 'overwrite' | 'keep-both';

export interface TransferView {
  id: string;
  direction: 'download' | 'upload';
  kind: 'file' | 'folder';
  driveId: string;
  /** Another share of the drive's server the transfer works on; absent: the drive's own share. */
  share?: string;
  /** Share-relative path on the server. */
  remotePath: string;
  /** What people see for the local side (a file name; never a path the renderer can reuse). */
  localName: string;
  parentId?: string;
  state: TransferStateView;
  bytesDone: number;
  bytesTotal: number;
  rate: number;
  etaSeconds?: number;
  pauseReason?: string;
  conflict?: { path: string; existingSize: number; existingModified: string; incomingSize: number; incomingModified: string };
  error?: ApiError;
  notice?: string;
  createdAt: string;
  updatedAt: string;
}

export interface ProgressView {
  id: string;
  bytesDone: number;
  bytesTotal: number;
  rate: number;
  etaSeconds?: number;
}

/** An opaque handle main issued for a folder or file the person picked (OS dialog, drop). */
export interface LocalHandleView {
  id: string;
  /** The base name, for showing. */
  label: string;
  kind: 'file' | 'folder';
}

export interface AppInfoView {
  mode: 'serve' | 'electron';
  version: string;
  keychain: 'available' | 'locked' | 'unavailable';
  /** The host streams downloads to and uploads from the browser over HTTP (serve). */
  browserTransfers: boolean;
  /** The host can show a native folder/file picker (Electron) or has a downloads folder (serve). */
  localPicker: boolean;
}

// ---- errors -------------------------------------------------------------------------------------

export type ApiErrorCode =
  | 'bad-request' // the arguments did not pass validation (a bug or a hostile renderer)
  | 'unreachable' // the server cannot be reached (refused, no route, DNS, dropped)
  | 'timeout' // the server or the request took longer than its deadline
  | 'wrong-password' // the server refused the user name or password
  | 'password-needed' // nothing to log in with: ask the person
  | 'access-denied'
  | 'not-found'
  | 'name-exists'
  | 'not-empty'
  | 'in-use' // sharing violation, locked
  | 'disk-full'
  | 'invalid-name'
  | 'security' // signing/encryption requirement not met
  | 'unsupported'
  | 'disabled'
  | 'keychain' // the OS keychain refused or is locked
  | 'cancelled'
  | 'protocol' // the server sent something we could not read
  | 'internal';

export interface ApiError {
  code: ApiErrorCode;
  /** Words a person understands: "Access denied", "Wrong user name or password". */
  message: string;
  /** The NTSTATUS name when the server gave one (NT_STATUS_ACCESS_DENIED). */
  status?: string;
  /** The path or field concerned. */
  path?: string;
  /** The technical line (what failed, where): shown under the message. */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };
