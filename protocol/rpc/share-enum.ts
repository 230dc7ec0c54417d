// Lists the shares of a server over \PIPE\srvsvc: bind srvsvc, call NetrShareEnum level 1 (MS-SRVS 3.1.4.8).
// The caller (the SMB layer) opens the pipe on IPC$ and passes it in as an RpcPipe.
import { SmbError } from '../errors.js';
import { rpcBind, rpcCall, type RpcPipe } from './rpc-pipe.js';
import {
  decodeNetShareEnumAllResponse,
  shareTypeOf,
  encodeNetShareEnumAllRequest,
  OPNUM_NETR_SHARE_ENUM,
  SRVSVC_SYNTAX,
  werrorName,
} from './srvsvc.js';

export type { RpcPipe } from './rpc-pipe.js';

export interface ListedShare {
  name: string;
  /** The raw shi1_type (MS-SRVS 2.2.2.4); shareTypeOf(type) names it. */
  type: number;
  /** STYPE_SPECIAL or STYPE_TEMPORARY is set (IPC$, ADMIN$, C$, ...). */
  special: boolean;
  comment: string;
}

const OPERATION = 'NetShareEnumAll';

export async function listSharesOverPipe(pipe: RpcPipe, serverName: string): Promise<ListedShare[]> {
  const binding = await rpcBind(pipe, SRVSVC_SYNTAX);
  const stub = await rpcCall(binding, OPNUM_NETR_SHARE_ENUM, encodeNetShareEnumAllRequest(serverName), OPERATION);
  const res = decodeNetShareEnumAllResponse(stub);
  if (res.result !== 0) {
    throw new SmbError('status', `${OPERATION} failed: ${werrorName(res.result)}`, { operation: OPERATION });
  }
  return res.shares.map((s) => ({ name: s.name, type: s.type, special: shareTypeOf(s.type).special, comment: s.comment }));
}
