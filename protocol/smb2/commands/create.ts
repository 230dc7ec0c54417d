// MS-SMB2 2.2.13 SMB2 CREATE Request, 2.2.14 SMB2 CREATE Response, 2.2.13.2 SMB2_CREATE_CONTEXT.
import { readTimesSizesAttributes, type FileNetworkOpenInfo } from '../../fscc/file-info.js';
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter, utf16Length } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { Impersonation, SMB2_OPLOCK_LEVEL_NONE } from '../create-constants.js';
import { align8, bodyReader, bufferView, checkFileId, checkU16, readFileId } from './body.js';

const REQUEST = 'CREATE request';
const RESPONSE = 'CREATE response';

export const SMB2_CREATE_REQUEST_STRUCTURE_SIZE = 57;
export const SMB2_CREATE_RESPONSE_STRUCTURE_SIZE = 89;
const REQUEST_FIXED = 56;
const RESPONSE_FIXED = 88;
/** 2.2.13.2: Next, NameOffset, NameLength, Reserved, DataOffset, DataLength. */
const CONTEXT_HEADER = 16;

/** 2.2.13.2: create context names (4-byte ASCII tags). */
export const SMB2_CREATE_EA_BUFFER = 'ExtA';
export const SMB2_CREATE_SD_BUFFER = 'SecD';
export const SMB2_CREATE_DURABLE_HANDLE_REQUEST = 'DHnQ';
export const SMB2_CREATE_DURABLE_HANDLE_RECONNECT = 'DHnC';
export const SMB2_CREATE_ALLOCATION_SIZE = 'AlSi';
export const SMB2_CREATE_QUERY_MAXIMAL_ACCESS_REQUEST = 'MxAc';
export const SMB2_CREATE_TIMEWARP_TOKEN = 'TWrp';
export const SMB2_CREATE_QUERY_ON_DISK_ID = 'QFid';
export const SMB2_CREATE_REQUEST_LEASE = 'RqLs';

export interface CreateContext {
  /** The tag; bytes are taken as latin1 so binary (GUID) names round-trip. */
  name: string;
  data: Buffer;
}

export interface CreateRequest {
  /** Relative to the share root, backslashes, no leading backslash; '' opens the share root. */
  path: string;
  desiredAccess: number;
  fileAttributes: number;
  shareAccess: number;
  createDisposition: number;
  createOptions: number;
  requestedOplockLevel?: number;
  impersonationLevel?: number;
  contexts?: CreateContext[];
}

/** Times, sizes and attributes as in FileNetworkOpenInformation (MS-FSCC 2.4.29). */
export interface CreateResponse extends FileNetworkOpenInfo {
  oplockLevel: number;
  flags: number;
  createAction: number;
  /** 16 bytes, copied. */
  fileId: Buffer;
  contexts: CreateContext[];
}

function contextSize(c: CreateContext): number {
  const nameLength = Buffer.byteLength(c.name, 'latin1');
  return c.data.length > 0 ? align8(CONTEXT_HEADER + nameLength) + c.data.length : CONTEXT_HEADER + nameLength;
}

/** Total size of a chain: each context but the last is padded so the next starts 8-byte aligned (2.2.13.2). */
export function createContextsLength(contexts: CreateContext[]): number {
  let n = 0;
  contexts.forEach((c, i) => {
    n += i < contexts.length - 1 ? align8(contextSize(c)) : contextSize(c);
  });
  return n;
}

/** Writes a chain at the writer's position, which must be 8-byte aligned. */
export function writeCreateContexts(w: ByteWriter, contexts: CreateContext[], structure: string): void {
  contexts.forEach((c, i) => {
    const nameLength = Buffer.byteLength(c.name, 'latin1');
    checkU16(nameLength, structure, 'NameLength');
    const last = i === contexts.length - 1;
    const size = contextSize(c);
    const dataOffset = c.data.length > 0 ? align8(CONTEXT_HEADER + nameLength) : 0;
    checkU16(dataOffset, structure, 'DataOffset');
    w.u32(last ? 0 : align8(size)).u16(CONTEXT_HEADER).u16(nameLength).u16(0).u16(dataOffset).u32(c.data.length);
    w.bytes(Buffer.from(c.name, 'latin1'));
    if (c.data.length > 0) w.align(8).bytes(c.data);
    if (!last) w.align(8);
  });
}

/** Walks a create-context chain held in `chain` (a view), following Next with bounds and progress checks. */
export function decodeCreateContexts(chain: Buffer, structure: string): CreateContext[] {
  const contexts: CreateContext[] = [];
  let at = 0;
  // Each context is at least 16 bytes and Next must move forward by at least that, so the loop is bounded.
  for (let guard = 0; guard <= chain.length / CONTEXT_HEADER; guard++) {
    const r = new ByteReader(chain, structure, at);
    const next = r.u32('Next');
    const nameOffset = r.u16('NameOffset');
    const nameLength = r.u16('NameLength');
    r.skip(2, 'Reserved');
    const dataOffset = r.u16('DataOffset');
    const dataLength = r.u32('DataLength');
    const end = next === 0 ? chain.length : at + next;
    if (next !== 0 && (next < CONTEXT_HEADER || next % 8 !== 0 || end > chain.length)) {
      throw new MalformedMessageError(structure, 'CreateContext.Next', `bad offset ${next} at ${at}`);
    }
    const inner = new ByteReader(chain, structure, at, end);
    const name = inner.slice(at + nameOffset, nameLength, 'CreateContext.Name').toString('latin1');
    const data = dataLength === 0 ? chain.subarray(0, 0) : inner.slice(at + dataOffset, dataLength, 'CreateContext.Data');
    if (nameLength > 0 && nameOffset < CONTEXT_HEADER) {
      throw new MalformedMessageError(structure, 'CreateContext.NameOffset', `${nameOffset} inside the context header`);
    }
    if (dataLength > 0 && dataOffset < CONTEXT_HEADER) {
      throw new MalformedMessageError(structure, 'CreateContext.DataOffset', `${dataOffset} inside the context header`);
    }
    contexts.push({ name, data });
    if (next === 0) return contexts;
    at = end;
  }
  throw new MalformedMessageError(structure, 'CreateContext.Next', 'chain does not end');
}

