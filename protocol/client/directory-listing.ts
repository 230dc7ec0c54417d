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

/**
 * QUERY_DIRECTORY answers of this size, several asked for at once: the server serves requests on
 * one handle in order, each continuing where the last stopped (MS-SMB2 3.3.5.18), so while we
 * decode one answer it is already producing the next. Measured on a 20,000-entry folder: 3 in
 * flight of 256 KiB beat one at a time of 64 KiB to 4 MiB.
 */
const LISTING_BUFFER = 256 * 1024;
const LISTING_WINDOW = 3;

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
    const query = (first: boolean) => {
      const answer = treeCall(
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
      // Queued answers are awaited in turn; until then a failure must not count as unhandled.
      answer.catch(() => undefined);
      return answer;
    };
    // The first answer decides whether there is anything more to ask for.
    const pending = [query(true)];
    for (;;) {
      const res = await pending.shift()!;
      if (res.header.status === NtStatus.STATUS_NO_MORE_FILES) {
        await Promise.allSettled(pending); // later ones say NO_MORE_FILES too; let them land
        return entries;
      }
      while (pending.length < LISTING_WINDOW) pending.push(query(false));
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
