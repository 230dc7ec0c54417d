// MS-FSCC 2.4 file information structures used by QUERY_INFO / SET_INFO (MS-SMB2 2.2.37, 2.2.39):
// FileBasicInformation (2.4.7), FileStandardInformation (2.4.41 / 2.4.45 by revision), FileNetworkOpenInformation
// (2.4.29), FileAllInformation (2.4.2), and the set-side FileRenameInformation (2.4.37.2, SMB2 form),
// FileDispositionInformation (2.4.11), FileEndOfFileInformation (2.4.13).
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter, utf16Length } from '../wire/byte-writer.js';

export const FILE_BASIC_INFORMATION_SIZE = 40;
export const FILE_STANDARD_INFORMATION_SIZE = 24;
export const FILE_NETWORK_OPEN_INFORMATION_SIZE = 56;
/** FileAllInformation up to and including FileNameLength (2.4.2). */
const FILE_ALL_INFORMATION_FIXED = 100;

export interface FileBasicInfo {
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  fileAttributes: number;
}

export interface FileStandardInfo {
  allocationSize: number;
  endOfFile: number;
  numberOfLinks: number;
  deletePending: boolean;
  directory: boolean;
}

export interface FileNetworkOpenInfo {
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  allocationSize: number;
  endOfFile: number;
  fileAttributes: number;
}

export interface FileAllInfo {
  basic: FileBasicInfo;
  standard: FileStandardInfo;
  /** FileInternalInformation.IndexNumber (2.4.26). */
  indexNumber: bigint;
  eaSize: number;
  accessFlags: number;
  currentByteOffset: bigint;
  mode: number;
  alignmentRequirement: number;
  /** FileNameInformation: the path as the server names it, e.g. `\dir\file.txt`. */
  fileName: string;
}

function readBasic(r: ByteReader): FileBasicInfo {
  const creationTime = r.u64('CreationTime');
  const lastAccessTime = r.u64('LastAccessTime');
  const lastWriteTime = r.u64('LastWriteTime');
  const changeTime = r.u64('ChangeTime');
  const fileAttributes = r.u32('FileAttributes');
  r.skip(4, 'Reserved');
  return { creationTime, lastAccessTime, lastWriteTime, changeTime, fileAttributes };
}

function readStandard(r: ByteReader): FileStandardInfo {
  const allocationSize = r.u64Number('AllocationSize');
  const endOfFile = r.u64Number('EndOfFile');
  const numberOfLinks = r.u32('NumberOfLinks');
  const deletePending = r.u8('DeletePending') !== 0;
  const directory = r.u8('Directory') !== 0;
  r.skip(2, 'Reserved');
  return { allocationSize, endOfFile, numberOfLinks, deletePending, directory };
}

export function decodeFileBasicInformation(buf: Buffer): FileBasicInfo {
  return readBasic(new ByteReader(buf, 'FILE_BASIC_INFORMATION'));
}

export function decodeFileStandardInformation(buf: Buffer): FileStandardInfo {
  return readStandard(new ByteReader(buf, 'FILE_STANDARD_INFORMATION'));
}

/**
 * The four FILETIMEs, AllocationSize, EndOfFile and FileAttributes in the order MS-FSCC 2.4.29
 * lays them out; SMB2 CREATE (2.2.14) and CLOSE (2.2.16) responses carry the same run of fields.
 */
export function readTimesSizesAttributes(r: ByteReader): FileNetworkOpenInfo {
  const creationTime = r.u64('CreationTime');
  const lastAccessTime = r.u64('LastAccessTime');
  const lastWriteTime = r.u64('LastWriteTime');
  const changeTime = r.u64('ChangeTime');
  const allocationSize = r.u64Number('AllocationSize');
  const endOfFile = r.u64Number('EndOfFile');
  const fileAttributes = r.u32('FileAttributes');
  return { creationTime, lastAccessTime, lastWriteTime, changeTime, allocationSize, endOfFile, fileAttributes };
}

export function decodeFileNetworkOpenInformation(buf: Buffer): FileNetworkOpenInfo {
  const r = new ByteReader(buf, 'FILE_NETWORK_OPEN_INFORMATION');
  const info = readTimesSizesAttributes(r);
  r.skip(4, 'Reserved');
  return info;
}

/**
 * 2.4.2. The name must be complete: a server that answers STATUS_BUFFER_OVERFLOW truncates it, and the decoder then
 * throws rather than return a cut name; ask again with a larger OutputBufferLength.
 */
