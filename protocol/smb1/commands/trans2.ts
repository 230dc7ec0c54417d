// TRANS2 subcommand parameters and their answers (MS-CIFS 2.2.6):
//   FIND_FIRST2 2.2.6.2: SearchAttributes (2) SearchCount (2) Flags (2) InformationLevel (2)
//     SearchStorageType (4) FileName; answer SID (2) SearchCount (2) EndOfSearch (2)
//     EaErrorOffset (2) LastNameOffset (2)
//   FIND_NEXT2 2.2.6.3: SID (2) SearchCount (2) InformationLevel (2) ResumeKey (4) Flags (2)
//     FileName; answer SearchCount (2) EndOfSearch (2) EaErrorOffset (2) LastNameOffset (2)
//   QUERY_FS_INFORMATION 2.2.6.4: InformationLevel (2)
//   QUERY_PATH_INFORMATION 2.2.6.6 / SET_PATH_INFORMATION 2.2.6.7: InformationLevel (2)
//     Reserved (4) FileName
//   QUERY_FILE_INFORMATION 2.2.6.8: FID (2) InformationLevel (2)
//   SET_FILE_INFORMATION 2.2.6.9: FID (2) InformationLevel (2) Reserved (2)
// and the information structures read from their data: SMB_FIND_FILE_DIRECTORY_INFO (2.2.8.1.4),
// SMB_FIND_FILE_BOTH_DIRECTORY_INFO (2.2.8.1.7) and SMB_QUERY_FILE_ALL_INFO (2.2.8.3.8).
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';

const name = (path: string): Buffer => Buffer.from(`${path}\0`, 'utf16le');

export function encodeFindFirst2Params(p: { searchAttributes: number; searchCount: number; flags: number; informationLevel: number; pattern: string }): Buffer {
  const n = name(p.pattern);
  const w = new ByteWriter(12 + n.length);
  w.u16(p.searchAttributes).u16(p.searchCount).u16(p.flags).u16(p.informationLevel).u32(0).bytes(n);
  return w.finish();
}

export function encodeFindNext2Params(p: { sid: number; searchCount: number; informationLevel: number; resumeKey: number; flags: number; lastName: string }): Buffer {
  const n = name(p.lastName);
  const w = new ByteWriter(12 + n.length);
  w.u16(p.sid).u16(p.searchCount).u16(p.informationLevel).u32(p.resumeKey).u16(p.flags).bytes(n);
  return w.finish();
}

export interface FindAnswer {
  /** FIND_FIRST2 only. */
  sid: number | undefined;
  searchCount: number;
  endOfSearch: boolean;
  lastNameOffset: number;
}

export function decodeFindFirst2Params(params: Buffer): FindAnswer {
  const r = new ByteReader(params, 'TRANS2_FIND_FIRST2 Response Parameters');
  const sid = r.u16('SID');
  return { sid, ...findRest(r) };
}

export function decodeFindNext2Params(params: Buffer): FindAnswer {
  const r = new ByteReader(params, 'TRANS2_FIND_NEXT2 Response Parameters');
  return { sid: undefined, ...findRest(r) };
}

function findRest(r: ByteReader): Omit<FindAnswer, 'sid'> {
  const searchCount = r.u16('SearchCount');
  const endOfSearch = r.u16('EndOfSearch') !== 0;
  r.u16('EaErrorOffset');
  const lastNameOffset = r.u16('LastNameOffset');
  return { searchCount, endOfSearch, lastNameOffset };
}

export interface FindEntry {
  fileIndex: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  endOfFile: number;
  allocationSize: number;
  fileAttributes: number;
  fileName: string;
  /** Offset of the entry in the data, for LastNameOffset checks. */
  offset: number;
}

/** The two FIND levels read here: both begin with the same 64 bytes, up to FileNameLength. */
interface FindLevel {
  structure: string;
  /** Bytes before FileName. */
  fixed: number;
  /** EaSize, ShortNameLength, Reserved and ShortName sit between FileNameLength and FileName. */
  shortName: boolean;
}
const DIRECTORY_LEVEL: FindLevel = { structure: 'SMB_FIND_FILE_DIRECTORY_INFO', fixed: 64, shortName: false };
const BOTH_LEVEL: FindLevel = { structure: 'SMB_FIND_FILE_BOTH_DIRECTORY_INFO', fixed: 94, shortName: true };

/** The entries of one FIND answer at SMB_FIND_FILE_DIRECTORY_INFO (see decodeFindEntries). */
export const decodeFindDirectoryInfo = (data: Buffer, count: number): FindEntry[] => decodeFindEntries(data, count, DIRECTORY_LEVEL);
/** The entries of one FIND answer at SMB_FIND_FILE_BOTH_DIRECTORY_INFO (see decodeFindEntries). */
export const decodeFindBothDirectoryInfo = (data: Buffer, count: number): FindEntry[] => decodeFindEntries(data, count, BOTH_LEVEL);

