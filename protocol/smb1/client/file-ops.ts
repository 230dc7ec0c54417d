// Opening, closing, querying and changing files on an SMB1 tree: NT_CREATE_ANDX (or OPEN_ANDX on a
// server without CAP_NT_SMBS), CLOSE, TRANS2 QUERY/SET_PATH/FILE_INFORMATION, QUERY_FS_INFORMATION,
// DELETE, RENAME, CREATE_DIRECTORY, DELETE_DIRECTORY (MS-CIFS 2.2.4, 2.2.6, 3.2.4.5 …).
import { randomBytes } from 'node:crypto';
import type { OpenOptions } from '../../client/api.js';
import { baseName } from '../../client/smb-path.js';
import type { FileStat, SetTimesOptions, SpaceInfo } from '../../client/types.js';
import { SmbStatusError } from '../../errors.js';
import { encodeFileBasicInformation, encodeFileDispositionInformation, encodeFileEndOfFileInformation } from '../../fscc/file-info.js';
import { allocationUnitBytes, decodeFileFsFullSizeInformation, decodeFileFsSizeInformation } from '../../fscc/fs-info.js';
import { FileFsFullSizeInformation, FileRenameInformation } from '../../fscc/info-classes.js';
import { dateToFiletime, filetimeToDate } from '../../fscc/filetime.js';
import { NtStatus } from '../../smb2/nt-status.js';
import {
  FILE_CREATE,
  FILE_OPEN,
  FILE_OPEN_IF,
  FILE_OVERWRITE_IF,
  SMB_INFO_PASSTHROUGH,
  SMB_QUERY_FILE_ALL_INFO,
  SMB_QUERY_FS_SIZE_INFO,
  SMB_SEARCH_ALL,
  SMB_SET_FILE_BASIC_INFO,
  SMB_SET_FILE_DISPOSITION_INFO,
  SMB_SET_FILE_END_OF_FILE_INFO,
  SMB_FILE_ATTRIBUTE_HIDDEN,
  SMB_FILE_ATTRIBUTE_SYSTEM,
  SMB_FILE_ATTRIBUTE_DIRECTORY,
  Smb1Command,
  Trans2,
} from '../constants.js';
import { decodeNtCreateResponse, encodeNtCreateRequest, type NtCreateResponse } from '../commands/nt-create.js';
import {
  OPEN_CREATE_FILE,
  OPEN_FILE_EXISTS_FAIL,
  OPEN_FILE_EXISTS_OPEN,
  OPEN_FILE_EXISTS_TRUNCATE,
  REQ_ATTRIB,
  SMB_DA_ACCESS_READ,
  SMB_DA_ACCESS_READ_WRITE,
  SMB_DA_ACCESS_WRITE,
  SMB_DA_SHARE_DENY_NONE,
  SMB_DA_SHARE_DENY_WRITE,
  decodeOpenAndXResponse,
  encodeOpenAndXRequest,
  type OpenAndXResponse,
} from '../commands/open-andx.js';
import {
  decodeEmptyResponse,
  encodeCloseRequest,
  encodeCreateDirectoryRequest,
  encodeDeleteDirectoryRequest,
  encodeDeleteRequest,
  encodeFlushRequest,
  encodeRenameRequest,
} from '../commands/simple.js';
import {
  decodeQueryFileAllInfo,
  encodePathInfoParams,
  encodeQueryFileInfoParams,
  encodeQueryFsParams,
  encodeRenameInformationSmb1,
  encodeSetFileInfoParams,
  type FileAllInfo,
} from '../commands/trans2.js';
import { display, smb1Path, transact, treeCall, type Smb1TreeContext } from './tree-context.js';
import { withHandle } from '../../client/with-handle.js';

/** MS-SMB2 2.2.13.1 access bits (NT_CREATE_ANDX DesiredAccess uses the same, MS-CIFS 2.2.4.64.1). */
const FILE_READ_DATA = 0x1;
const FILE_WRITE_DATA = 0x2;
const FILE_READ_ATTRIBUTES = 0x80;
const FILE_WRITE_ATTRIBUTES = 0x100;
const DELETE = 0x10000;
const SYNCHRONIZE = 0x100000;
const FILE_SHARE_READ = 1;
const FILE_SHARE_WRITE = 2;
const FILE_SHARE_DELETE = 4;
const FILE_NON_DIRECTORY_FILE = 0x40;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;