export function encodeCreateRequest(req: CreateRequest): Buffer {
  const nameLength = utf16Length(req.path);
  checkU16(nameLength, REQUEST, 'NameLength');
  const contexts = req.contexts ?? [];
  const contextsLength = createContextsLength(contexts);
  // 2.2.13: the Buffer is at least one byte even for an empty name (the share root); contexts start 8-aligned.
  const nameArea = contexts.length > 0 ? align8(nameLength) : Math.max(nameLength, 1);
  const w = new ByteWriter(REQUEST_FIXED + nameArea + contextsLength);
  w.u16(SMB2_CREATE_REQUEST_STRUCTURE_SIZE).u8(0); // SecurityFlags: reserved, 0
  w.u8(req.requestedOplockLevel ?? SMB2_OPLOCK_LEVEL_NONE).u32(req.impersonationLevel ?? Impersonation);
  w.u64(0n).u64(0n); // SmbCreateFlags, Reserved
  w.u32(req.desiredAccess).u32(req.fileAttributes).u32(req.shareAccess).u32(req.createDisposition).u32(req.createOptions);
  w.u16(SMB2_HEADER_SIZE + REQUEST_FIXED).u16(nameLength);
  w.u32(contexts.length > 0 ? SMB2_HEADER_SIZE + REQUEST_FIXED + nameArea : 0).u32(contextsLength);
  w.utf16(req.path);
  w.zeros(nameArea - nameLength);
  writeCreateContexts(w, contexts, REQUEST);
  return w.finish();
}

export function decodeCreateResponse(msg: Buffer): CreateResponse {
  const r = bodyReader(msg, RESPONSE, SMB2_CREATE_RESPONSE_STRUCTURE_SIZE);
  const oplockLevel = r.u8('OplockLevel');
  const flags = r.u8('Flags');
  const createAction = r.u32('CreateAction');
  const info = readTimesSizesAttributes(r);
  r.skip(4, 'Reserved2');
  const fileId = readFileId(r);
  const contextsOffset = r.u32('CreateContextsOffset');
  const contextsLength = r.u32('CreateContextsLength');
  const chain = bufferView(r, contextsOffset, contextsLength, SMB2_HEADER_SIZE + RESPONSE_FIXED, 'CreateContexts');
  const contexts = chain.length > 0 ? decodeCreateContexts(chain, RESPONSE) : [];
  return { oplockLevel, flags, createAction, ...info, fileId, contexts };
}

export function decodeCreateRequest(msg: Buffer): Required<CreateRequest> {
  const r = bodyReader(msg, REQUEST, SMB2_CREATE_REQUEST_STRUCTURE_SIZE);
  r.skip(1, 'SecurityFlags');
  const requestedOplockLevel = r.u8('RequestedOplockLevel');
  const impersonationLevel = r.u32('ImpersonationLevel');
  r.skip(16, 'SmbCreateFlags');
  const desiredAccess = r.u32('DesiredAccess');
  const fileAttributes = r.u32('FileAttributes');
  const shareAccess = r.u32('ShareAccess');
  const createDisposition = r.u32('CreateDisposition');
  const createOptions = r.u32('CreateOptions');
  const nameOffset = r.u16('NameOffset');
  const nameLength = r.u16('NameLength');
  const contextsOffset = r.u32('CreateContextsOffset');
  const contextsLength = r.u32('CreateContextsLength');
  const fixedEnd = SMB2_HEADER_SIZE + REQUEST_FIXED;
  const name = bufferView(r, nameOffset, nameLength, fixedEnd, 'Name');
  if (nameLength % 2 !== 0) throw new MalformedMessageError(REQUEST, 'NameLength', `odd UTF-16 length ${nameLength}`);
  const chain = bufferView(r, contextsOffset, contextsLength, fixedEnd, 'CreateContexts');
  return {
    path: name.toString('utf16le'),
    desiredAccess,
    fileAttributes,
    shareAccess,
    createDisposition,
    createOptions,
    requestedOplockLevel,
    impersonationLevel,
    contexts: chain.length > 0 ? decodeCreateContexts(chain, REQUEST) : [],
  };
}

export function encodeCreateResponse(res: CreateResponse): Buffer {
  checkFileId(res.fileId, RESPONSE);
  const contextsLength = createContextsLength(res.contexts);
  const w = new ByteWriter(RESPONSE_FIXED + Math.max(contextsLength, 1));
  w.u16(SMB2_CREATE_RESPONSE_STRUCTURE_SIZE).u8(res.oplockLevel).u8(res.flags).u32(res.createAction);
  w.u64(res.creationTime).u64(res.lastAccessTime).u64(res.lastWriteTime).u64(res.changeTime);
  w.u64(res.allocationSize).u64(res.endOfFile).u32(res.fileAttributes).u32(0).bytes(res.fileId);
  w.u32(contextsLength > 0 ? SMB2_HEADER_SIZE + RESPONSE_FIXED : 0).u32(contextsLength);
  if (contextsLength > 0) writeCreateContexts(w, res.contexts, RESPONSE);
  else w.u8(0);
  return w.finish();
}
