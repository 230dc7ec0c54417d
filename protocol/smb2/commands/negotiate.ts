// MS-SMB2 2.2.3 SMB2 NEGOTIATE Request, 2.2.4 SMB2 NEGOTIATE Response, 2.2.3.1 negotiate contexts (3.1.1).
import { randomBytes } from 'node:crypto';
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { Dialect, SMB2_HEADER_SIZE } from '../constants.js';
import { align8, bodyReader, bufferView, checkU16 } from './body.js';

const REQUEST = 'NEGOTIATE request';
const RESPONSE = 'NEGOTIATE response';

export const SMB2_NEGOTIATE_REQUEST_STRUCTURE_SIZE = 36;
export const SMB2_NEGOTIATE_RESPONSE_STRUCTURE_SIZE = 65;
const REQUEST_FIXED = 36;
const RESPONSE_FIXED = 64;

/** 2.2.3.1: ContextType values. */
export const SMB2_PREAUTH_INTEGRITY_CAPABILITIES = 0x0001;
export const SMB2_ENCRYPTION_CAPABILITIES = 0x0002;
export const SMB2_COMPRESSION_CAPABILITIES = 0x0003;
export const SMB2_NETNAME_NEGOTIATE_CONTEXT_ID = 0x0005;
export const SMB2_TRANSPORT_CAPABILITIES = 0x0006;
export const SMB2_RDMA_TRANSFORM_CAPABILITIES = 0x0007;
export const SMB2_SIGNING_CAPABILITIES = 0x0008;

/** 2.2.3.1.1: HashAlgorithms. */
export const SHA_512 = 0x0001;
/** 2.2.3.1.2: Ciphers. */
export const AES_128_CCM = 0x0001;
export const AES_128_GCM = 0x0002;
export const AES_256_CCM = 0x0003;
export const AES_256_GCM = 0x0004;
/** 2.2.3.1.7: SigningAlgorithms. */
export const HMAC_SHA256 = 0x0000;
export const AES_CMAC = 0x0001;
export const AES_GMAC = 0x0002;

/** 3.2.4.2.2.2: the client picks a 32-byte salt. */
export const PREAUTH_SALT_LENGTH = 32;

export interface NegotiateContext {
  type: number;
  data: Buffer;
}

export interface NegotiateRequest {
  dialects: number[];
  securityMode: number;
  capabilities: number;
  clientGuid: Buffer;
  /** 3.1.1 only; a random 32-byte salt is drawn when absent. */
  preauthSalt?: Buffer;
  ciphers?: number[];
  signingAlgorithms?: number[];
  /** Further contexts sent as is after the ones above (NETNAME, POSIX, ...). */
  extraContexts?: NegotiateContext[];
}

export interface NegotiateResponse {
  securityMode: number;
  dialect: number;
  serverGuid: Buffer;
  capabilities: number;
  maxTransactSize: number;
  maxReadSize: number;
  maxWriteSize: number;
  systemTime: bigint;
  serverStartTime: bigint;
  securityBuffer: Buffer;
  preauthHashAlgorithm?: number;
  preauthSalt?: Buffer;
  /** 0 when the server found no common cipher (2.2.3.1.2). */
  cipher?: number;
  signingAlgorithm?: number;
  contexts: NegotiateContext[];
}

function u16List(values: number[]): Buffer {
  const w = new ByteWriter(2 + values.length * 2);
  w.u16(values.length);
  for (const v of values) w.u16(v);
  return w.finish();
}

/** 2.2.3.1.1 SMB2_PREAUTH_INTEGRITY_CAPABILITIES data. */
export function encodePreauthIntegrityCapabilities(hashAlgorithms: number[], salt: Buffer): Buffer {
  const w = new ByteWriter(4 + hashAlgorithms.length * 2 + salt.length);
  w.u16(hashAlgorithms.length).u16(salt.length);
  for (const a of hashAlgorithms) w.u16(a);
  return w.bytes(salt).finish();
}

function requestContexts(req: NegotiateRequest): NegotiateContext[] {
  if (!req.dialects.includes(Dialect.SMB3_11)) return [];
  const salt = req.preauthSalt ?? randomBytes(PREAUTH_SALT_LENGTH);
  const contexts: NegotiateContext[] = [
    { type: SMB2_PREAUTH_INTEGRITY_CAPABILITIES, data: encodePreauthIntegrityCapabilities([SHA_512], salt) },
  ];
  if (req.ciphers && req.ciphers.length > 0) {
    contexts.push({ type: SMB2_ENCRYPTION_CAPABILITIES, data: u16List(req.ciphers) });
  }
  if (req.signingAlgorithms && req.signingAlgorithms.length > 0) {
    contexts.push({ type: SMB2_SIGNING_CAPABILITIES, data: u16List(req.signingAlgorithms) });
  }
  return contexts.concat(req.extraContexts ?? []);
}

/** Size of a context list starting at an 8-aligned offset: 8-byte headers, padding between contexts, none after. */
function contextListLength(contexts: NegotiateContext[]): number {
  let n = 0;
  contexts.forEach((c, i) => {
    n += 8 + c.data.length;
    if (i < contexts.length - 1) n = align8(n);
  });
  return n;
}