export interface Smb1OpenFile {
  fid: number;
  path: string;
  stat: FileStat;
  /** What an OPEN_ANDX answer said, as decoded (MS-CIFS 2.2.4.41.2); absent after NT_CREATE_ANDX. */
  openAndX?: NonNullable<OpenAndXResponse['attributes']>;
}

const DISPOSITIONS = { open: FILE_OPEN, create: FILE_CREATE, 'open-if': FILE_OPEN_IF, 'overwrite-if': FILE_OVERWRITE_IF } as const;

function accessMask(opts: OpenOptions): number {
  const access = opts.access ?? 'read';
  const read = FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  const write = FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  const mask = access === 'read' ? read : access === 'write' ? write : read | write;
  return opts.mayDelete ? mask | DELETE : mask;
}

/** Opens a file (not a folder) as OpenOptions describe. */
export async function openSmb1File(t: Smb1TreeContext, path: string, opts: OpenOptions = {}): Promise<Smb1OpenFile> {
  if (t.neg.openAndX) return openAndX(t, path, opts);
  const access = opts.access ?? 'read';
  const share = opts.share ?? (access === 'read' ? 'all' : 'read');
  return ntCreate(t, path, {
    desiredAccess: accessMask(opts),
    shareAccess: share === 'all' ? FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE : share === 'read' ? FILE_SHARE_READ : 0,
    createDisposition: DISPOSITIONS[opts.disposition ?? 'open'],
    createOptions: FILE_NON_DIRECTORY_FILE,
    operation: access === 'read' ? 'open' : 'create',
  });
}

export interface NtOpen {
  desiredAccess: number;
  shareAccess: number;
  createDisposition: number;
  createOptions: number;
  operation: string;
}

export async function ntCreate(t: Smb1TreeContext, path: string, o: NtOpen): Promise<Smb1OpenFile> {
  const p = smb1Path(path);
  const res = await treeCall(t, {
    command: Smb1Command.NT_CREATE_ANDX,
    body: [encodeNtCreateRequest({ path: p, desiredAccess: o.desiredAccess, extFileAttributes: 0, shareAccess: o.shareAccess, createDisposition: o.createDisposition, createOptions: o.createOptions })],
    operation: o.operation,
    path: display(t, path),
  });
  const c = decodeNtCreateResponse(res.msg);
  return { fid: c.fid, path: p, stat: statFromCreate(baseName(path), c) };
}

/** MS-CIFS 2.2.4.41: the pre-NT open, for servers without CAP_NT_SMBS. */
async function openAndX(t: Smb1TreeContext, path: string, opts: OpenOptions): Promise<Smb1OpenFile> {
  const access = opts.access ?? 'read';
  const p = smb1Path(path);
  const openMode = {
    open: OPEN_FILE_EXISTS_OPEN,
    create: OPEN_FILE_EXISTS_FAIL | OPEN_CREATE_FILE,
    'open-if': OPEN_FILE_EXISTS_OPEN | OPEN_CREATE_FILE,
    'overwrite-if': OPEN_FILE_EXISTS_TRUNCATE | OPEN_CREATE_FILE,
  }[opts.disposition ?? 'open'];
  const mode = access === 'read' ? SMB_DA_ACCESS_READ : access === 'write' ? SMB_DA_ACCESS_WRITE : SMB_DA_ACCESS_READ_WRITE;
  const res = await treeCall(t, {
    command: Smb1Command.OPEN_ANDX,
    body: [
      encodeOpenAndXRequest({
        flags: REQ_ATTRIB,
        accessMode: mode | ((opts.share ?? (access === 'read' ? 'all' : 'read')) === 'all' ? SMB_DA_SHARE_DENY_NONE : SMB_DA_SHARE_DENY_WRITE),
        searchAttributes: SMB_FILE_ATTRIBUTE_HIDDEN | SMB_FILE_ATTRIBUTE_SYSTEM,
        fileAttributes: 0,
        openMode,
        path: p,
      }),
    ],
    operation: access === 'read' ? 'open' : 'create',
    path: display(t, path),
  });
  const o = decodeOpenAndXResponse(res.msg, true);
  const a = o.attributes!;
  // UTIME is the server's local time (MS-CIFS 2.2.1.4.2); ServerTimeZone turns it into UTC.
  const modified = new Date((a.lastWriteTime + t.neg.serverTimeZone * 60) * 1000);
  const isDir = (a.fileAttributes & SMB_FILE_ATTRIBUTE_DIRECTORY) !== 0;
  const stat: FileStat = { name: baseName(path), type: isDir ? 'directory' : 'file', size: a.fileDataSize, allocationSize: a.fileDataSize, created: modified, modified, accessed: modified, changed: modified, attributes: a.fileAttributes };
  return { fid: o.fid, path: p, stat, openAndX: a };
}

