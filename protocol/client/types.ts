// Types of the public, fs-like API (re-exported by protocol/index.ts).
import type { DialectValue } from '../smb2/constants.js';
import type { TransportFactory } from '../transport/transport.js';

export type Credentials =
  | { kind: 'user'; user: string; password: string; domain?: string }
  /** Anonymous (null) session: empty user and password (MS-NLMP 3.2.5.1.2). */
  | { kind: 'anonymous' }
  /**
   * A guest logon: a user name the server maps to its guest account, no password. `orAnonymous`:
   * a server that refuses the guest logon gets a null session instead (guest-fallback.ts).
   */
  | { kind: 'guest'; user?: string; orAnonymous?: boolean };

export type SmbCipherName = 'AES-128-GCM' | 'AES-128-CCM' | 'AES-256-GCM' | 'AES-256-CCM';

export type LogFn = (level: number, message: string) => void;

export interface ConnectOptions {
  /** The server's name: used in UNC paths (\\host\share) and messages. */
  host: string;
  /** Where to connect, when the caller resolved `host` itself (an IP address); default `host`. */
  address?: string;
  port?: number;
  /** Lowest and highest dialect we offer (default SMB2_02 … SMB3_11). */
  minDialect?: DialectValue;
  maxDialect?: DialectValue;
  /** Refuse a session that is not signed (MS-SMB2 3.2.4.1.1). */
  requireSigning?: boolean;
  /** Encrypt every message; refuse (code 'security') when that cannot be had (MS-SMB2 3.1.4.3). */
  encrypt?: boolean;
  /** Ciphers to offer, in order of preference (default GCM first, then CCM). */
  ciphers?: SmbCipherName[];
  /**
   * Allow SMB1 (NT LM 0.12, "CIFS"): one multi-protocol NEGOTIATE offers it beside SMB 2/3 and
   * the server picks (MS-SMB2 3.2.4.2.1); 'only' offers SMB1 alone. Default: SMB1 is refused, and
   * a server that speaks nothing else fails with code 'security'.
   */
  allowSmb1?: boolean | 'only';
  /**
   * Allow NTLMv1 and LM answers when the server refuses NTLMv2 (SMB1 servers only). A password sent
   * this way can be recovered from a capture of the traffic. Default: never sent.
   */
  allowLegacyAuth?: boolean;
  /** Deadline for connect and for each request, in ms. */
  timeoutMs?: number;
  /** Protocol summaries at level 3+; never contains a secret. */
  log?: LogFn;
  /**
   * 16 bytes naming this client to the server; keep the same one across reconnects of a drive so
   * its durable opens can be reclaimed (MS-SMB2 3.3.5.9.12). Default: random per connection.
   */
  clientGuid?: Buffer;
  /** How to reach the server; default TCP (tests and proxies pass their own). */
  transport?: TransportFactory;
}

export interface FileStat {
  name: string;
  type: 'file' | 'directory';
  size: number;
  allocationSize: number;
  created: Date;
  modified: Date;
  accessed: Date;
  changed: Date;
  /** FILE_ATTRIBUTE_* bits (MS-FSCC 2.6). */
  attributes: number;
}

export type DirEntry = FileStat;

export interface ShareInfo {
  name: string;
  type: 'disk' | 'printer' | 'device' | 'ipc';
  /** STYPE_SPECIAL (hidden/administrative) or STYPE_TEMPORARY bits set. */
  special: boolean;
  comment: string;
}

/** A share's volume space, in bytes (from FileFsFullSizeInformation). */
export interface SpaceInfo {
  totalBytes: number;
  freeBytes: number;
  /** What this user may still use (quotas may make it less than freeBytes). */
  availableBytes: number;
}

export interface ListDirectoryOptions {
  /** Stop with a 'malformed' error past this many entries (default MAX_LISTING_ENTRIES, 10 million). */
  maxEntries?: number;
  signal?: AbortSignal;
}

export interface WatchDirectoryOptions {
  /** Also report changes anywhere beneath the folder (SMB2_WATCH_TREE); names are then relative paths. */
  recursive?: boolean;
  /** Aborting ends the watch: the request in flight is cancelled and the iteration finishes (no error). */
  signal?: AbortSignal;
}

/** One change a server reported (MS-FSCC 2.7.1 Action). Renames within a folder come as a pair. */
export interface DirectoryChange {
  action: 'added' | 'removed' | 'modified' | 'renamed-from' | 'renamed-to';
  /** Relative to the watched folder; `\`-separated below it when the watch is recursive. */
  name: string;
}

/** What one answer of a watch says. */
export interface DirectoryChanges {
  /**
   * The server could not say what changed (STATUS_NOTIFY_ENUM_DIR: more changes than fit, or an
   * answer listing nothing): list the folder again to know its content.
   */
  overflow: boolean;
  changes: DirectoryChange[];
}

export interface ReadStreamOptions {
  start?: number;
  /** Inclusive, like fs.createReadStream. */
  end?: number;
  /** Number of READs kept in flight. */
  window?: number;
  /** Bytes per READ (capped by the server's MaxReadSize). */
  chunkSize?: number;
}

export interface WriteStreamOptions {
  /** Replace an existing file (default true); false fails with OBJECT_NAME_COLLISION. */
  overwrite?: boolean;
  /**
   * Continue at this offset: the file is opened (or created) without truncation and writing
   * starts here, to resume an interrupted upload.
   */
  start?: number;
  /** Number of WRITEs kept in flight. */
  window?: number;
  /** FLUSH before closing, so 'finish' means the data reached the server's stable storage. */
  flush?: boolean;
  /** Bytes per WRITE (capped by the server's MaxWriteSize). */
  chunkSize?: number;
}

export interface SetTimesOptions {
  created?: Date;
  accessed?: Date;
  modified?: Date;
}

export type { DialectValue };
