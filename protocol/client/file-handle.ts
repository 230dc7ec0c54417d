// Opening and closing handles (MS-SMB2 2.2.13 CREATE, 2.2.15 CLOSE), and turning what CREATE
// returns into a FileStat without a second round trip.
import { decodeCreateResponse, encodeCreateRequest, type CreateContext, type CreateResponse } from '../smb2/commands/create.js';
import { encodeCloseRequest } from '../smb2/commands/close.js';
import { Smb2Command } from '../smb2/constants.js';
import {
  FILE_ATTRIBUTE_DIRECTORY,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  SMB2_OPLOCK_LEVEL_NONE,
  IMPERSONATION_IMPERSONATION,
} from '../smb2/create-constants.js';
import { filetimeToDate } from '../fscc/filetime.js';
import { baseName, toSmbPath } from './smb-path.js';
import type { Smb2Request, Smb2Response } from '../smb2/connection.js';
import { treeCall, type TreeContext } from './tree-context.js';
import { withHandle } from './with-handle.js';
import type { FileStat } from './types.js';

export interface OpenRequest {
  desiredAccess: number;
  createDisposition: number;
  createOptions: number;
  fileAttributes?: number;
  shareAccess?: number;
  operation: string;
  /** Default SMB2_OPLOCK_LEVEL_NONE (durable opens ask for a batch oplock, MS-SMB2 3.2.4.3.5). */
  oplockLevel?: number;
  contexts?: CreateContext[];
  /** A wait after STATUS_PENDING that only this ends (OpenOptions.signal). */
  untilAborted?: AbortSignal;
}

export interface OpenFile {
  fileId: Buffer;
  path: string;
  stat: FileStat;
  /** The oplock the server granted (MS-SMB2 2.2.14 OplockLevel). */
  oplockLevel: number;
  contexts: CreateContext[];
}

/** The CREATE request for `o` (sent alone by openFile, or first in a compound chain). */
export function createRequest(t: TreeContext, path: string, o: OpenRequest): Omit<Smb2Request, 'sessionId' | 'treeId'> {
  const smbPath = toSmbPath(path);
  return {
    command: Smb2Command.CREATE,
    body: [
      encodeCreateRequest({
        path: smbPath,
        desiredAccess: o.desiredAccess,
        fileAttributes: o.fileAttributes ?? 0,
        shareAccess: o.shareAccess ?? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
        createDisposition: o.createDisposition,
        createOptions: o.createOptions,
        requestedOplockLevel: o.oplockLevel ?? SMB2_OPLOCK_LEVEL_NONE,
        impersonationLevel: IMPERSONATION_IMPERSONATION,
        ...(o.contexts ? { contexts: o.contexts } : {}),
      }),
    ],
    operation: o.operation,
    path: displayPath(t, smbPath),
    ...(o.untilAborted ? { untilAborted: o.untilAborted } : {}),
  };
}

/** What a CREATE answer says about the file it opened. */
export function openedFile(path: string, res: Smb2Response): OpenFile {
  const smbPath = toSmbPath(path);
  const created = decodeCreateResponse(res.msg);
  return { fileId: created.fileId, path: smbPath, stat: statFromCreate(baseName(smbPath), created), oplockLevel: created.oplockLevel, contexts: created.contexts };
}

export async function openFile(t: TreeContext, path: string, o: OpenRequest): Promise<OpenFile> {
  return openedFile(path, await treeCall(t, createRequest(t, path, o)));
}

export async function closeFile(t: TreeContext, fileId: Buffer): Promise<void> {
  await treeCall(t, { command: Smb2Command.CLOSE, body: [encodeCloseRequest({ fileId, flags: 0 })], operation: 'close' });
}

/** Runs `fn` on an open handle and always closes it; a close error never hides `fn`'s. */
export function withFile<T>(t: TreeContext, path: string, o: OpenRequest, fn: (f: OpenFile) => Promise<T>): Promise<T> {
  return withHandle(() => openFile(t, path, o), (f) => closeFile(t, f.fileId), fn);
}

export function statFromCreate(name: string, c: CreateResponse): FileStat {
  return {
    name,
    type: c.fileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'directory' : 'file',
    size: c.endOfFile,
    allocationSize: c.allocationSize,
    created: filetimeToDate(c.creationTime),
    modified: filetimeToDate(c.lastWriteTime),
    accessed: filetimeToDate(c.lastAccessTime),
    changed: filetimeToDate(c.changeTime),
    attributes: c.fileAttributes,
  };
}

/** `\\share\path` for error messages: what a user would type, never a secret. */
export function displayPath(t: TreeContext, smbPath: string): string {
  return `\\${t.share}\\${smbPath}`;
}

