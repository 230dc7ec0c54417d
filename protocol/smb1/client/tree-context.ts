// What every operation on an SMB1 tree needs: the connection, the UID and TID in the header,
// what NEGOTIATE settled, the limits; and the path form SMB1 wants (MS-CIFS 2.2.1.1.1: relative to
// the share, starting with a backslash).
import { SmbError } from '../../errors.js';
import { toSmbPath } from '../../client/smb-path.js';
import type { Smb1Connection, Smb1Request, Smb1Response } from '../connection.js';
import type { Smb1Negotiated } from '../negotiate-exchange.js';
import { Smb1Command, smb1CommandName } from '../constants.js';
import { TransAnswer, encodeTransRequest, type TransResult } from '../commands/transaction.js';

export interface Smb1TreeContext {
  readonly conn: Smb1Connection;
  readonly uid: number;
  readonly tid: number;
  readonly share: string;
  readonly neg: Smb1Negotiated;
}

export function treeCall(t: Smb1TreeContext, req: Omit<Smb1Request, 'uid' | 'tid'>, accept: readonly number[] = [0]): Promise<Smb1Response> {
  return t.conn.call({ ...req, uid: t.uid, tid: t.tid }, accept);
}

/** `\dir\file` for a share-relative path given with either separator; `\` for the root. */
export function smb1Path(path: string): string {
  return `\\${toSmbPath(path)}`;
}

/** `\share\path` for messages: what a user would type. */
export function display(t: Smb1TreeContext, path: string): string {
  return `\\${t.share}${smb1Path(path) === '\\' ? '' : smb1Path(path)}`;
}

export interface TransCall {
  command: typeof Smb1Command.TRANSACTION | typeof Smb1Command.TRANSACTION2;
  setup: readonly number[];
  name?: string;
  params: Buffer;
  data?: Buffer;
  maxParameterCount: number;
  maxDataCount: number;
  operation: string;
  path?: string;
}

/** The largest TRANS/TRANS2 answer we ask for: what the 16-bit MaxDataCount can say. */
export const MAX_TRANS_DATA = 0xfff0;

/** One transaction: request, then every message of the answer put together (MS-CIFS 3.2.4.1.5). */
export async function transact(t: Smb1TreeContext, c: TransCall, accept: readonly number[] = [0]): Promise<TransResult & { status: number }> {
  const structure = `${smb1CommandName(c.command)} Response`;
  const answer = new TransAnswer(structure, c.maxParameterCount, c.maxDataCount);
  const res = await treeCall(
    t,
    {
      command: c.command,
      body: [encodeTransRequest({ ...c, data: c.data ?? Buffer.alloc(0) })],
      complete: (msg) => answer.push(msg),
      operation: c.operation,
      ...(c.path === undefined ? {} : { path: c.path }),
    },
    accept,
  );
  // An (accepted) error answer carries no transaction words.
  if (!answer.started) return { setup: [], params: Buffer.alloc(0), data: Buffer.alloc(0), status: res.status };
  return { ...answer.result(), status: res.status };
}

export function unsupported(what: string): SmbError {
  return new SmbError('unsupported', `this SMB1 server cannot ${what}`);
}
