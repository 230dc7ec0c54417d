// MS-SMB2 2.2.9 SMB2 TREE_CONNECT Request and 2.2.10 SMB2 TREE_CONNECT Response.
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter, utf16Length } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { bodyReader, bufferView, checkU16 } from './body.js';

const REQUEST = 'TREE_CONNECT request';
const RESPONSE = 'TREE_CONNECT response';

export const SMB2_TREE_CONNECT_REQUEST_STRUCTURE_SIZE = 9;
export const SMB2_TREE_CONNECT_RESPONSE_STRUCTURE_SIZE = 16;
const REQUEST_FIXED = 8;

/** 2.2.9: Flags (3.1.1). */
export const SMB2_TREE_CONNECT_FLAG_CLUSTER_RECONNECT = 0x0001;
export const SMB2_TREE_CONNECT_FLAG_REDIRECT_TO_OWNER = 0x0002;
export const SMB2_TREE_CONNECT_FLAG_EXTENSION_PRESENT = 0x0004;

/** 2.2.10: ShareFlags (SMB2_SHAREFLAG_ENCRYPT_DATA is in ../constants.ts). */
export const SMB2_SHAREFLAG_MANUAL_CACHING = 0x00000000;
export const SMB2_SHAREFLAG_AUTO_CACHING = 0x00000010;
export const SMB2_SHAREFLAG_VDO_CACHING = 0x00000020;
export const SMB2_SHAREFLAG_NO_CACHING = 0x00000030;
export const SMB2_SHAREFLAG_DFS = 0x00000001;
export const SMB2_SHAREFLAG_DFS_ROOT = 0x00000002;
export const SMB2_SHAREFLAG_RESTRICT_EXCLUSIVE_OPENS = 0x00000100;
export const SMB2_SHAREFLAG_FORCE_SHARED_DELETE = 0x00000200;
export const SMB2_SHAREFLAG_ALLOW_NAMESPACE_CACHING = 0x00000400;
export const SMB2_SHAREFLAG_ACCESS_BASED_DIRECTORY_ENUM = 0x00000800;
export const SMB2_SHAREFLAG_FORCE_LEVELII_OPLOCK = 0x00001000;
export const SMB2_SHAREFLAG_ENABLE_HASH_V1 = 0x00002000;
export const SMB2_SHAREFLAG_ENABLE_HASH_V2 = 0x00004000;
export const SMB2_SHAREFLAG_IDENTITY_REMOTING = 0x00040000;
export const SMB2_SHAREFLAG_COMPRESS_DATA = 0x00100000;
export const SMB2_SHAREFLAG_ISOLATED_TRANSPORT = 0x00200000;

/** 2.2.10: Capabilities. */
export const SMB2_SHARE_CAP_DFS = 0x00000008;
export const SMB2_SHARE_CAP_CONTINUOUS_AVAILABILITY = 0x00000010;
export const SMB2_SHARE_CAP_SCALEOUT = 0x00000020;
export const SMB2_SHARE_CAP_CLUSTER = 0x00000040;
export const SMB2_SHARE_CAP_ASYMMETRIC = 0x00000080;
export const SMB2_SHARE_CAP_REDIRECT_TO_OWNER = 0x00000100;

export interface TreeConnectRequest {
  /** `\\server\share`, sent as UTF-16LE. */
  path: string;
  flags?: number;
}

export interface TreeConnectResponse {
  shareType: number;
  shareFlags: number;
  capabilities: number;
  maximalAccess: number;
}

export function encodeTreeConnectRequest(req: TreeConnectRequest): Buffer {
  const pathLength = utf16Length(req.path);
  checkU16(pathLength, REQUEST, 'PathLength');
  const w = new ByteWriter(REQUEST_FIXED + Math.max(pathLength, 1));
  w.u16(SMB2_TREE_CONNECT_REQUEST_STRUCTURE_SIZE).u16(req.flags ?? 0);
  w.u16(SMB2_HEADER_SIZE + REQUEST_FIXED).u16(pathLength);
  if (pathLength > 0) w.utf16(req.path);
  else w.u8(0);
  return w.finish();
}

export function decodeTreeConnectResponse(msg: Buffer): TreeConnectResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_TREE_CONNECT_RESPONSE_STRUCTURE_SIZE);
  const shareType = r.u8('ShareType');
  r.skip(1, 'Reserved');
  const shareFlags = r.u32('ShareFlags');
  const capabilities = r.u32('Capabilities');
  const maximalAccess = r.u32('MaximalAccess');
  return { shareType, shareFlags, capabilities, maximalAccess };
}

export function decodeTreeConnectRequest(msg: Buffer): Required<TreeConnectRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_TREE_CONNECT_REQUEST_STRUCTURE_SIZE);
  const flags = r.u16('Flags');
  const offset = r.u16('PathOffset');
  const length = r.u16('PathLength');
  const path = bufferView(r, offset, length, SMB2_HEADER_SIZE + REQUEST_FIXED, 'PathName');
  if (length % 2 !== 0) throw new MalformedMessageError(REQUEST, 'PathLength', `odd UTF-16 length ${length}`);
  return { flags, path: path.toString('utf16le') };
}

export function encodeTreeConnectResponse(res: TreeConnectResponse): Buffer {
  const w = new ByteWriter(16);
  w.u16(SMB2_TREE_CONNECT_RESPONSE_STRUCTURE_SIZE).u8(res.shareType).u8(0);
  return w.u32(res.shareFlags).u32(res.capabilities).u32(res.maximalAccess).finish();
}
