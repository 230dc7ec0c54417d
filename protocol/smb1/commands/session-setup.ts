// SMB_COM_SESSION_SETUP_ANDX in both forms:
// - extended security (MS-SMB 2.2.4.6): request WordCount 12
//     AndX (4) MaxBufferSize (2) MaxMpxCount (2) VcNumber (2) SessionKey (4) SecurityBlobLength (2)
//     Reserved (4) Capabilities (4); Bytes: SecurityBlob, pad, NativeOS, NativeLanMan
//   response WordCount 4: AndX (4) Action (2) SecurityBlobLength (2); Bytes: SecurityBlob, strings
// - challenge/response (MS-CIFS 2.2.4.53): request WordCount 13
//     AndX (4) MaxBufferSize (2) MaxMpxCount (2) VcNumber (2) SessionKey (4) OEMPasswordLen (2)
//     UnicodePasswordLen (2) Reserved (4) Capabilities (4); Bytes: OEMPassword, UnicodePassword,
//     pad, AccountName, PrimaryDomain, NativeOS, NativeLanMan
//   response WordCount 3: AndX (4) Action (2); Bytes: NativeOS, NativeLanMan, PrimaryDomain
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB_COM_NO_ANDX_COMMAND, SMB_FLAGS2_UNICODE } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readSingleAndX, readSmbString, unicodeZ } from '../message.js';

const NATIVE_OS = 'ShareKeeper';
const NATIVE_LANMAN = 'ShareKeeper';

export interface SessionSetupCommon {
  maxBufferSize: number;
  maxMpxCount: number;
  vcNumber: number;
  sessionKey: number;
  capabilities: number;
}

function andX(w: ByteWriter): void {
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0);
}

export function encodeSessionSetupExtendedRequest(c: SessionSetupCommon & { securityBlob: Buffer }): Buffer {
  const w = new ByteWriter(24);
  andX(w);
  w.u16(c.maxBufferSize).u16(c.maxMpxCount).u16(c.vcNumber).u32(c.sessionKey).u16(c.securityBlob.length).u32(0).u32(c.capabilities);
  const afterBlob = bytesOffsetFor(12) + c.securityBlob.length;
  const pad = Buffer.alloc(afterBlob % 2);
  return encodeBlock(w.finish(), [c.securityBlob, pad, unicodeZ(NATIVE_OS), unicodeZ(NATIVE_LANMAN)]);
}

export function encodeSessionSetupRequest(
  c: SessionSetupCommon & { oemPassword: Buffer; unicodePassword: Buffer; account: string; primaryDomain: string },
): Buffer {
  const w = new ByteWriter(26);
  andX(w);
  w.u16(c.maxBufferSize).u16(c.maxMpxCount).u16(c.vcNumber).u32(c.sessionKey);
  w.u16(c.oemPassword.length).u16(c.unicodePassword.length).u32(0).u32(c.capabilities);
  const afterPasswords = bytesOffsetFor(13) + c.oemPassword.length + c.unicodePassword.length;
  const pad = Buffer.alloc(afterPasswords % 2);
  return encodeBlock(w.finish(), [
    c.oemPassword,
    c.unicodePassword,
    pad,
    unicodeZ(c.account),
    unicodeZ(c.primaryDomain),
    unicodeZ(NATIVE_OS),
    unicodeZ(NATIVE_LANMAN),
  ]);
}

export interface SessionSetupResponse {
  action: number;
  securityBlob: Buffer;
  nativeOs: string;
  nativeLanMan: string;
}

const STRUCTURE = 'SMB_COM_SESSION_SETUP_ANDX Response';

/** Decodes either form; which one is told by WordCount (4: extended security, 3: not). */
export function decodeSessionSetupResponse(msg: Buffer): SessionSetupResponse {
  const block = readSingleAndX(msg, STRUCTURE, [3, 4]);
  const action = block.words.u16('Action');
  const blobLength = block.wordCount === 4 ? block.words.u16('SecurityBlobLength') : 0;
  const r = new ByteReader(msg, STRUCTURE, block.bytesOffset, block.end);
  if (blobLength > r.remaining) throw new MalformedMessageError(STRUCTURE, 'SecurityBlobLength', `${blobLength} > ${r.remaining} bytes`);
  const securityBlob = Buffer.from(r.bytes(blobLength, 'SecurityBlob'));
  const unicode = (msg.readUInt16LE(10) & SMB_FLAGS2_UNICODE) !== 0;
  const nativeOs = r.remaining > 0 ? readSmbString(r, unicode, 'NativeOS') : '';
  const nativeLanMan = r.remaining > 0 ? readSmbString(r, unicode, 'NativeLanMan') : '';
  return { action, securityBlob, nativeOs, nativeLanMan };
}
