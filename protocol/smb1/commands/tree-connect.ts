// SMB_COM_TREE_CONNECT_ANDX (MS-CIFS 2.2.4.55, MS-SMB 2.2.4.7).
// Request WordCount 4: AndX (4) Flags (2) PasswordLength (2); Bytes: Password, pad, Path (Unicode),
// Service (OEM: "?????" for any). Response WordCount 3 (CIFS) or 7 (MS-SMB extended):
//   AndX (4) OptionalSupport (2) [MaximalShareAccessRights (4) GuestMaximalShareAccessRights (4)];
//   Bytes: Service (OEM), NativeFileSystem.
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB_COM_NO_ANDX_COMMAND, SMB_FLAGS2_UNICODE } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readSingleAndX, readSmbString, unicodeZ } from '../message.js';

/** MS-SMB 2.2.4.7.1 Flags: ask for the extended response (maximal access rights). */
export const TREE_CONNECT_ANDX_EXTENDED_RESPONSE = 0x0008;
/** MS-CIFS 2.2.4.55.2 OptionalSupport. */
export const SMB_SUPPORT_SEARCH_BITS = 0x0001;
export const SMB_SHARE_IS_IN_DFS = 0x0002;

export function encodeTreeConnectRequest(path: string, service = '?????'): Buffer {
  const w = new ByteWriter(8);
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0).u16(TREE_CONNECT_ANDX_EXTENDED_RESPONSE).u16(1);
  // User-level security: the password is one zero byte (MS-CIFS 3.2.4.4). Path must start even.
  const password = Buffer.alloc(1);
  const pad = Buffer.alloc((bytesOffsetFor(4) + password.length) % 2);
  return encodeBlock(w.finish(), [password, pad, unicodeZ(path), Buffer.from(`${service}\0`, 'latin1')]);
}

export interface TreeConnectResponse {
  optionalSupport: number;
  maximalAccess: number | undefined;
  service: string;
  nativeFileSystem: string;
}

const STRUCTURE = 'SMB_COM_TREE_CONNECT_ANDX Response';

export function decodeTreeConnectResponse(msg: Buffer): TreeConnectResponse {
  const block = readSingleAndX(msg, STRUCTURE, [3, 7]);
  const optionalSupport = block.words.u16('OptionalSupport');
  const maximalAccess = block.wordCount === 7 ? block.words.u32('MaximalShareAccessRights') : undefined;
  const r = new ByteReader(msg, STRUCTURE, block.bytesOffset, block.end);
  // Service is always OEM (MS-CIFS 2.2.4.55.2); NativeFileSystem follows Flags2.
  const service = r.remaining > 0 ? readSmbString(r, false, 'Service') : '';
  const unicode = (msg.readUInt16LE(10) & SMB_FLAGS2_UNICODE) !== 0;
  const nativeFileSystem = r.remaining > 0 ? readSmbString(r, unicode, 'NativeFileSystem') : '';
  return { optionalSupport, maximalAccess, service, nativeFileSystem };
}