export function statFromCreate(name: string, c: NtCreateResponse): FileStat {
  return {
    name,
    type: c.directory || c.fileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'directory' : 'file',
    size: c.endOfFile,
    allocationSize: c.allocationSize,
    created: filetimeToDate(c.creationTime),
    modified: filetimeToDate(c.lastWriteTime),
    accessed: filetimeToDate(c.lastAccessTime),
    changed: filetimeToDate(c.changeTime),
    attributes: c.fileAttributes,
  };
}

function statFromAll(name: string, i: FileAllInfo): FileStat {
  return {
    name,
    type: i.directory || i.fileAttributes & FILE_ATTRIBUTE_DIRECTORY ? 'directory' : 'file',
    size: i.endOfFile,
    allocationSize: i.allocationSize,
    created: filetimeToDate(i.creationTime),
    modified: filetimeToDate(i.lastWriteTime),
    accessed: filetimeToDate(i.lastAccessTime),
    changed: filetimeToDate(i.changeTime),
    attributes: i.fileAttributes,
  };
}

export async function closeSmb1File(t: Smb1TreeContext, fid: number): Promise<void> {
  const res = await treeCall(t, { command: Smb1Command.CLOSE, body: [encodeCloseRequest(fid)], operation: 'close' });
  decodeEmptyResponse(res.msg, 'SMB_COM_CLOSE Response');
}

export async function flushSmb1File(t: Smb1TreeContext, f: Smb1OpenFile): Promise<void> {
  const res = await treeCall(t, { command: Smb1Command.FLUSH, body: [encodeFlushRequest(f.fid)], operation: 'flush', path: display(t, f.path) });
  decodeEmptyResponse(res.msg, 'SMB_COM_FLUSH Response');
}

/** TRANS2_QUERY_PATH_INFORMATION with SMB_QUERY_FILE_ALL_INFO: a stat in one round trip. */
export async function statPath(t: Smb1TreeContext, path: string): Promise<FileStat> {
  const r = await transact(t, {
    command: Smb1Command.TRANSACTION2,
    setup: [Trans2.QUERY_PATH_INFORMATION],
    params: encodePathInfoParams(SMB_QUERY_FILE_ALL_INFO, smb1Path(path)),
    maxParameterCount: 2,
    maxDataCount: 0x1000,
    operation: 'stat',
    path: display(t, path),
  });
  return statFromAll(baseName(path), decodeQueryFileAllInfo(r.data));
}

export async function statOpen(t: Smb1TreeContext, f: Smb1OpenFile): Promise<FileStat> {
  const r = await transact(t, {
    command: Smb1Command.TRANSACTION2,
    setup: [Trans2.QUERY_FILE_INFORMATION],
    params: encodeQueryFileInfoParams(f.fid, SMB_QUERY_FILE_ALL_INFO),
    maxParameterCount: 2,
    maxDataCount: 0x1000,
    operation: 'stat',
    path: display(t, f.path),
  });
  return statFromAll(baseName(f.path), decodeQueryFileAllInfo(r.data));
}

async function setFileInfo(t: Smb1TreeContext, f: Smb1OpenFile, level: number, data: Buffer, operation: string): Promise<void> {
  await transact(t, {
    command: Smb1Command.TRANSACTION2,
    setup: [Trans2.SET_FILE_INFORMATION],
    params: encodeSetFileInfoParams(f.fid, level),
    data,
    maxParameterCount: 2,
    maxDataCount: 0,
    operation,
    path: display(t, f.path),
  });
}