export function decodeFileAllInformation(buf: Buffer): FileAllInfo {
  const r = new ByteReader(buf, 'FILE_ALL_INFORMATION');
  const basic = readBasic(r);
  const standard = readStandard(r);
  const indexNumber = r.u64('IndexNumber');
  const eaSize = r.u32('EaSize');
  const accessFlags = r.u32('AccessFlags');
  const currentByteOffset = r.u64('CurrentByteOffset');
  const mode = r.u32('Mode');
  const alignmentRequirement = r.u32('AlignmentRequirement');
  const nameLength = r.u32('FileNameLength');
  const fileName = r.utf16(nameLength, 'FileName');
  return { basic, standard, indexNumber, eaSize, accessFlags, currentByteOffset, mode, alignmentRequirement, fileName };
}

/** 2.4.7: a time of 0 means "do not change"; FileAttributes 0 means "do not change" too. */
export function encodeFileBasicInformation(info: Partial<FileBasicInfo>): Buffer {
  const w = new ByteWriter(FILE_BASIC_INFORMATION_SIZE);
  w.u64(info.creationTime ?? 0n).u64(info.lastAccessTime ?? 0n).u64(info.lastWriteTime ?? 0n).u64(info.changeTime ?? 0n);
  return w.u32(info.fileAttributes ?? 0).u32(0).finish();
}

/**
 * 2.4.37.2 FILE_RENAME_INFORMATION_TYPE_2 (the SMB2 form): ReplaceIfExists (1), Reserved (7), RootDirectory (8, 0 for
 * SMB2), FileNameLength (4), FileName. `newName` is the full target path relative to the share root, with
 * backslashes and no leading backslash (MS-SMB2 3.3.5.21.1).
 */
export function encodeFileRenameInformationSmb2(newName: string, replaceIfExists: boolean): Buffer {
  const nameLength = utf16Length(newName);
  const w = new ByteWriter(20 + nameLength);
  w.u8(replaceIfExists ? 1 : 0).zeros(7).u64(0n).u32(nameLength).utf16(newName);
  return w.finish();
}

export function decodeFileRenameInformationSmb2(buf: Buffer): { newName: string; replaceIfExists: boolean } {
  const r = new ByteReader(buf, 'FILE_RENAME_INFORMATION');
  const replaceIfExists = r.u8('ReplaceIfExists') !== 0;
  r.skip(15, 'Reserved/RootDirectory');
  const nameLength = r.u32('FileNameLength');
  return { replaceIfExists, newName: r.utf16(nameLength, 'FileName') };
}

/** 2.4.11: DeletePending, one byte. The file goes when the last handle closes. */
export function encodeFileDispositionInformation(deletePending: boolean): Buffer {
  return new ByteWriter(1).u8(deletePending ? 1 : 0).finish();
}

/** 2.4.13: EndOfFile, a signed 64-bit size; must be non-negative. */
export function encodeFileEndOfFileInformation(size: number | bigint): Buffer {
  const v = BigInt(size);
  if (v < 0n || v > 0x7fffffffffffffffn) throw new RangeError(`EndOfFile ${size} out of range`);
  return new ByteWriter(8).u64(v).finish();
}

/** Test-proxy encoders. */
export function encodeFileStandardInformation(info: FileStandardInfo): Buffer {
  const w = new ByteWriter(FILE_STANDARD_INFORMATION_SIZE);
  w.u64(info.allocationSize).u64(info.endOfFile).u32(info.numberOfLinks);
  return w.u8(info.deletePending ? 1 : 0).u8(info.directory ? 1 : 0).u16(0).finish();
}

export function encodeFileNetworkOpenInformation(info: FileNetworkOpenInfo): Buffer {
  const w = new ByteWriter(FILE_NETWORK_OPEN_INFORMATION_SIZE);
  w.u64(info.creationTime).u64(info.lastAccessTime).u64(info.lastWriteTime).u64(info.changeTime);
  return w.u64(info.allocationSize).u64(info.endOfFile).u32(info.fileAttributes).u32(0).finish();
}

export function encodeFileAllInformation(info: FileAllInfo): Buffer {
  const nameLength = utf16Length(info.fileName);
  const w = new ByteWriter(FILE_ALL_INFORMATION_FIXED + nameLength);
  w.bytes(encodeFileBasicInformation(info.basic)).bytes(encodeFileStandardInformation(info.standard));
  w.u64(info.indexNumber).u32(info.eaSize).u32(info.accessFlags).u64(info.currentByteOffset);
  return w.u32(info.mode).u32(info.alignmentRequirement).u32(nameLength).utf16(info.fileName).finish();
}