function writeContexts(w: ByteWriter, contexts: NegotiateContext[], structure: string): void {
  contexts.forEach((c, i) => {
    checkU16(c.data.length, structure, 'DataLength');
    w.u16(c.type).u16(c.data.length).u32(0).bytes(c.data);
    if (i < contexts.length - 1) w.align(8);
  });
}

export function encodeNegotiateRequest(req: NegotiateRequest): Buffer {
  if (req.clientGuid.length !== 16) throw new RangeError(`${REQUEST}: ClientGuid must be 16 bytes`);
  if (req.dialects.length === 0) throw new RangeError(`${REQUEST}: no dialects`);
  checkU16(req.dialects.length, REQUEST, 'DialectCount');
  const contexts = requestContexts(req);
  const dialectsEnd = REQUEST_FIXED + req.dialects.length * 2;
  // Offsets count from the header; the body starts at 64, itself a multiple of 8, so aligning within the body
  // aligns from the header too.
  const contextsAt = contexts.length > 0 ? align8(dialectsEnd) : dialectsEnd;
  const w = new ByteWriter(contextsAt + contextListLength(contexts));
  w.u16(SMB2_NEGOTIATE_REQUEST_STRUCTURE_SIZE).u16(req.dialects.length).u16(req.securityMode).u16(0);
  w.u32(req.capabilities).bytes(req.clientGuid);
  if (contexts.length > 0) {
    w.u32(SMB2_HEADER_SIZE + contextsAt).u16(contexts.length).u16(0); // NegotiateContextOffset/Count, Reserved2
  } else {
    w.u64(0n); // ClientStartTime: MUST be 0 (2.2.3)
  }
  for (const d of req.dialects) w.u16(d);
  if (contexts.length > 0) w.align(8);
  writeContexts(w, contexts, REQUEST);
  return w.finish();
}

/** Walks `count` contexts from `offset` (from the header), each 8-byte aligned (2.2.3.1). */
function decodeContexts(r: ByteReader, offset: number, count: number, minOffset: number): NegotiateContext[] {
  if (count > 0 && offset < minOffset) {
    throw new MalformedMessageError(r.structure, 'NegotiateContextOffset', `${offset} inside the fixed part`);
  }
  const contexts: NegotiateContext[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at % 8 !== 0) throw new MalformedMessageError(r.structure, 'NegotiateContext', `offset ${at} not 8-byte aligned`);
    r.seek(at, 'NegotiateContext');
    const type = r.u16('ContextType');
    const length = r.u16('DataLength');
    r.skip(4, 'Reserved');
    contexts.push({ type, data: r.bytes(length, 'Data') });
    at = align8(r.offset);
  }
  return contexts;
}

function u16ListFrom(data: Buffer, structure: string, field: string): number[] {
  const r = new ByteReader(data, structure);
  const count = r.u16(`${field}Count`);
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(r.u16(field));
  return values;
}

/** Picks the one value a server context must carry (2.2.4: "MUST be 1"). */
function single(values: number[], structure: string, field: string): number {
  const [v] = values;
  if (values.length !== 1 || v === undefined) {
    throw new MalformedMessageError(structure, field, `server sent ${values.length} values, expected 1`);
  }
  return v;
}

function applyContexts(res: NegotiateResponse, structure: string): void {
  const preauth = res.contexts.filter((c) => c.type === SMB2_PREAUTH_INTEGRITY_CAPABILITIES);
  if (preauth.length !== 1 || !preauth[0]) {
    throw new MalformedMessageError(structure, 'SMB2_PREAUTH_INTEGRITY_CAPABILITIES', `${preauth.length} contexts, expected 1`);
  }
  const r = new ByteReader(preauth[0].data, structure);
  const hashCount = r.u16('HashAlgorithmCount');
  const saltLength = r.u16('SaltLength');
  const hashes: number[] = [];
  for (let i = 0; i < hashCount; i++) hashes.push(r.u16('HashAlgorithms'));
  res.preauthHashAlgorithm = single(hashes, structure, 'HashAlgorithmCount');
  res.preauthSalt = r.bytes(saltLength, 'Salt');
  for (const c of res.contexts) {
    if (c.type === SMB2_ENCRYPTION_CAPABILITIES) {
      res.cipher = single(u16ListFrom(c.data, structure, 'Cipher'), structure, 'CipherCount');
    } else if (c.type === SMB2_SIGNING_CAPABILITIES) {
      res.signingAlgorithm = single(u16ListFrom(c.data, structure, 'SigningAlgorithm'), structure, 'SigningAlgorithmCount');
    }
  }
}

