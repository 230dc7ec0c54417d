// SMB_COM_NEGOTIATE (MS-CIFS 2.2.4.52, with the MS-SMB 2.2.4.5 extended-security response).
// Request: WordCount 0; Bytes: one 0x02 (dialect buffer format) + null-terminated OEM string per
// dialect. NT LM 0.12 response: WordCount 0x11:
//   DialectIndex (2) SecurityMode (1) MaxMpxCount (2) MaxNumberVcs (2) MaxBufferSize (4)
//   MaxRawSize (4) SessionKey (4) Capabilities (4) SystemTime (8) ServerTimeZone (2)
//   ChallengeLength (1)
// Bytes: with CAP_EXTENDED_SECURITY, ServerGUID (16) and the SPNEGO SecurityBlob; without it, the
// Challenge (ChallengeLength bytes) and the DomainName (and, per MS-SMB, ServerName).
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { CAP_EXTENDED_SECURITY, SMB1_HEADER_SIZE, SMB_FLAGS2_UNICODE, Smb1Command } from '../constants.js';
import { encodeHeader } from '../header.js';
import { encodeBlock, readBlock, readSmbString } from '../message.js';

const STRUCTURE = 'SMB_COM_NEGOTIATE Response';
const DIALECT_BUFFER_FORMAT = 0x02;
/** DialectIndex 0xFFFF: the server accepts none of the dialects offered. */
export const NO_DIALECT = 0xffff;

export function encodeNegotiateRequest(dialects: readonly string[]): Buffer {
  const bytes = dialects.map((d) => Buffer.concat([Buffer.from([DIALECT_BUFFER_FORMAT]), Buffer.from(`${d}\0`, 'latin1')]));
  return encodeBlock(Buffer.alloc(0), bytes);
}

/** The whole NEGOTIATE message: it goes out before any connection state exists (MID 0). */
export function encodeNegotiateMessage(dialects: readonly string[], flags2: number, pid: number): Buffer {
  const header = encodeHeader({ command: Smb1Command.NEGOTIATE, status: 0, flags: 0x18, flags2, pid, tid: 0, uid: 0, mid: 0 });
  return Buffer.concat([header, encodeNegotiateRequest(dialects)]);
}

export interface NegotiateResponse {
  dialectIndex: number;
  securityMode: number;
  maxMpxCount: number;
  maxNumberVcs: number;
  maxBufferSize: number;
  maxRawSize: number;
  sessionKey: number;
  capabilities: number;
  systemTime: bigint;
  /** Minutes to add to the server's local time to get UTC (MS-CIFS 2.2.4.52.2 ServerTimeZone). */
  serverTimeZone: number;
  /** Non-extended security: the 8-byte challenge for LM/NTLM responses. */
  challenge: Buffer;
  domainName: string;
  /** Extended security only. */
  serverGuid: Buffer | undefined;
  securityBlob: Buffer;
}

/** Decodes an NT LM 0.12 answer. `flags2` of the response says whether strings are Unicode. */
export function decodeNegotiateResponse(msg: Buffer): NegotiateResponse {
  if (msg.length < SMB1_HEADER_SIZE) throw new MalformedMessageError(STRUCTURE, 'header', `${msg.length} bytes`);
  const block = readBlock(msg, SMB1_HEADER_SIZE, STRUCTURE);
  const w = block.words;
  const dialectIndex = w.u16('DialectIndex');
  if (dialectIndex === NO_DIALECT) return noDialect();
  if (block.wordCount !== 0x11) throw new MalformedMessageError(STRUCTURE, 'WordCount', `0x${block.wordCount.toString(16)} (not an NT LM 0.12 answer)`);
  const securityMode = w.u8('SecurityMode');
  const maxMpxCount = w.u16('MaxMpxCount');
  const maxNumberVcs = w.u16('MaxNumberVcs');
  const maxBufferSize = w.u32('MaxBufferSize');
  const maxRawSize = w.u32('MaxRawSize');
  const sessionKey = w.u32('SessionKey');
  const capabilities = w.u32('Capabilities') >>> 0;
  const systemTime = w.u64('SystemTime');
  const tz = w.u16('ServerTimeZone');
  const challengeLength = w.u8('ChallengeLength');
  const r = new ByteReader(msg, STRUCTURE, block.bytesOffset, block.end);
  const base = { dialectIndex, securityMode, maxMpxCount, maxNumberVcs, maxBufferSize, maxRawSize, sessionKey, capabilities, systemTime, serverTimeZone: tz >= 0x8000 ? tz - 0x10000 : tz };
  if (capabilities & CAP_EXTENDED_SECURITY) {
    const serverGuid = Buffer.from(r.bytes(16, 'ServerGUID'));
    return { ...base, challenge: Buffer.alloc(0), domainName: '', serverGuid, securityBlob: Buffer.from(r.bytes(r.remaining, 'SecurityBlob')) };
  }
  if (challengeLength !== 0 && challengeLength !== 8) throw new MalformedMessageError(STRUCTURE, 'ChallengeLength', `${challengeLength}, expected 8`);
  const challenge = Buffer.from(r.bytes(challengeLength, 'Challenge'));
  const unicode = (msg.readUInt16LE(10) & SMB_FLAGS2_UNICODE) !== 0;
  const domainName = r.remaining > 0 ? readSmbString(r, unicode, 'DomainName') : '';
  return { ...base, challenge, domainName, serverGuid: undefined, securityBlob: Buffer.alloc(0) };
}

function noDialect(): NegotiateResponse {
  return {
    dialectIndex: NO_DIALECT,
    securityMode: 0,
    maxMpxCount: 0,
    maxNumberVcs: 0,
    maxBufferSize: 0,
    maxRawSize: 0,
    sessionKey: 0,
    capabilities: 0,
    systemTime: 0n,
    serverTimeZone: 0,
    challenge: Buffer.alloc(0),
    domainName: '',
    serverGuid: undefined,
    securityBlob: Buffer.alloc(0),
  };
}
