// SMB_COM_OPEN_ANDX (MS-CIFS 2.2.4.41), the pre-NT open that servers without CAP_NT_SMBS offer.
// Request WordCount 0x0F: AndX (4) Flags (2) AccessMode (2) SearchAttrs (2) FileAttrs (2)
//   CreationTime (4, UTIME) OpenMode (2) AllocationSize (4) Timeout (4) Reserved (4);
//   Bytes: pad, FileName.
// Response (2.2.4.41.2), parsed exactly: WordCount MUST be 0x0F; AndXCommand/AndXReserved/AndXOffset;
//   FID (2) FileAttrs (2) LastWriteTime (4, UTIME) FileDataSize (4) AccessRights (2) ResourceType (2)
//   NMPipeStatus (2) OpenResults (2) Reserved (6); ByteCount MUST be 0. When the request did not set
//   REQ_ATTRIB (Flags bit 0), every field after the FID MUST be zero.
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { ResourceType, SMB_COM_NO_ANDX_COMMAND } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readSingleAndX } from '../message.js';

/** MS-CIFS 2.2.4.41.1 Flags. */
export const REQ_ATTRIB = 0x0001;
export const REQ_OPLOCK = 0x0002;
export const REQ_OPLOCK_BATCH = 0x0004;

/** MS-CIFS 2.2.4.41.1 AccessMode (low 3 bits: access, bits 4-6: sharing). */
export const SMB_DA_ACCESS_READ = 0x0000;
export const SMB_DA_ACCESS_WRITE = 0x0001;
export const SMB_DA_ACCESS_READ_WRITE = 0x0002;
export const SMB_DA_SHARE_DENY_NONE = 0x0040;
export const SMB_DA_SHARE_DENY_WRITE = 0x0020;

/** MS-CIFS 2.2.4.41.1 OpenMode: FileExistsOpts (bits 0-1) and CreateFile (bit 4). */
export const OPEN_FILE_EXISTS_FAIL = 0x0000;
export const OPEN_FILE_EXISTS_OPEN = 0x0001;
export const OPEN_FILE_EXISTS_TRUNCATE = 0x0002;
export const OPEN_CREATE_FILE = 0x0010;

export interface OpenAndXRequest {
  flags: number;
  accessMode: number;
  searchAttributes: number;
  fileAttributes: number;
  openMode: number;
  path: string;
}

export function encodeOpenAndXRequest(o: OpenAndXRequest): Buffer {
  const w = new ByteWriter(30);
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0);
  w.u16(o.flags).u16(o.accessMode).u16(o.searchAttributes).u16(o.fileAttributes).u32(0).u16(o.openMode).u32(0).u32(0).u32(0);
  const pad = Buffer.alloc(bytesOffsetFor(0x0f) % 2);
  return encodeBlock(w.finish(), [pad, Buffer.from(`${o.path}\0`, 'utf16le')]);
}

export type OpenAccess = 'read' | 'write' | 'read-write';
export type OpenResult = 'opened' | 'created' | 'truncated';
const ACCESS: Record<number, OpenAccess> = { 0: 'read', 1: 'write', 2: 'read-write' };
const RESULTS: Record<number, OpenResult> = { 1: 'opened', 2: 'created', 3: 'truncated' };
const RESOURCE_TYPES = new Set<number>(Object.values(ResourceType));

export interface OpenAndXResponse {
  fid: number;
  /** Present only when the request set REQ_ATTRIB. */
  attributes?: {
    /** SMB_FILE_ATTRIBUTES; none set is a regular file. */
    fileAttributes: number;
    /** UTIME: seconds since 1970 in the server's local time (convert with ServerTimeZone). */
    lastWriteTime: number;
    /** Advisory. */
    fileDataSize: number;
    accessRights: OpenAccess;
    resourceType: number;
    nmPipeStatus: number;
    openResult: OpenResult;
    /** OpenResults bit 15 (LockStatus): an oplock was granted. */
    oplockGranted: boolean;
  };
}

const STRUCTURE = 'SMB_COM_OPEN_ANDX Response';

/** `askedForAttributes`: the request's Flags had REQ_ATTRIB. */
export function decodeOpenAndXResponse(msg: Buffer, askedForAttributes: boolean): OpenAndXResponse {
  const b = readSingleAndX(msg, STRUCTURE, [0x0f]);
  if (b.byteCount !== 0) throw new MalformedMessageError(STRUCTURE, 'ByteCount', `${b.byteCount}, must be 0`);
  const w = b.words;
  const fid = w.u16('FID');
  if (!askedForAttributes) {
    // 2.2.4.41.2: "If file attribute data is not requested, all fields following the FID in the
    // response MUST be set to zero."
    const rest = w.bytes(w.remaining, 'FileAttrs');
    const at = rest.findIndex((x) => x !== 0);
    if (at >= 0) throw new MalformedMessageError(STRUCTURE, fieldAt(at), 'non-zero although no attribute data was asked for');
    return { fid };
  }
  const fileAttributes = w.u16('FileAttrs');
  const lastWriteTime = w.u32('LastWriteTime');
  const fileDataSize = w.u32('FileDataSize');
  const rights = w.u16('AccessRights');
  const accessRights = ACCESS[rights];
  if (accessRights === undefined) throw new MalformedMessageError(STRUCTURE, 'AccessRights', `reserved value 0x${rights.toString(16)}`);
  const resourceType = w.u16('ResourceType');
  if (!RESOURCE_TYPES.has(resourceType)) throw new MalformedMessageError(STRUCTURE, 'ResourceType', `unknown value 0x${resourceType.toString(16)}`);
  const nmPipeStatus = w.u16('NMPipeStatus');
  const results = w.u16('OpenResults');
  const openResult = RESULTS[results & 0x0003];
  if (openResult === undefined) throw new MalformedMessageError(STRUCTURE, 'OpenResults', `OpenResult ${results & 0x3} is reserved`);
  // Bits 2-14 are reserved: ignored on receipt, as reserved fields are (MS-CIFS 2.2.4.41.2).
  w.skip(6, 'Reserved');
  return {
    fid,
    attributes: { fileAttributes, lastWriteTime, fileDataSize, accessRights, resourceType, nmPipeStatus, openResult, oplockGranted: (results & 0x8000) !== 0 },
  };
}

/** The field holding byte `at` after the FID, for error messages. */
function fieldAt(at: number): string {
  const fields: [number, string][] = [[2, 'FileAttrs'], [6, 'LastWriteTime'], [10, 'FileDataSize'], [12, 'AccessRights'], [14, 'ResourceType'], [16, 'NMPipeStatus'], [18, 'OpenResults'], [24, 'Reserved']];
  return fields.find(([end]) => at < end)?.[1] ?? 'Reserved';
}
