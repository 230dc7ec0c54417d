// Small files in one round trip: CREATE + READ + CLOSE (or CREATE + WRITE + CLOSE, or CREATE +
// SET_INFO + CLOSE for a rename or a delete) sent as one related compound chain (MS-SMB2
// 3.2.4.1.4), each later request working on the FileId the CREATE opened (3.3.5.2.7.2). For
// folders of small files the round trips are what costs.
import { MalformedMessageError, SmbStatusError } from '../errors.js';
import { encodeCloseRequest } from '../smb2/commands/close.js';
import { decodeReadResponse, encodeReadRequest } from '../smb2/commands/read.js';
import { encodeSetInfoRequest } from '../smb2/commands/set-info.js';
import { decodeWriteResponse, encodeWriteRequest } from '../smb2/commands/write.js';
import type { Smb2Request, Smb2Response } from '../smb2/connection.js';
import { Smb2Command, commandName } from '../smb2/constants.js';
import {
  FILE_CREATE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_OVERWRITE_IF,
  FILE_READ_ATTRIBUTES,
  FILE_READ_DATA,
  FILE_SHARE_READ,
  FILE_WRITE_DATA,
  SMB2_0_INFO_FILE,
  SYNCHRONIZE,
} from '../smb2/create-constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import { createRequest, displayPath, openedFile, type OpenRequest } from './file-handle.js';
import { onTree, type TreeContext } from './tree-context.js';
import type { FileStat } from './types.js';

/** MS-SMB2 2.2.14.1: an all-ones FileId in a related request means "the one the previous request used". */
export const RELATED_FILE_ID = Buffer.alloc(16, 0xff);
/** Files up to this size go in one chain; larger ones stream (their first part came with the chain). */
export const COMPOUND_IO_LIMIT = 1024 * 1024;

export interface SmallRead {
  stat: FileStat;
  /** The first min(size, limit) bytes; shorter than stat.size when the file is larger. */
  data: Buffer;
}

/** One round trip: open, read the first `limit` bytes, close. */
export async function readSmall(t: TreeContext, path: string, limit = COMPOUND_IO_LIMIT): Promise<SmallRead> {
  const length = Math.min(limit, t.maxRead);
  const where = displayPath(t, path);
  const open = createRequest(t, path, {
    desiredAccess: FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    createDisposition: FILE_OPEN,
    createOptions: FILE_NON_DIRECTORY_FILE,
    shareAccess: FILE_SHARE_READ,
    operation: 'open',
  });
  const read = { command: Smb2Command.READ, body: [encodeReadRequest({ fileId: RELATED_FILE_ID, offset: 0, length })], payloadSize: length, operation: 'read', path: where };
  const [created, answer] = await chain(t, [open, read, close(where)]);
  expectStatus(created!, open);
  if (answer!.header.status === NtStatus.STATUS_END_OF_FILE) return { stat: openedFile(path, created!).stat, data: Buffer.alloc(0) };
  expectStatus(answer!, read);
  const { data } = decodeReadResponse(answer!.msg);
  if (data.length > length) throw new MalformedMessageError('SMB2 READ Response', 'DataLength', `${data.length} bytes for a READ of ${length} (${where})`);
  return { stat: openedFile(path, created!).stat, data };
}

/**
 * One round trip: create (replacing, unless `overwrite` is false), write all of `data`, close.
 * Returns how many bytes the server took; fewer than data.length means the caller goes on.
 */
export async function writeSmall(t: TreeContext, path: string, data: Buffer, overwrite = true): Promise<number> {
  if (data.length > Math.min(COMPOUND_IO_LIMIT, t.maxWrite)) throw new RangeError(`writeSmall takes at most ${COMPOUND_IO_LIMIT} bytes`);
  const where = displayPath(t, path);
  const open = createRequest(t, path, {
    desiredAccess: FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    createDisposition: overwrite ? FILE_OVERWRITE_IF : FILE_CREATE,
    createOptions: FILE_NON_DIRECTORY_FILE,
    shareAccess: 0,
    operation: 'create',
  });
  const write = {
    command: Smb2Command.WRITE,
    body: [encodeWriteRequest({ fileId: RELATED_FILE_ID, offset: 0, length: data.length }), data],
    payloadSize: data.length,
    operation: 'write',
    path: where,
  };
  const [created, answer, closed] = await chain(t, [open, write, close(where)]);
  expectStatus(created!, open);
  expectStatus(answer!, write);
  expectStatus(closed!, { command: Smb2Command.CLOSE, operation: 'close', path: where });
  const { count } = decodeWriteResponse(answer!.msg);
  if (count > data.length) throw new MalformedMessageError('SMB2 WRITE Response', 'Count', `${count} bytes for a WRITE of ${data.length} (${where})`);
  return count;
}

/**
 * One round trip: open `path`, SET_INFO one file information class on it (MS-SMB2 2.2.39), close.
 * A failure is the CREATE's (the later requests fail with it) or else the SET_INFO's; the CLOSE
 * runs either way once the CREATE succeeded.
 */
export async function setInfoAtPath(t: TreeContext, path: string, open: OpenRequest, fileInfoClass: number, buffer: Buffer): Promise<void> {
  const where = displayPath(t, path);
  const create = createRequest(t, path, open);
  const set = {
    command: Smb2Command.SET_INFO,
    body: [encodeSetInfoRequest({ infoType: SMB2_0_INFO_FILE, fileInfoClass, fileId: RELATED_FILE_ID, buffer })],
    operation: open.operation,
    path: where,
  };
  const [created, answer, closed] = await chain(t, [create, set, close(where)]);
  expectStatus(created!, create);
  expectStatus(answer!, set);
  expectStatus(closed!, { command: Smb2Command.CLOSE, operation: 'close', path: where });
}

function close(where: string): Omit<Smb2Request, 'sessionId' | 'treeId'> {
  return { command: Smb2Command.CLOSE, body: [encodeCloseRequest({ fileId: RELATED_FILE_ID, flags: 0 })], operation: 'close', path: where };
}

function chain(t: TreeContext, reqs: Omit<Smb2Request, 'sessionId' | 'treeId'>[]): Promise<Smb2Response[]> {
  return t.conn.sendCompound(reqs.map((r) => onTree(t, r)));
}

/** A failed member of the chain is reported as that request's own failure (the later ones fail with it). */
function expectStatus(res: Smb2Response, req: Pick<Smb2Request, 'command' | 'operation' | 'path'>): void {
  if (res.header.status === NtStatus.STATUS_SUCCESS) return;
  throw new SmbStatusError(res.header.status, { command: commandName(req.command), operation: req.operation, path: req.path });
}