export const setSize = (t: Smb1TreeContext, f: Smb1OpenFile, size: number): Promise<void> =>
  setFileInfo(t, f, SMB_SET_FILE_END_OF_FILE_INFO, encodeFileEndOfFileInformation(size), 'truncate');

export const setDeleteOnClose = (t: Smb1TreeContext, f: Smb1OpenFile): Promise<void> =>
  setFileInfo(t, f, SMB_SET_FILE_DISPOSITION_INFO, encodeFileDispositionInformation(true), 'unlink');

/** SMB_SET_FILE_BASIC_INFO (MS-CIFS 2.2.8.4.1, the layout of FileBasicInformation): 0 leaves a time unchanged. */
export function setTimes(t: Smb1TreeContext, f: Smb1OpenFile, times: SetTimesOptions): Promise<void> {
  const info = encodeFileBasicInformation({
    creationTime: times.created ? dateToFiletime(times.created) : 0n,
    lastAccessTime: times.accessed ? dateToFiletime(times.accessed) : 0n,
    lastWriteTime: times.modified ? dateToFiletime(times.modified) : 0n,
    changeTime: 0n,
    fileAttributes: 0,
  });
  return setFileInfo(t, f, SMB_SET_FILE_BASIC_INFO, info, 'set times');
}

/** Runs `fn` on an open handle and always closes it; a close error never hides `fn`'s. */
export function withOpen<T>(t: Smb1TreeContext, path: string, o: NtOpen, fn: (f: Smb1OpenFile) => Promise<T>): Promise<T> {
  return withHandle(() => ntCreate(t, path, o), (f) => closeSmb1File(t, f.fid), fn);
}

export function openForWriteAttributes(operation: string): NtOpen {
  return { desiredAccess: FILE_WRITE_ATTRIBUTES | FILE_READ_ATTRIBUTES | SYNCHRONIZE, shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, createDisposition: FILE_OPEN, createOptions: 0, operation };
}

export function openForWriteData(operation: string): NtOpen {
  return { desiredAccess: FILE_WRITE_DATA | SYNCHRONIZE, shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, createDisposition: FILE_OPEN, createOptions: FILE_NON_DIRECTORY_FILE, operation };
}

async function simple(t: Smb1TreeContext, command: number, body: Buffer, operation: string, path: string, structure: string): Promise<void> {
  const res = await treeCall(t, { command, body: [body], operation, path: display(t, path) });
  decodeEmptyResponse(res.msg, structure);
}

export const makeDirectory = (t: Smb1TreeContext, path: string): Promise<void> =>
  simple(t, Smb1Command.CREATE_DIRECTORY, encodeCreateDirectoryRequest(smb1Path(path)), 'mkdir', path, 'SMB_COM_CREATE_DIRECTORY Response');

export const removeDirectory = (t: Smb1TreeContext, path: string): Promise<void> =>
  simple(t, Smb1Command.DELETE_DIRECTORY, encodeDeleteDirectoryRequest(smb1Path(path)), 'rmdir', path, 'SMB_COM_DELETE_DIRECTORY Response');

export const removeFile = (t: Smb1TreeContext, path: string): Promise<void> =>
  simple(t, Smb1Command.DELETE, encodeDeleteRequest(smb1Path(path), SMB_FILE_ATTRIBUTE_HIDDEN | SMB_FILE_ATTRIBUTE_SYSTEM), 'unlink', path, 'SMB_COM_DELETE Response');

/** The parent folder of a path in SMB1 form: `\a\b` gives `\a`, `\b` gives the empty string. */
function parentOf(smbPath: string): string {
  return smbPath.slice(0, smbPath.lastIndexOf('\\'));
}

