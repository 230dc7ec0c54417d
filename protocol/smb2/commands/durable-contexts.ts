// Create contexts for durable opens (MS-SMB2 3.2.4.3.5, 3.2.4.4): asked for in CREATE so an open
// file survives a dropped connection, and handed back in the CREATE that reclaims it.
//   DH2Q 2.2.13.2.11 request v2: Timeout(4) Flags(4) Reserved(8) CreateGuid(16); 3.x only
//   DH2Q 2.2.14.2.12 response v2: Timeout(4) Flags(4)
//   DH2C 2.2.13.2.12 reconnect v2: FileId(16) CreateGuid(16) Flags(4)
//   DHnQ 2.2.13.2.3 request v1: 16 reserved bytes; 2.2.14.2.3 response: 8 reserved bytes
//   DHnC 2.2.13.2.4 reconnect v1: FileId(16)
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import type { CreateContext } from './create.js';

export const SMB2_CREATE_DURABLE_HANDLE_REQUEST = 'DHnQ';
export const SMB2_CREATE_DURABLE_HANDLE_RECONNECT = 'DHnC';
export const SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2 = 'DH2Q';
export const SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2 = 'DH2C';
export const SMB2_DHANDLE_FLAG_PERSISTENT = 0x00000002;

function checkLength(b: Buffer, n: number, what: string): void {
  if (b.length !== n) throw new RangeError(`${what} must be ${n} bytes, not ${b.length}`);
}

/** `timeoutMs` 0 lets the server choose (3.2.4.3.5, note 149). */
export function durableRequestV2(createGuid: Buffer, timeoutMs = 0): CreateContext {
  checkLength(createGuid, 16, 'CreateGuid');
  const data = new ByteWriter(32).u32(timeoutMs).u32(0).zeros(8).bytes(createGuid).finish();
  return { name: SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2, data };
}

export function durableRequestV1(): CreateContext {
  return { name: SMB2_CREATE_DURABLE_HANDLE_REQUEST, data: Buffer.alloc(16) };
}

export function durableReconnectV2(fileId: Buffer, createGuid: Buffer): CreateContext {
  checkLength(fileId, 16, 'FileId');
  checkLength(createGuid, 16, 'CreateGuid');
  const data = new ByteWriter(36).bytes(fileId).bytes(createGuid).u32(0).finish();
  return { name: SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2, data };
}

export function durableReconnectV1(fileId: Buffer): CreateContext {
  checkLength(fileId, 16, 'FileId');
  return { name: SMB2_CREATE_DURABLE_HANDLE_RECONNECT, data: Buffer.from(fileId) };
}

export interface DurableGrant {
  version: 1 | 2;
  /** v2: how long the server keeps the open after a drop (ms); v1: undefined (server default). */
  timeoutMs: number | undefined;
  persistent: boolean;
}

/** What the CREATE response's contexts say about durability; undefined when it was not granted. */
export function durableGrant(contexts: readonly CreateContext[]): DurableGrant | undefined {
  const structure = 'SMB2_CREATE_DURABLE_HANDLE_RESPONSE';
  for (const c of contexts) {
    if (c.name === SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2) {
      if (c.data.length < 8) throw new MalformedMessageError(`${structure}_V2`, 'DataLength', `${c.data.length} < 8`);
      const r = new ByteReader(c.data, `${structure}_V2`);
      const timeoutMs = r.u32('Timeout');
      const flags = r.u32('Flags');
      return { version: 2, timeoutMs, persistent: (flags & SMB2_DHANDLE_FLAG_PERSISTENT) !== 0 };
    }
    if (c.name === SMB2_CREATE_DURABLE_HANDLE_REQUEST) return { version: 1, timeoutMs: undefined, persistent: false };
  }
  return undefined;
}
