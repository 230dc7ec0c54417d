// The 16-byte common header every connection-oriented DCE/RPC PDU starts with (C706 12.6.3.1, as extended by MS-RPCE 2.2.2).
// We only speak little-endian NDR with ASCII characters and IEEE floats, which is what every SMB server sends.
import { MalformedMessageError, SmbError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import type { ByteWriter } from '../wire/byte-writer.js';

export const RPC_VERS = 5;
export const RPC_VERS_MINOR = 0;

/** PDU types (C706 12.6.3.1 table "RPC Protocol Data Units", connection-oriented subset). */
export const PTYPE = {
  request: 0,
  response: 2,
  fault: 3,
  bind: 11,
  bind_ack: 12,
  bind_nak: 13,
  alter_context: 14,
  alter_context_resp: 15,
  shutdown: 17,
  co_cancel: 18,
  orphaned: 19,
} as const;

/** pfc_flags (C706 12.6.3.1). */
export const PFC_FIRST_FRAG = 0x01;
export const PFC_LAST_FRAG = 0x02;
export const PFC_PENDING_CANCEL = 0x04;
export const PFC_CONC_MPX = 0x10;
export const PFC_DID_NOT_EXECUTE = 0x20;
export const PFC_MAYBE = 0x40;
export const PFC_OBJECT_UUID = 0x80;

/** packed_drep: little-endian integers, ASCII characters, IEEE floats (C706 14.1 data representation format label). */
export const DREP_LE_ASCII_IEEE = Buffer.from([0x10, 0x00, 0x00, 0x00]);

export const COMMON_HEADER_SIZE = 16;
/** Offset of frag_length inside the header; a stream reader needs this many bytes to size a PDU. */
const FRAG_LENGTH_END = 10;
/** The size of an auth verifier's sec_trailer (MS-RPCE 2.2.2.11), which precedes auth_length bytes of token. */
export const SEC_TRAILER_SIZE = 8;

export interface CommonHeader {
  ptype: number;
  pfcFlags: number;
  fragLength: number;
  authLength: number;
  callId: number;
}

export function writeCommonHeader(w: ByteWriter, h: CommonHeader): void {
  w.u8(RPC_VERS).u8(RPC_VERS_MINOR).u8(h.ptype).u8(h.pfcFlags);
  w.bytes(DREP_LE_ASCII_IEEE);
  w.u16(h.fragLength).u16(h.authLength).u32(h.callId);
}

function checkVersion(structure: string, vers: number, minor: number): void {
  if (vers !== RPC_VERS) throw new MalformedMessageError(structure, 'rpc_vers', `expected 5, got ${vers}`);
  // MS-RPCE 3.3.1.5.1: minor version 0 and 1 are both in use.
  if (minor > 1) throw new MalformedMessageError(structure, 'rpc_vers_minor', `expected 0 or 1, got ${minor}`);
}

/**
 * Reads and checks a common header from the start of `buf`. frag_length must cover at least the header
 * and fit in `buf`; bytes after frag_length are not part of this PDU.
 */
export function readCommonHeader(buf: Buffer, structure: string): { header: CommonHeader; reader: ByteReader } {
  const r = new ByteReader(buf, structure);
  checkVersion(structure, r.u8('rpc_vers'), r.u8('rpc_vers_minor'));
  const ptype = r.u8('PTYPE');
  const pfcFlags = r.u8('pfc_flags');
  const drep = r.bytes(4, 'packed_drep');
  if ((drep[0] ?? 0) >> 4 !== 1) {
    throw new SmbError('unsupported', `${structure}: big-endian NDR data representation is not supported`, { command: structure });
  }
  if (((drep[0] ?? 0) & 0x0f) !== 0 || drep[1] !== 0) {
    throw new SmbError('unsupported', `${structure}: only ASCII/IEEE data representation is supported`, { command: structure });
  }
  const fragLength = r.u16('frag_length');
  const authLength = r.u16('auth_length');
  const callId = r.u32('call_id');
  if (fragLength < COMMON_HEADER_SIZE || fragLength > buf.length) {
    throw new MalformedMessageError(structure, 'frag_length', `${fragLength} outside ${COMMON_HEADER_SIZE}..${buf.length}`);
  }
  return {
    header: { ptype, pfcFlags, fragLength, authLength, callId },
    reader: new ByteReader(buf, structure, COMMON_HEADER_SIZE, fragLength),
  };
}

/**
 * For a byte stream (a pipe read may hold part of a PDU, or several): the length of the PDU starting at
 * `buf[0]`, or undefined if not enough bytes have arrived to know it.
 */
export function peekFragLength(buf: Buffer): number | undefined {
  if (buf.length < FRAG_LENGTH_END) return undefined;
  checkVersion('rpc header', buf.readUInt8(0), buf.readUInt8(1));
  const fragLength = buf.readUInt16LE(8);
  if (fragLength < COMMON_HEADER_SIZE) {
    throw new MalformedMessageError('rpc header', 'frag_length', `${fragLength} shorter than the header`);
  }
  return fragLength;
}

/**
 * The end of the stub data in a PDU that may carry an auth verifier: frag_length minus the token, the
 * sec_trailer and the auth padding the trailer declares (MS-RPCE 2.2.2.11).
 */
export function stubEnd(buf: Buffer, header: CommonHeader, stubStart: number, structure: string): number {
  if (header.authLength === 0) return header.fragLength;
  const trailerAt = header.fragLength - header.authLength - SEC_TRAILER_SIZE;
  if (trailerAt < stubStart) {
    throw new MalformedMessageError(structure, 'auth_length', `${header.authLength} leaves no room for the sec_trailer`);
  }
  const authPad = buf.readUInt8(trailerAt + 2); // sec_trailer: auth_type, auth_level, auth_pad_length, ...
  const end = trailerAt - authPad;
  if (end < stubStart) throw new MalformedMessageError(structure, 'auth_pad_length', `${authPad} runs into the header`);
  return end;
}
