// Single READ and WRITE requests on an open handle (MS-SMB2 3.2.4.6, 3.2.4.7). Streams build
// their sliding windows from these.
import { MalformedMessageError } from '../errors.js';
import { decodeReadResponse, encodeReadRequest } from '../smb2/commands/read.js';
import { decodeWriteResponse, encodeWriteRequest } from '../smb2/commands/write.js';
import { Smb2Command } from '../smb2/constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import { displayPath, type OpenFile } from './file-handle.js';
import { treeCall, type TreeContext } from './tree-context.js';

/** Reads up to `length` bytes at `offset`; an empty buffer means end of file. */
export async function readAt(t: TreeContext, f: OpenFile, offset: number, length: number): Promise<Buffer> {
  const res = await treeCall(
    t,
    {
      command: Smb2Command.READ,
      body: [encodeReadRequest({ fileId: f.fileId, offset, length })],
      payloadSize: length,
      operation: 'read',
      path: displayPath(t, f.path),
    },
    [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_END_OF_FILE],
  );
  if (res.header.status === NtStatus.STATUS_END_OF_FILE) return Buffer.alloc(0);
  const { data } = decodeReadResponse(res.msg);
  // MS-SMB2 3.3.5.12: the server returns at most Length bytes. More would land beyond what the
  // caller reserved for this offset (a stream reordering answers by offset would never line up).
  if (data.length > length) {
    throw new MalformedMessageError('SMB2 READ Response', 'DataLength', `${data.length} bytes for a READ of ${length} (${displayPath(t, f.path)})`);
  }
  return data;
}

/** Writes `parts` (sent back to back, never concatenated) at `offset`; returns bytes written. */
export async function writeAt(t: TreeContext, f: OpenFile, offset: number, parts: readonly Buffer[]): Promise<number> {
  let length = 0;
  for (const p of parts) length += p.length;
  const res = await treeCall(t, {
    command: Smb2Command.WRITE,
    body: [encodeWriteRequest({ fileId: f.fileId, offset, length }), ...parts],
    payloadSize: length,
    operation: 'write',
    path: displayPath(t, f.path),
  });
  const { count } = decodeWriteResponse(res.msg);
  // MS-SMB2 3.3.5.13: Count is what the server wrote of this request's data, so never more.
  if (count > length) {
    throw new MalformedMessageError('SMB2 WRITE Response', 'Count', `${count} bytes for a WRITE of ${length} (${displayPath(t, f.path)})`);
  }
  return count;
}

/** The I/O size for this connection: as large as the server allows, capped to bound memory. */
export function ioChunkSize(limit: number, cap = 1024 * 1024): number {
  return Math.max(1, Math.min(limit, cap));
}