export function decodeNegotiateResponse(msg: Buffer): NegotiateResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_NEGOTIATE_RESPONSE_STRUCTURE_SIZE);
  const securityMode = r.u16('SecurityMode');
  const dialect = r.u16('DialectRevision');
  const contextCount = r.u16('NegotiateContextCount');
  const serverGuid = Buffer.from(r.bytes(16, 'ServerGuid'));
  const capabilities = r.u32('Capabilities');
  const maxTransactSize = r.u32('MaxTransactSize');
  const maxReadSize = r.u32('MaxReadSize');
  const maxWriteSize = r.u32('MaxWriteSize');
  const systemTime = r.u64('SystemTime');
  const serverStartTime = r.u64('ServerStartTime');
  const secOffset = r.u16('SecurityBufferOffset');
  const secLength = r.u16('SecurityBufferLength');
  const contextOffset = r.u32('NegotiateContextOffset');
  const fixedEnd = SMB2_HEADER_SIZE + RESPONSE_FIXED;
  const securityBuffer = bufferView(r, secOffset, secLength, fixedEnd, 'SecurityBuffer');
  const res: NegotiateResponse = {
    securityMode,
    dialect,
    serverGuid,
    capabilities,
    maxTransactSize,
    maxReadSize,
    maxWriteSize,
    systemTime,
    serverStartTime,
    securityBuffer,
    contexts: [],
  };
  // Count and offset are Reserved for the other dialects (2.2.4).
  if (dialect === Dialect.SMB3_11) {
    res.contexts = decodeContexts(r, contextOffset, contextCount, fixedEnd);
    applyContexts(res, RESPONSE);
  }
  return res;
}

/** Test-proxy decoder of a request (whole message). */
export function decodeNegotiateRequest(msg: Buffer): NegotiateRequest & { contexts: NegotiateContext[] } {
  const r = bodyReader(msg, REQUEST, SMB2_NEGOTIATE_REQUEST_STRUCTURE_SIZE);
  const dialectCount = r.u16('DialectCount');
  const securityMode = r.u16('SecurityMode');
  r.skip(2, 'Reserved');
  const capabilities = r.u32('Capabilities');
  const clientGuid = Buffer.from(r.bytes(16, 'ClientGuid'));
  const contextOffset = r.u32('NegotiateContextOffset');
  const contextCount = r.u16('NegotiateContextCount');
  r.skip(2, 'Reserved2');
  const dialects: number[] = [];
  for (let i = 0; i < dialectCount; i++) dialects.push(r.u16('Dialects'));
  const req: NegotiateRequest & { contexts: NegotiateContext[] } = { dialects, securityMode, capabilities, clientGuid, contexts: [] };
  if (dialects.includes(Dialect.SMB3_11)) {
    req.contexts = decodeContexts(r, contextOffset, contextCount, SMB2_HEADER_SIZE + REQUEST_FIXED);
    for (const c of req.contexts) {
      if (c.type === SMB2_PREAUTH_INTEGRITY_CAPABILITIES) {
        const cr = new ByteReader(c.data, REQUEST);
        const hashCount = cr.u16('HashAlgorithmCount');
        const saltLength = cr.u16('SaltLength');
        cr.skip(hashCount * 2, 'HashAlgorithms');
        req.preauthSalt = cr.bytes(saltLength, 'Salt');
      } else if (c.type === SMB2_ENCRYPTION_CAPABILITIES) {
        req.ciphers = u16ListFrom(c.data, REQUEST, 'Cipher');
      } else if (c.type === SMB2_SIGNING_CAPABILITIES) {
        req.signingAlgorithms = u16ListFrom(c.data, REQUEST, 'SigningAlgorithm');
      }
    }
  }
  return req;
}

/** Test-proxy encoder of a response (body only). For 3.1.1 pass the contexts to send. */
export function encodeNegotiateResponse(res: Omit<NegotiateResponse, 'preauthHashAlgorithm' | 'preauthSalt' | 'cipher' | 'signingAlgorithm'>): Buffer {
  if (res.serverGuid.length !== 16) throw new RangeError(`${RESPONSE}: ServerGuid must be 16 bytes`);
  checkU16(res.securityBuffer.length, RESPONSE, 'SecurityBufferLength');
  const contexts = res.dialect === Dialect.SMB3_11 ? res.contexts : [];
  const secEnd = RESPONSE_FIXED + res.securityBuffer.length;
  const contextsAt = contexts.length > 0 ? align8(secEnd) : secEnd;
  const w = new ByteWriter(Math.max(contextsAt + contextListLength(contexts), RESPONSE_FIXED + 1));
  w.u16(SMB2_NEGOTIATE_RESPONSE_STRUCTURE_SIZE).u16(res.securityMode).u16(res.dialect).u16(contexts.length);
  w.bytes(res.serverGuid).u32(res.capabilities).u32(res.maxTransactSize).u32(res.maxReadSize).u32(res.maxWriteSize);
  w.u64(res.systemTime).u64(res.serverStartTime);
  w.u16(SMB2_HEADER_SIZE + RESPONSE_FIXED).u16(res.securityBuffer.length);
  w.u32(contexts.length > 0 ? SMB2_HEADER_SIZE + contextsAt : 0);
  w.bytes(res.securityBuffer);
  if (contexts.length > 0) {
    w.align(8);
    writeContexts(w, contexts, RESPONSE);
  } else if (res.securityBuffer.length === 0) {
    w.u8(0); // the 1 byte of Buffer that StructureSize 65 counts
  }
  return w.finish();
}
