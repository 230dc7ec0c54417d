// QUERY_INFO (MS-SMB2 2.2.37, 3.2.4.14) and FLUSH (2.2.17, 3.2.4.10) on open handles: a fresh
// stat of an open file, the share's space, and pushing written data to stable storage.
import { decodeFlushResponse, encodeFlushRequest } from '../smb2/commands/flush.js';
import { decodeQueryInfoResponse, encodeQueryInfoRequest } from '../smb2/commands/query-info.js';
import { Smb2Command } from '../smb2/constants.js';
import {
  FILE_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  SMB2_0_INFO_FILE,
  SMB2_0_INFO_FILESYSTEM,
  SYNCHRONIZE,
} from '../smb2/create-constants.js';
import { decodeFileNetworkOpenInformation } from '../fscc/file-info.js';
import { allocationUnitBytes, decodeFileFsFullSizeInformation } from '../fscc/fs-info.js';
import { FileFsFullSizeInformation, FileNetworkOpenInformation } from '../fscc/info-classes.js';
import { filetimeToDate } from '../fscc/filetime.js';
import { FILE_ATTRIBUTE_DIRECTORY } from '../smb2/create-constants.js';
import { displayPath, withFile, type OpenFile } from './file-handle.js';
import { baseName } from './smb-path.js';
import { treeCall, type TreeContext } from './tree-context.js';
import type { FileStat, SpaceInfo } from './types.js';

/** Room for the fixed-size structures asked for here (MS-FSCC 2.4.29: 56 bytes, 2.5.4: 32). */
const SMALL_INFO = 256;

async function queryInfo(t: TreeContext, f: OpenFile, infoType: number, fileInfoClass: number, operation: string): Promise<Buffer> {
  const res = await treeCall(t, {
    command: Smb2Command.QUERY_INFO,
    body: [encodeQueryInfoRequest({ infoType, fileInfoClass, outputBufferLength: SMALL_INFO, fileId: f.fileId })],
    operation,
    path: displayPath(t, f.path),
  });
  return decodeQueryInfoResponse(res.msg).buffer;
}

/** The current times, sizes and attributes of an open file (FileNetworkOpenInformation). */
export async function statOpenFile(t: TreeContext, f: OpenFile): Promise<FileStat> {
  const i = decodeFileNetworkOpenInformation(await queryInfo(t, f, SMB2_0_INFO_FILE, FileNetworkOpenInformation, 'stat'));
  return {
    name: baseName(f.path),
    type: i.fileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'directory' : 'file',
    size: i.endOfFile,
    allocationSize: i.allocationSize,
    created: filetimeToDate(i.creationTime),
    modified: filetimeToDate(i.lastWriteTime),
    accessed: filetimeToDate(i.lastAccessTime),
    changed: filetimeToDate(i.changeTime),
    attributes: i.fileAttributes,
  };
}

/** Total and free space of the share's volume (FileFsFullSizeInformation, MS-FSCC 2.5.4). */
export function shareSpace(t: TreeContext): Promise<SpaceInfo> {
  const open = { desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: FILE_DIRECTORY_FILE, operation: 'statfs' };
  return withFile(t, '', open, async (root) => {
    const i = decodeFileFsFullSizeInformation(await queryInfo(t, root, SMB2_0_INFO_FILESYSTEM, FileFsFullSizeInformation, 'statfs'));
    const unit = allocationUnitBytes(i);
    return {
      totalBytes: Number(i.totalAllocationUnits * unit),
      freeBytes: Number(i.actualAvailableAllocationUnits * unit),
      availableBytes: Number(i.callerAvailableAllocationUnits * unit),
    };
  });
}

/** FLUSH: the server writes the file's cached data to stable storage before answering. */
export async function flushFile(t: TreeContext, f: OpenFile): Promise<void> {
  const res = await treeCall(t, { command: Smb2Command.FLUSH, body: [encodeFlushRequest({ fileId: f.fileId })], operation: 'flush', path: displayPath(t, f.path) });
  decodeFlushResponse(res.msg);
}
