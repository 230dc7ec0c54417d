// NTLM messages (MS-NLMP 2.2.1.1 NEGOTIATE, 2.2.1.2 CHALLENGE, 2.2.1.3 AUTHENTICATE). Little-endian;
// variable fields are (Len u16, MaxLen u16, BufferOffset u32) descriptors into a payload that follows
// the fixed header.
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter } from '../wire/byte-writer.js';

/** MS-NLMP 2.2.2.5 NEGOTIATE flags. */
export const NtlmFlag = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  DATAGRAM: 0x00000040,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  OEM_DOMAIN_SUPPLIED: 0x00001000,
  OEM_WORKSTATION_SUPPLIED: 0x00002000,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  IDENTIFY: 0x00100000,
  REQUEST_NON_NT_SESSION_KEY: 0x00400000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

export const NTLMSSP_SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
export const NtlmMessageType = { NEGOTIATE: 1, CHALLENGE: 2, AUTHENTICATE: 3 } as const;

/** MS-NLMP 2.2.2.10 VERSION: 8 bytes, NTLMRevisionCurrent = 0x0F. Reports Windows 10.0 build 19041. */
export const DEFAULT_VERSION = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 0x0f]);

const NEGOTIATE_HEADER = 40; // 2.2.1.1 with Version
const AUTH_HEADER_NO_MIC = 72; // 2.2.1.3 up to and including Version
const MIC_LENGTH = 16;

function writeFields(w: ByteWriter, length: number, offset: number): void {
  w.u16(length).u16(length).u32(offset);
}

/** MS-NLMP 2.2.1.1: no domain or workstation supplied, so both fields are empty. */
export function encodeNegotiateMessage(flags: number, version: Buffer = DEFAULT_VERSION): Buffer {
  const w = new ByteWriter(NEGOTIATE_HEADER);
  w.bytes(NTLMSSP_SIGNATURE).u32(NtlmMessageType.NEGOTIATE).u32(flags);
  writeFields(w, 0, NEGOTIATE_HEADER); // DomainNameFields
  writeFields(w, 0, NEGOTIATE_HEADER); // WorkstationFields
  w.bytes(version);
  return w.finish();
}

export interface ChallengeMessage {
  flags: number;
  serverChallenge: Buffer;
  targetName: Buffer;
  targetInfo: Buffer;
  version: Buffer | undefined;
}

function readField(r: ByteReader, field: string): Buffer {
  const len = r.u16(`${field}Len`);
  r.u16(`${field}MaxLen`);
  const offset = r.u32(`${field}BufferOffset`);
  return len === 0 ? Buffer.alloc(0) : r.slice(offset, len, field);
}

function readHeader(r: ByteReader, type: number): void {
  const sig = r.bytes(8, 'Signature');
  if (!sig.equals(NTLMSSP_SIGNATURE)) throw new MalformedMessageError(r.structure, 'Signature', 'not NTLMSSP');
  const got = r.u32('MessageType');
  if (got !== type) throw new MalformedMessageError(r.structure, 'MessageType', `expected ${type}, got ${got}`);
}

/** MS-NLMP 2.2.1.2. */
export function decodeChallengeMessage(buf: Buffer): ChallengeMessage {
  const r = new ByteReader(buf, 'NTLM CHALLENGE_MESSAGE');
  readHeader(r, NtlmMessageType.CHALLENGE);
  const targetName = readField(r, 'TargetName');
  const flags = r.u32('NegotiateFlags');
  const serverChallenge = r.bytes(8, 'ServerChallenge');
  r.skip(8, 'Reserved');
  // Older servers stop after Reserved; TargetInfo and Version are present when the header reaches them.
  let targetInfo: Buffer = Buffer.alloc(0);
  let version: Buffer | undefined;
  if (r.remaining >= 8 && flags & NtlmFlag.TARGET_INFO) targetInfo = readField(r, 'TargetInfo');
  else if (r.remaining >= 8) r.skip(8, 'TargetInfoFields');
  if (flags & NtlmFlag.VERSION && r.remaining >= 8) version = r.bytes(8, 'Version');
  return { flags: flags >>> 0, serverChallenge, targetName, targetInfo, version };
}

export interface AuthenticateFields {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
  version: Buffer;
  /** Reserve the 16-byte MIC field after Version (MS-NLMP 2.2.1.3); it is left zero. */
  withMic: boolean;
}

/**
 * MS-NLMP 2.2.1.3 with Unicode strings. Payload order (domain, user, workstation, LM, NT, session key)
 * is the one the 4.2.4.3 example uses. Returns the message and the MIC offset (or -1).
 */
export function encodeAuthenticateMessage(a: AuthenticateFields): { message: Buffer; micOffset: number } {
  const header = AUTH_HEADER_NO_MIC + (a.withMic ? MIC_LENGTH : 0);
  const domain = Buffer.from(a.domain, 'utf16le');
  const user = Buffer.from(a.user, 'utf16le');
  const workstation = Buffer.from(a.workstation, 'utf16le');
  const payload = [domain, user, workstation, a.lmChallengeResponse, a.ntChallengeResponse, a.encryptedRandomSessionKey];
  const offsets: number[] = [];
  let at = header;
  for (const p of payload) {
    offsets.push(at);
    at += p.length;
  }
  const off = (i: number): number => offsets[i] ?? header;
  const w = new ByteWriter(at);
  w.bytes(NTLMSSP_SIGNATURE).u32(NtlmMessageType.AUTHENTICATE);
  writeFields(w, a.lmChallengeResponse.length, off(3));
  writeFields(w, a.ntChallengeResponse.length, off(4));
  writeFields(w, domain.length, off(0));
  writeFields(w, user.length, off(1));
  writeFields(w, workstation.length, off(2));
  writeFields(w, a.encryptedRandomSessionKey.length, off(5));
  w.u32(a.flags).bytes(a.version);
  if (a.withMic) w.zeros(MIC_LENGTH);
  for (const p of payload) w.bytes(p);
  return { message: w.finish(), micOffset: a.withMic ? AUTH_HEADER_NO_MIC : -1 };
}

export interface DecodedAuthenticate {
  flags: number;
  lmChallengeResponse: Buffer;
  ntChallengeResponse: Buffer;
  domain: string;
  user: string;
  workstation: string;
  encryptedRandomSessionKey: Buffer;
}

/** MS-NLMP 2.2.1.3 (Unicode). The client never receives one; tests and tools read ours back. */
export function decodeAuthenticateMessage(buf: Buffer): DecodedAuthenticate {
  const r = new ByteReader(buf, 'NTLM AUTHENTICATE_MESSAGE');
  readHeader(r, NtlmMessageType.AUTHENTICATE);
  const lm = readField(r, 'LmChallengeResponse');
  const nt = readField(r, 'NtChallengeResponse');
  const domain = readField(r, 'DomainName');
  const user = readField(r, 'UserName');
  const workstation = readField(r, 'Workstation');
  const key = readField(r, 'EncryptedRandomSessionKey');
  const flags = r.u32('NegotiateFlags') >>> 0;
  const text = (b: Buffer, field: string): string => new ByteReader(b, r.structure).utf16(b.length, field);
  return {
    flags,
    lmChallengeResponse: lm,
    ntChallengeResponse: nt,
    domain: text(domain, 'DomainName'),
    user: text(user, 'UserName'),
    workstation: text(workstation, 'Workstation'),
    encryptedRandomSessionKey: key,
  };
}