/**
 * Rename: SMB_COM_RENAME (MS-CIFS 2.2.4.8), which never replaces an existing name. With `replace`,
 * after a name collision: on a server with CAP_INFOLEVEL_PASSTHRU, within one folder, one atomic
 * TRANS2_SET_FILE_INFORMATION of FILE_RENAME_INFORMATION with ReplaceIfExists (pass-through level
 * 1010, MS-SMB 2.2.2.3.5 / MS-FSCC 2.4.37) on a handle of the source opened with DELETE access.
 * FileName carries the new name only (RootDirectory 0): Samba's NT1 handler renames within the
 * source's folder. It also refuses a hidden source (a dot file, with `hide dot files`) with
 * STATUS_NO_SUCH_FILE, since it checks the source against no search attributes; such a source is
 * first renamed (SMB_COM_RENAME, hidden files included) to a visible name beside it, then replaces
 * the target from there: the target's name is never missing. SMB_COM_NT_RENAME (2.2.4.66) has no
 * replace flag, so anything else (another folder, or a server without pass-through) removes the
 * old target and renames again: two steps, not atomic.
 */
export async function renameEntry(t: Smb1TreeContext, from: string, to: string, replace: boolean): Promise<void> {
  const src = smb1Path(from);
  const dst = smb1Path(to);
  const rename = (a: string, b: string): Promise<void> =>
    simple(t, Smb1Command.RENAME, encodeRenameRequest(a, b, SMB_SEARCH_ALL), 'rename', from, 'SMB_COM_RENAME Response');
  try {
    await rename(src, dst);
    return;
  } catch (e) {
    if (!replace || !isStatus(e, NtStatus.STATUS_OBJECT_NAME_COLLISION)) throw e;
  }
  if (t.neg.passthrough && t.neg.ntSmbs && parentOf(src) === parentOf(dst)) {
    const newName = dst.slice(parentOf(dst).length + 1);
    const replaceFrom = (path: string): Promise<void> =>
      withOpen(t, path, openForRename(), (f) => setFileInfo(t, f, SMB_INFO_PASSTHROUGH + FileRenameInformation, encodeRenameInformationSmb1(newName, true), 'rename'));
    try {
      await replaceFrom(src);
      return;
    } catch (e) {
      if (!isStatus(e, NtStatus.STATUS_NO_SUCH_FILE)) throw e;
    }
    const visible = `${parentOf(src)}\\sharekeeper-replace-${randomBytes(6).toString('hex')}.tmp`;
    await rename(src, visible);
    try {
      await replaceFrom(visible);
      return;
    } catch (e) {
      await rename(visible, src).catch(() => undefined);
      if (!isStatus(e, NtStatus.STATUS_NO_SUCH_FILE)) throw e;
    }
  }
  await removeFile(t, to);
  await rename(src, dst);
}

function isStatus(e: unknown, status: number): boolean {
  return e instanceof SmbStatusError && e.status === status;
}

/** A file or a folder, opened to be renamed (DELETE access), sharing everything. */
export function openForRename(): NtOpen {
  return { desiredAccess: DELETE | FILE_READ_ATTRIBUTES | SYNCHRONIZE, shareAccess: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, createDisposition: FILE_OPEN, createOptions: 0, operation: 'rename' };
}

/** TRANS2_QUERY_FS_INFORMATION: FileFsFullSizeInformation through pass-through, else SMB_QUERY_FS_SIZE_INFO. */
export async function shareSpace(t: Smb1TreeContext): Promise<SpaceInfo> {
  const level = t.neg.passthrough ? SMB_INFO_PASSTHROUGH + FileFsFullSizeInformation : SMB_QUERY_FS_SIZE_INFO;
  const r = await transact(t, {
    command: Smb1Command.TRANSACTION2,
    setup: [Trans2.QUERY_FS_INFORMATION],
    params: encodeQueryFsParams(level),
    maxParameterCount: 0,
    maxDataCount: 0x100,
    operation: 'statfs',
  });
  if (t.neg.passthrough) {
    const i = decodeFileFsFullSizeInformation(r.data);
    const unit = allocationUnitBytes(i);
    return { totalBytes: Number(i.totalAllocationUnits * unit), freeBytes: Number(i.actualAvailableAllocationUnits * unit), availableBytes: Number(i.callerAvailableAllocationUnits * unit) };
  }
  const i = decodeFileFsSizeInformation(r.data);
  const unit = allocationUnitBytes(i);
  const free = Number(i.availableAllocationUnits * unit);
  return { totalBytes: Number(i.totalAllocationUnits * unit), freeBytes: free, availableBytes: free };
}
