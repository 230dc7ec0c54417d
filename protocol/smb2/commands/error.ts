// MS-SMB2 2.2.2 SMB2 ERROR Response, with 2.2.2.1 SMB2 ERROR Context Response (dialect 3.1.1).
//
// Sent for any failing request. ErrorData is interpreted per 2.2.2.2 by the caller, who knows the status
// (STATUS_STOPPED_ON_SYMLINK, STATUS_BUFFER_TOO_SMALL, share redirect, ...).
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB2_HEADER_SIZE } from '../constants.js';
import { align8, bodyReader, bufferView } from './body.js';

const STRUCTURE = 'ERROR response';

/** MS-SMB2 2.2.2: StructureSize is 9 whatever the length of ErrorData. */
export const SMB2_ERROR_RESPONSE_STRUCTURE_SIZE = 9;
const FIXED = 8;

/** MS-SMB2 2.2.2.1: ErrorId values. */
export const SMB2_ERROR_ID_DEFAULT = 0x00000000;
export const SMB2_ERROR_ID_SHARE_REDIRECT = 0x72645253;

export interface ErrorContext {
  errorId: number;
  data: Buffer;
}

export interface ErrorResponse {
  errorContextCount: number;
  /** ErrorData as sent (ByteCount bytes); a view. */
  errorData: Buffer;
  /** Parsed 2.2.2.1 contexts when ErrorContextCount > 0 (3.1.1), else empty. */
  contexts: ErrorContext[];
}

export function decodeErrorResponse(msg: Buffer): ErrorResponse {
  const r = bodyReader(msg, STRUCTURE, SMB2_ERROR_RESPONSE_STRUCTURE_SIZE);
  const errorContextCount = r.u8('ErrorContextCount');
  r.skip(1, 'Reserved');
  const byteCount = r.u32('ByteCount');
  // ErrorData starts right after the fixed part; with ByteCount 0 the spec has one padding byte, which some
  // servers omit, so it is not required.
  const errorData = bufferView(r, SMB2_HEADER_SIZE + FIXED, byteCount, SMB2_HEADER_SIZE + FIXED, 'ErrorData');
  const contexts = errorContextCount > 0 ? decodeErrorContexts(errorData, errorContextCount) : [];
  return { errorContextCount, errorData, contexts };
}

/** 2.2.2.1: each context starts 8-byte aligned (ErrorData itself is at offset 72, aligned). */
function decodeErrorContexts(data: Buffer, count: number): ErrorContext[] {
  const r = new ByteReader(data, STRUCTURE);
  const contexts: ErrorContext[] = [];
  for (let i = 0; i < count; i++) {
    r.seek(align8(r.offset), 'ErrorContext');
    const length = r.u32('ErrorDataLength');
    const errorId = r.u32('ErrorId');
    contexts.push({ errorId, data: r.bytes(length, 'ErrorContextData') });
  }
  return contexts;
}

/**
 * STATUS_BUFFER_TOO_SMALL carries the required length as 4 bytes of ErrorData (2.2.2.2); undefined when absent.
 */
export function errorDataRequiredLength(e: ErrorResponse): number | undefined {
  const data = e.contexts.length > 0 ? e.contexts[0]?.data : e.errorData;
  return data && data.length === 4 ? data.readUInt32LE(0) : undefined;
}

/** Test-proxy encoder: errorData is raw, or contexts are laid out 8-byte aligned. */
export function encodeErrorResponse(res: { errorData?: Buffer; contexts?: ErrorContext[] } = {}): Buffer {
  const contexts = res.contexts ?? [];
  let dataLength = res.errorData?.length ?? 0;
  if (contexts.length > 0) {
    dataLength = 0;
    contexts.forEach((c, i) => {
      dataLength += 8 + c.data.length;
      if (i < contexts.length - 1) dataLength = align8(dataLength);
    });
  }
  if (contexts.length > 0xff) throw new RangeError(`${STRUCTURE}: too many contexts`);
  // 2.2.2: with ByteCount 0 the server sends one ErrorData byte set to 0.
  const w = new ByteWriter(FIXED + Math.max(dataLength, 1));
  w.u16(SMB2_ERROR_RESPONSE_STRUCTURE_SIZE).u8(contexts.length).u8(0).u32(dataLength);
  if (contexts.length > 0) {
    contexts.forEach((c, i) => {
      w.u32(c.data.length).u32(c.errorId).bytes(c.data);
      if (i < contexts.length - 1) w.align(8);
    });
  } else if (res.errorData && res.errorData.length > 0) {
    w.bytes(res.errorData);
  } else {
    w.u8(0);
  }
  return w.finish();
}
