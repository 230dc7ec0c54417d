// Listing a directory (MS-SMB2 3.2.4.17 QUERY_DIRECTORY): keep asking until the server answers
// STATUS_NO_MORE_FILES, so folders of any size list completely.
import { decodeQueryDirectoryResponse, encodeQueryDirectoryRequest, SMB2_RESTART_SCANS } from '../smb2/commands/query-directory.js';
import { Smb2Command } from '../smb2/constants.js';
import { FILE_DIRECTORY_FILE, FILE_LIST_DIRECTORY, FILE_OPEN, FILE_READ_ATTRIBUTES, FILE_ATTRIBUTE_DIRECTORY, SYNCHRONIZE } from '../smb2/create-constants.js';
import { NtStatus } from '../smb2/nt-status.js';
import { decodeFileIdBothDirectoryInformation, type DirectoryEntry } from '../fscc/directory-info.js';
import { FileIdBothDirectoryInformation } from '../fscc/info-classes.js';
import { filetimeToDate } from '../fscc/filetime.js';
import { displayPath, withFile } from './file-handle.js';
import { treeCall, type TreeContext } from './tree-context.js';
import type { DirEntry } from './types.js';

/** Big enough that a 20,000-entry folder takes a handful of round trips. */
const LISTING_BUFFER = 1024 * 1024;

export function readDirectory(t: TreeContext, path: string): Promise<DirEntry[]> {
  const open = {
    desiredAccess: FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    createDisposition: FILE_OPEN,
    createOptions: FILE_DIRECTORY_FILE,
    operation: 'list',
  };
  return withFile(t, path, open, async (dir) => {
    const entries: DirEntry[] = [];
    const outputBufferLength = Math.min(LISTING_BUFFER, t.maxTransact);
    for (let first = true; ; first = false) {
      const res = await treeCall(
        t,
        {
          command: Smb2Command.QUERY_DIRECTORY,
          body: [
            encodeQueryDirectoryRequest({
              fileInformationClass: FileIdBothDirectoryInformation,
              flags: first ? SMB2_RESTART_SCANS : 0,
              fileId: dir.fileId,
              pattern: '*',
              outputBufferLength,
            }),
          ],
          payloadSize: outputBufferLength,
          operation: 'list',
          path: displayPath(t, dir.path),
        },
        [NtStatus.STATUS_SUCCESS, NtStatus.STATUS_NO_MORE_FILES],
      );
      if (res.header.status === NtStatus.STATUS_NO_MORE_FILES) return entries;
      const { buffer } = decodeQueryDirectoryResponse(res.msg);
      for (const e of decodeFileIdBothDirectoryInformation(buffer)) {
        if (e.fileName !== '.' && e.fileName !== '..') entries.push(toDirEntry(e));
      }
    }
  });
}

function toDirEntry(e: DirectoryEntry): DirEntry {
  return {
    name: e.fileName,
    type: e.fileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'directory' : 'file',
    size: e.endOfFile,
    allocationSize: e.allocationSize,
    created: filetimeToDate(e.creationTime),
    modified: filetimeToDate(e.lastWriteTime),
    accessed: filetimeToDate(e.lastAccessTime),
    changed: filetimeToDate(e.changeTime),
    attributes: e.fileAttributes,
  };
}
