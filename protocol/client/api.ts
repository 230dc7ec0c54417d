// The public client API, whatever the dialect: client (a connection) → session → tree → open file handle.
// SMB 2/3 implements it (smb2-*.ts); SMB1 is a second implementation behind the same interfaces, so
// callers (CLI, supervisor, copy engine, mount, UI) never depend on the dialect.
import type { Readable, Writable } from 'node:stream';
import type { SmbError } from '../errors.js';
import type {
  Credentials,
  DirEntry,
  DirectoryChanges,
  FileStat,
  ListDirectoryOptions,
  ReadStreamOptions,
  SetTimesOptions,
  ShareInfo,
  SpaceInfo,
  WatchDirectoryOptions,
  WriteStreamOptions,
} from './types.js';

/** A connected, negotiated server: log in to get a session. */
export interface SmbClient {
  /** The negotiated dialect (Dialect.*). */
  readonly dialect: number;
  readonly host: string;
  readonly signingAlgorithm: string;
  /** The negotiated cipher (3.x), or undefined when the server and we share none. */
  readonly cipher: string | undefined;
  readonly closed: boolean;
  /**
   * When a message last arrived from the server (ms since the epoch), where the dialect keeps it.
   * A connection still receiving is alive even when one answer is slow behind others.
   */
  readonly lastReceivedAt?: number;
  /** Called once if the connection ends (server gone, timeout, malformed packet, close()). */
  onClose(listener: (e: SmbError) => void): void;
  login(creds: Credentials, opts?: LoginOptions): Promise<SmbSession>;
  /** Proves the server still answers. */
  echo(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** How to log in. */
export interface LoginOptions {
  /**
   * The `sessionId` this client had on an earlier connection to the same server that dropped.
   * Sent as PreviousSessionId (MS-SMB2 2.2.5, 3.2.4.2.3): once the new logon succeeds for the same
   * user, the server ends that session at once (3.3.5.5.3) instead of keeping it, and its batch
   * oplocks, until its own TCP notices the old connection is dead; its durable opens are then free
   * to be reclaimed. SMB1 has no such field and ignores it.
   */
  previousSessionId?: bigint;
}

export interface SmbSession {
  /** The server's id of this session (SMB 2/3 SessionId, to pass as LoginOptions.previousSessionId after a drop). */
  readonly sessionId?: bigint;
  readonly isGuest: boolean;
  readonly isAnonymous: boolean;
  readonly isSigned: boolean;
  readonly isEncrypted: boolean;
  connectTree(share: string): Promise<SmbTree>;
  /** The server's shares (srvsvc NetShareEnumAll). */
  listShares(): Promise<ShareInfo[]>;
  logoff(): Promise<void>;
}

/** How to open a file: what we may do with it and what happens when it exists or not. */
export interface OpenOptions {
  /** Default 'read'. */
  access?: 'read' | 'write' | 'read-write';
  /**
   * 'open' (must exist; default), 'create' (must not exist), 'open-if' (open, or create when
   * missing), 'overwrite-if' (truncate, or create when missing).
   */
  disposition?: 'open' | 'create' | 'open-if' | 'overwrite-if';
  /**
   * What others may do while it is open: 'all' (read, write, delete; the default for reading),
   * 'read' (the default for writing), 'none'.
   */
  share?: 'all' | 'read' | 'none';
  /** Ask for the right to delete, so `setInfo({deleteOnClose: true})` works on this handle. */
  mayDelete?: boolean;
  /**
   * Ask the server to keep the open through a dropped connection (a durable handle, MS-SMB2
   * 3.2.4.3.5), so `SmbTree.reclaim` can take it back on a new connection. The server may say no:
   * then `FileHandle.durable` is undefined.
   */
  durable?: boolean;
  /**
   * Gives up on an open the server is still working on. A CREATE it answered STATUS_PENDING (it
   * waits on an oplock break to another open, MS-SMB2 3.3.5.9) then waits without its usual
   * deadline until this aborts; CANCEL goes out (3.2.4.24) and the open fails with
   * STATUS_CANCELLED, unless it completed first. The caller bounds the wait. SMB2 only.
   */
  signal?: AbortSignal;
}

/** What it takes to reclaim a durable open on a new connection (MS-SMB2 3.2.4.4). */
export interface DurableHandle {
  readonly version: 1 | 2;
  readonly path: string;
  readonly fileId: Buffer;
  readonly createGuid: Buffer;
  /** How long the server keeps it after a drop, when it said (v2). */
  readonly timeoutMs: number | undefined;
  readonly open: OpenOptions;
}

export interface SetInfoOptions {
  /** New end of file (truncate or extend). */
  size?: number;
  times?: SetTimesOptions;
  /** Remove the file when its last handle closes. */
  deleteOnClose?: boolean;
}

/** An open file: positional I/O and metadata on one handle. The streams are built on this. */
export interface FileHandle {
  /** The path within the share, as opened. */
  readonly path: string;
  /** What the server reported when the file was opened. */
  readonly openStat: FileStat;
  /** Set when the server granted a durable open: keep it to reclaim the open after a drop. */
  readonly durable: DurableHandle | undefined;
  /** Largest single READ / WRITE this handle's connection allows. */
  readonly maxRead: number;
  readonly maxWrite: number;
  /** The READ and WRITE sizes this dialect's streams use on this handle (read-stream.ts, write-stream.ts); a stream built on the handle itself passes them. */
  readonly readChunk: number;
  readonly writeChunk: number;
  /** Up to `length` bytes at `offset` (never more); an empty buffer means end of file. */
  readAt(offset: number, length: number): Promise<Buffer>;
  /** Writes `data` (parts sent back to back, never concatenated) at `offset`; returns bytes taken. */
  writeAt(offset: number, data: Buffer | readonly Buffer[]): Promise<number>;
  /** What the server reports now. */
  stat(): Promise<FileStat>;
  setInfo(info: SetInfoOptions): Promise<void>;
  /** The server's cached data for this file goes to stable storage. */
  flush(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/** A connected share: the fs-like calls. Paths are relative to the share, `/` or `\` separated. */
export interface SmbTree {
  readonly share: string;
  /**
   * What the server lets this user do on the share, as an access mask (MS-DTYP 2.4.3; SMB 2/3:
   * the TREE_CONNECT response's MaximalAccess, MS-SMB2 2.2.10). A read-only share leaves out every
   * right to change (see `accessAllowsChanges`). Undefined when the server did not say.
   */
  readonly maximalAccess?: number | undefined;
  open(path: string, opts?: OpenOptions): Promise<FileHandle>;
  /**
   * Takes back a durable open after the connection it was made on dropped (same user; the new
   * connection must use the old one's ConnectOptions.clientGuid). Fails with the server's status
   * (e.g. OBJECT_NAME_NOT_FOUND once its timeout passed).
   */
  reclaim(durable: DurableHandle): Promise<FileHandle>;
  readdir(path: string, opts?: ListDirectoryOptions): Promise<DirEntry[]>;
  /** Entries in batches as the server sends them; stop early with `break`. */
  listDirectory(path: string, opts?: ListDirectoryOptions): AsyncIterable<DirEntry[]>;
  /**
   * Changes to a folder as the server reports them (SMB2 CHANGE_NOTIFY, MS-SMB2 3.2.4.19; SMB1
   * NT_TRANSACT_NOTIFY_CHANGE, MS-CIFS 3.2.4.39), one batch per answer, the request re-armed after
   * each. A watch waits as long as nothing changes (no deadline once the server has it, but every
   * other request keeps its own); it ends when the iterator is returned (`break`) or `signal` aborts
   * (the request is cancelled, the folder's handle closed), and fails with the error if the folder
   * goes away or the connection ends. On SMB1 each waiting watch holds one of the server's
   * MaxMpxCount request slots: one that would take more than half fails as 'unsupported'.
   * Absent where the server cannot watch (an SMB1 server without NT SMBs, CAP_NT_SMBS), and callers
   * report that as an SmbError with code 'unsupported'.
   */
  watchDirectory?(path: string, opts?: WatchDirectoryOptions): AsyncIterableIterator<DirectoryChanges>;
  stat(path: string): Promise<FileStat>;
  queryInfo(path: string): Promise<FileStat>;
  statfs(): Promise<SpaceInfo>;
  readFile(path: string): Promise<Buffer>;
  writeFile(path: string, data: Buffer, opts?: WriteStreamOptions): Promise<void>;
  /** Emits 'open' with the FileStat; `size` is known from then on. */
  createReadStream(path: string, opts?: ReadStreamOptions): Readable & { readonly size: number | undefined };
  createWriteStream(path: string, opts?: WriteStreamOptions): Writable;
  mkdir(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string, opts?: { replace?: boolean }): Promise<void>;
  truncate(path: string, size: number): Promise<void>;
  setTimes(path: string, times: SetTimesOptions): Promise<void>;
  disconnect(): Promise<void>;
}