/**
 * The entries of one FIND answer: at most `count` (SearchCount) of them. Entries are chained by
 * NextEntryOffset (no alignment is required in SMB1), which must move forward past the entry and
 * stay inside the data. The chain may end before SearchCount, with 0 or with an offset to the end
 * of the data (impacket counts one entry too many in FIND_NEXT2); it never goes past it.
 */
function decodeFindEntries(data: Buffer, count: number, level: FindLevel): FindEntry[] {
  const { structure, fixed } = level;
  const entries: FindEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const r = new ByteReader(data, structure, at);
    const next = r.u32('NextEntryOffset');
    const fileIndex = r.u32('FileIndex');
    const creationTime = r.u64('CreationTime');
    const lastAccessTime = r.u64('LastAccessTime');
    const lastWriteTime = r.u64('LastWriteTime');
    const changeTime = r.u64('LastChangeTime');
    const endOfFile = r.u64Number('EndOfFile');
    const allocationSize = r.u64Number('AllocationSize');
    const fileAttributes = r.u32('ExtFileAttributes');
    const nameLength = r.u32('FileNameLength');
    if (level.shortName) {
      r.skip(4, 'EaSize');
      r.skip(2, 'ShortNameLength/Reserved');
      r.skip(24, 'ShortName');
    }
    if (nameLength % 2 !== 0) throw new MalformedMessageError(structure, 'FileNameLength', `odd UTF-16 length ${nameLength}`);
    const fileName = r.utf16(nameLength, 'FileName').replace(/\0+$/, '');
    entries.push({ fileIndex, creationTime, lastAccessTime, lastWriteTime, changeTime, endOfFile, allocationSize, fileAttributes, fileName, offset: at });
    if (i === count - 1 || next === 0 || at + next === data.length) break;
    if (next < fixed + nameLength || at + next > data.length) {
      throw new MalformedMessageError(structure, 'NextEntryOffset', `${next} at ${at} does not lead to entry ${i + 2} of ${count} in ${data.length} bytes`);
    }
    at += next;
  }
  return entries;
}

export function encodeQueryFsParams(informationLevel: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(informationLevel);
  return b;
}

export function encodePathInfoParams(informationLevel: number, path: string): Buffer {
  const n = name(path);
  const w = new ByteWriter(6 + n.length);
  w.u16(informationLevel).u32(0).bytes(n);
  return w.finish();
}

export function encodeQueryFileInfoParams(fid: number, informationLevel: number): Buffer {
  const w = new ByteWriter(4);
  w.u16(fid).u16(informationLevel);
  return w.finish();
}

export function encodeSetFileInfoParams(fid: number, informationLevel: number): Buffer {
  const w = new ByteWriter(6);
  w.u16(fid).u16(informationLevel).u16(0);
  return w.finish();
}

export interface FileAllInfo {
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  fileAttributes: number;
  allocationSize: number;
  endOfFile: number;
  deletePending: boolean;
  directory: boolean;
}

/** SMB_QUERY_FILE_ALL_INFO (MS-CIFS 2.2.8.3.8); the trailing FileName is not needed. */
export function decodeQueryFileAllInfo(data: Buffer): FileAllInfo {
  const r = new ByteReader(data, 'SMB_QUERY_FILE_ALL_INFO');
  const creationTime = r.u64('CreationTime');
  const lastAccessTime = r.u64('LastAccessTime');
  const lastWriteTime = r.u64('LastWriteTime');
  const changeTime = r.u64('LastChangeTime');
  const fileAttributes = r.u32('ExtFileAttributes');
  r.skip(4, 'Reserved1');
  const allocationSize = r.u64Number('AllocationSize');
  const endOfFile = r.u64Number('EndOfFile');
  r.skip(4, 'NumberOfLinks');
  const deletePending = r.u8('DeletePending') !== 0;
  const directory = r.u8('Directory') !== 0;
  return { creationTime, lastAccessTime, lastWriteTime, changeTime, fileAttributes, allocationSize, endOfFile, deletePending, directory };
}

/**
 * MS-FSCC 2.4.37 FILE_RENAME_INFORMATION as SMB1 passes it through (MS-SMB 2.2.2.3.5, level 1010):
 * ReplaceIfExists (1) Reserved (3) RootDirectory (4) FileNameLength (4) FileName.
 */
export function encodeRenameInformationSmb1(newName: string, replaceIfExists: boolean): Buffer {
  const n = Buffer.from(newName, 'utf16le');
  const w = new ByteWriter(12 + n.length);
  w.u8(replaceIfExists ? 1 : 0).zeros(3).u32(0).u32(n.length).bytes(n);
  return w.finish();
}
