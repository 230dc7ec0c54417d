// What every operation on a tree needs: the connection, the ids in the header, the limits.
import type { Smb2Connection, Smb2Request, Smb2Response } from '../smb2/connection.js';
import { NtStatus } from '../smb2/nt-status.js';

export interface TreeContext {
  readonly conn: Smb2Connection;
  readonly sessionId: bigint;
  readonly treeId: number;
  readonly share: string;
  /** Largest READ/WRITE/transact payload this connection allows (MS-SMB2 2.2.4). */
  readonly maxRead: number;
  readonly maxWrite: number;
  readonly maxTransact: number;
  /** The negotiated dialect (Dialect.*): durable opens take the v2 contexts from 3.0 on. */
  readonly dialect: number;
  /** The share demands encryption (SMB2_SHAREFLAG_ENCRYPT_DATA): seal every request on it. */
  readonly encrypt: boolean;
  /** Every message on this tree travels sealed: `encrypt`, or the whole session is encrypted. */
  readonly sealed: boolean;
  /** What the server lets this session do on the share (MS-SMB2 2.2.10 MaximalAccess). */
  readonly maximalAccess?: number;
}

/** A request on this tree: its session, tree and sealing filled in (for chains sent at once). */
export function onTree(t: TreeContext, req: Omit<Smb2Request, 'sessionId' | 'treeId'>): Smb2Request {
  return { ...req, sessionId: t.sessionId, treeId: t.treeId, encrypt: t.encrypt };
}

export function treeCall(
  t: TreeContext,
  req: Omit<Smb2Request, 'sessionId' | 'treeId'>,
  accept: readonly number[] = [NtStatus.STATUS_SUCCESS],
): Promise<Smb2Response> {
  return t.conn.call(onTree(t, req), accept);
}
