// Whole-file operations built from CREATE + SET_INFO + CLOSE (MS-SMB2 3.2.4.3, 3.2.4.15;
// MS-FSCC 2.4 information classes): mkdir, rmdir, unlink, rename, truncate, set times.
import { encodeSetInfoRequest } from '../smb2/commands/set-info.js';
import { Smb2Command } from '../smb2/constants.js';
import {
  DELETE,
  FILE_CREATE,
  FILE_DIRECTORY_FILE,
  FILE_NON_DIRECTORY_FILE,
  FILE_OPEN,
  FILE_READ_ATTRIBUTES,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  SMB2_0_INFO_FILE,
  SYNCHRONIZE,
} from '../smb2/create-constants.js';
import {
  encodeFileBasicInformation,
  encodeFileDispositionInformation,
  encodeFileEndOfFileInformation,
  encodeFileRenameInformationSmb2,
} from '../fscc/file-info.js';
import { FileBasicInformation, FileDispositionInformation, FileEndOfFileInformation, FileRenameInformation } from '../fscc/info-classes.js';
import { dateToFiletime } from '../fscc/filetime.js';
import { displayPath, withFile, type OpenFile } from './file-handle.js';
import { toSmbPath } from './smb-path.js';
import { setInfoAtPath } from './compound-io.js';
import { treeCall, type TreeContext } from './tree-context.js';
import type { SetTimesOptions } from './types.js';

/** SET_INFO of one file information class on an open handle (MS-SMB2 2.2.39). */
export async function setInfo(t: TreeContext, f: OpenFile, fileInfoClass: number, buffer: Buffer, operation: string): Promise<void> {
  await treeCall(t, {
    command: Smb2Command.SET_INFO,
    body: [encodeSetInfoRequest({ infoType: SMB2_0_INFO_FILE, fileInfoClass, fileId: f.fileId, buffer })],
    operation,
    path: displayPath(t, f.path),
  });
}

export async function makeDirectory(t: TreeContext, path: string): Promise<void> {
  const open = { desiredAccess: FILE_READ_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_CREATE, createOptions: FILE_DIRECTORY_FILE, operation: 'mkdir' };
  await withFile(t, path, open, async () => undefined);
}

/** Deletion by disposition (not delete-on-close) so a non-empty folder reports DIRECTORY_NOT_EMPTY. */
async function deleteEntry(t: TreeContext, path: string, directory: boolean): Promise<void> {
  const operation = directory ? 'rmdir' : 'unlink';
  const open = {
    desiredAccess: DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
    createDisposition: FILE_OPEN,
    createOptions: directory ? FILE_DIRECTORY_FILE : FILE_NON_DIRECTORY_FILE,
    operation,
  };
  // One round trip (CREATE + SET_INFO + CLOSE compounded).
  await setInfoAtPath(t, path, open, FileDispositionInformation, encodeFileDispositionInformation(true));
}

export const removeDirectory = (t: TreeContext, path: string): Promise<void> => deleteEntry(t, path, true);
export const removeFile = (t: TreeContext, path: string): Promise<void> => deleteEntry(t, path, false);

export async function renameEntry(t: TreeContext, from: string, to: string, replace: boolean): Promise<void> {
  const open = { desiredAccess: DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: 0, operation: 'rename' };
  const target = toSmbPath(to);
  // One round trip (CREATE + SET_INFO + CLOSE compounded): a folder of small files renames each partial into place.
  await setInfoAtPath(t, from, open, FileRenameInformation, encodeFileRenameInformationSmb2(target, replace));
}

export async function truncateFile(t: TreeContext, path: string, size: number): Promise<void> {
  const open = { desiredAccess: FILE_WRITE_DATA | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: FILE_NON_DIRECTORY_FILE, operation: 'truncate' };
  await withFile(t, path, open, (f) => setSizeOf(t, f, size));
}

export async function setFileTimes(t: TreeContext, path: string, times: SetTimesOptions): Promise<void> {
  const open = { desiredAccess: FILE_WRITE_ATTRIBUTES | SYNCHRONIZE, createDisposition: FILE_OPEN, createOptions: 0, operation: 'set times' };
  await withFile(t, path, open, (f) => setTimesOf(t, f, times));
}

/** FileBasicInformation with 0 for every time not given: MS-FSCC 2.4.7, 0 leaves it as it is. */
export function setTimesOf(t: TreeContext, f: OpenFile, times: SetTimesOptions): Promise<void> {
  const info = encodeFileBasicInformation({
    creationTime: times.created ? dateToFiletime(times.created) : 0n,
    lastAccessTime: times.accessed ? dateToFiletime(times.accessed) : 0n,
    lastWriteTime: times.modified ? dateToFiletime(times.modified) : 0n,
    changeTime: 0n,
    fileAttributes: 0,
  });
  return setInfo(t, f, FileBasicInformation, info, 'set times');
}

export function setSizeOf(t: TreeContext, f: OpenFile, size: number): Promise<void> {
  return setInfo(t, f, FileEndOfFileInformation, encodeFileEndOfFileInformation(size), 'truncate');
}

export function deleteOnCloseOf(t: TreeContext, f: OpenFile): Promise<void> {
  return setInfo(t, f, FileDispositionInformation, encodeFileDispositionInformation(true), 'unlink');
}
