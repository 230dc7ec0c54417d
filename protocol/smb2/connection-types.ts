// What a connection sends and receives, and what it needs from a session to sign, verify, seal
// and open messages (set once the session's keys exist).
import type { SmbError } from '../errors.js';
import type { Smb2Header } from './header.js';

export interface Smb2Response {
  header: Smb2Header;
  /** The whole message, header at offset 0 (offsets in bodies count from there). */
  msg: Buffer;
}

/** How a session seals messages (MS-SMB2 3.1.4.3): set when the session has encryption keys. */
export interface SessionEncryption {
  /** Every message of the session is encrypted (session flag, or the caller asked). */
  readonly encryptAll: boolean;
  /** Turns a plaintext message (header first) into transform header + ciphertext. */
  encrypt(parts: readonly Buffer[]): Buffer[];
  /** Decrypts and authenticates one transformed frame; throws SmbError('security') on a bad tag. */
  decrypt(frame: Buffer): Buffer;
  /**
   * The same on another thread, in the frame's own memory (large pooled frames): the plaintext
   * message, a view of it; undefined when this frame is decrypted on this thread instead.
   */
  decryptInPlace?(frame: Buffer): Promise<Buffer> | undefined;
}

/** How a session signs requests and checks responses (set once its keys exist). */
export interface SessionSecurity {
  /** Every request is signed and every response must be (the session requires signing). */
  readonly signRequests: boolean;
  /** The session has a key; signed responses are verified even when signing is optional. */
  readonly hasKey: boolean;
  /** Commands signed even when signing is optional (TREE_CONNECT on 3.1.1, MS-SMB2 3.2.4.1.1). */
  mustSign(command: number): boolean;
  sign(parts: readonly Buffer[]): void;
  verify(msg: Buffer): boolean;
  readonly encryption?: SessionEncryption;
}

export interface Smb2Request {
  command: number;
  /** Body after the header; several parts are sent back to back without copying. */
  body: readonly Buffer[];
  sessionId?: bigint;
  treeId?: number;
  /** max(bytes sent, bytes expected back) beyond the fixed structures; sets the credit charge. */
  payloadSize?: number;
  /** Overrides the session's signer (used before the session is registered). */
  security?: SessionSecurity;
  /** Seal this request (a tree that requires encryption); sessions that encrypt everything seal anyway. */
  encrypt?: boolean;
  /** null: no deadline (the server may legitimately take forever). */
  timeoutMs?: number | null;
  /**
   * A long poll (CHANGE_NOTIFY, MS-SMB2 3.3.5.19: answered STATUS_PENDING at once, finally only when
   * something changes). `timeoutMs` bounds the wait for the interim answer; once the server said
   * STATUS_PENDING there is no deadline (PENDING_LIMIT_FACTOR does not apply) until this signal aborts.
   * Then CANCEL goes out (with the AsyncId, 3.2.4.24) and the final answer (STATUS_CANCELLED, or
   * whatever completed it first) must arrive within `timeoutMs`, or the request fails as timed out.
   */
  untilAborted?: AbortSignal;
  operation?: string;
  path?: string;
  /** Sees the exact bytes of the request (preauth integrity hashing, MS-SMB2 3.2.5.2). */
  onSent?: (parts: readonly Buffer[]) => void;
}

/** Inside the connection: one request of a chain on its way out. */
export interface Outgoing {
  req: Smb2Request;
  messageId: bigint;
  charge: number;
  security: SessionSecurity | undefined;
  sign: boolean;
  encrypt: boolean;
  /** Header, body and padding, signed; sealed later with the rest of the chain. */
  parts: Buffer[];
  error?: SmbError;
}

/** Inside the connection: a request waiting for its answer. */
export interface InFlight {
  request: Smb2Request;
  messageId: bigint;
  charge: number;
  resolve: (r: Smb2Response) => void;
  reject: (e: SmbError) => void;
  timer: NodeJS.Timeout | undefined;
  asyncId: bigint | undefined;
  /** The session the request was sent on: the one that verifies and decrypts its answer. */
  security: SessionSecurity | undefined;
  signed: boolean;
  encrypted: boolean;
  /** When STATUS_PENDING stops extending the wait (ms since the epoch); undefined: no deadline. */
  lastDeadline: number | undefined;
  /** A long poll whose caller gave up: CANCEL was sent, the final answer is awaited with a deadline. */
  cancelRequested?: boolean;
}
