// The directory-enumeration information classes a QUERY_DIRECTORY answer carries (MS-FSCC 2.4):
// FileDirectoryInformation (2.4.10), FileBothDirectoryInformation (2.4.8) and FileIdBothDirectoryInformation
// (2.4.17 in the revision the brief cites; the numbers move between revisions, the layouts do not). All three
// begin with the same 64 bytes (NextEntryOffset .. FileNameLength); the Both classes add EaSize and a short name,
// the Id class a FileId, before the FileName.
//
// A QUERY_DIRECTORY buffer is a chain of entries linked by NextEntryOffset (0 on the last). Each entry starts
// 8-byte aligned. Walking checks every offset against the buffer, requires NextEntryOffset to move forward past the
// current entry (so a zero or looping chain cannot spin), and names the field on failure.
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter, utf16Length } from '../wire/byte-writer.js';

export interface DirectoryEntry {
  fileIndex: number;
  creationTime: bigint;
  lastAccessTime: bigint;
  lastWriteTime: bigint;
  changeTime: bigint;
  endOfFile: number;
  allocationSize: number;
  fileAttributes: number;
  fileName: string;
  /** The Both classes only, when the server has one. */
  shortName?: string;
  /** FileIdBothDirectoryInformation only. */
  fileId?: bigint;
}

const SHORT_NAME_BYTES = 24;

/** What one class lays out between FileNameLength and FileName. */
interface Layout {
  structure: string;
  /** Bytes before FileName: 64 shared, then the class's own fields. */
  fixed: number;
  readTail(r: ByteReader, buf: Buffer, entry: DirectoryEntry): void;
  writeTail(w: ByteWriter, e: DirectoryEntry): void;
}

/** EaSize, ShortNameLength, Reserved, ShortName (24 bytes): the Both classes. */
function readShortName(r: ByteReader, buf: Buffer, entry: DirectoryEntry, structure: string): void {
  r.skip(4, 'EaSize');
  const shortLength = r.u8('ShortNameLength');
  r.skip(1, 'Reserved');
  if (shortLength > SHORT_NAME_BYTES) throw new MalformedMessageError(structure, 'ShortNameLength', `${shortLength} > ${SHORT_NAME_BYTES}`);
  if (shortLength % 2 !== 0) throw new MalformedMessageError(structure, 'ShortNameLength', `odd UTF-16 length ${shortLength}`);
  const shortAt = r.offset;
  r.skip(SHORT_NAME_BYTES, 'ShortName');
  if (shortLength > 0) entry.shortName = buf.toString('utf16le', shortAt, shortAt + shortLength);
}

function writeShortName(w: ByteWriter, e: DirectoryEntry): void {
  const short = Buffer.from(e.shortName ?? '', 'utf16le');
  if (short.length > SHORT_NAME_BYTES) throw new RangeError(`short name ${e.shortName} longer than 12 characters`);
  w.u32(0).u8(short.length).u8(0).bytes(short).zeros(SHORT_NAME_BYTES - short.length); // EaSize 0
}

/** MS-FSCC 2.4.10: nothing between FileNameLength and FileName. */
const DIRECTORY: Layout = { structure: 'FILE_DIRECTORY_INFORMATION', fixed: 64, readTail: () => undefined, writeTail: () => undefined };

const BOTH: Layout = {
  structure: 'FILE_BOTH_DIR_INFORMATION',
  fixed: 94,
  readTail: (r, buf, entry) => readShortName(r, buf, entry, 'FILE_BOTH_DIR_INFORMATION'),
  writeTail: writeShortName,
};

const ID_BOTH: Layout = {
  structure: 'FILE_ID_BOTH_DIR_INFORMATION',
  fixed: 104,
  readTail: (r, buf, entry) => {
    readShortName(r, buf, entry, 'FILE_ID_BOTH_DIR_INFORMATION');
    r.skip(2, 'Reserved2');
    entry.fileId = r.u64('FileId');
  },
  writeTail: (w, e) => {
    writeShortName(w, e);
    w.u16(0).u64(e.fileId ?? 0n);
  },
};

function decodeChain(buf: Buffer, layout: Layout): DirectoryEntry[] {
  const { structure, fixed } = layout;
  const entries: DirectoryEntry[] = [];
  if (buf.length === 0) return entries; // an empty output buffer holds no entries
  let at = 0;
  // One reader for the whole chain, moved to each entry: a listing decodes tens of thousands.
  const r = new ByteReader(buf, structure);
  // Every step moves forward by at least `fixed` bytes, so this bound is never the reason to stop on good input.
  for (let guard = 0; guard <= buf.length / fixed; guard++) {
    if (at % 8 !== 0) throw new MalformedMessageError(structure, 'NextEntryOffset', `entry at ${at} not 8-byte aligned`);
    r.seek(at, 'NextEntryOffset');
    const next = r.u32('NextEntryOffset');
    const entry: DirectoryEntry = {
      fileIndex: r.u32('FileIndex'),
      creationTime: r.u64('CreationTime'),
      lastAccessTime: r.u64('LastAccessTime'),
      lastWriteTime: r.u64('LastWriteTime'),
      changeTime: r.u64('ChangeTime'),
      endOfFile: r.u64Number('EndOfFile'),
      allocationSize: r.u64Number('AllocationSize'),
      fileAttributes: r.u32('FileAttributes'),
      fileName: '',
    };
    const nameLength = r.u32('FileNameLength');
    layout.readTail(r, buf, entry);
    entry.fileName = r.utf16(nameLength, 'FileName');
    entries.push(entry);
    if (next === 0) return entries;
    if (next < fixed + nameLength || at + next >= buf.length) {
      throw new MalformedMessageError(structure, 'NextEntryOffset', `${next} at ${at} overlaps the entry or leaves the buffer`);
    }
    at += next;
  }
  throw new MalformedMessageError(structure, 'NextEntryOffset', 'chain does not end');
}

/** Test-proxy and fake-server encoder: entries chained and 8-byte aligned as a server lays them out. */
function encodeChain(entries: DirectoryEntry[], layout: Layout): Buffer {
  const sizes = entries.map((e) => layout.fixed + utf16Length(e.fileName));
  const total = sizes.reduce((sum, size, i) => sum + (i < sizes.length - 1 ? Math.ceil(size / 8) * 8 : size), 0);
  const w = new ByteWriter(total);
  entries.forEach((e, i) => {
    const size = sizes[i] ?? 0;
    const last = i === entries.length - 1;
    w.u32(last ? 0 : Math.ceil(size / 8) * 8).u32(e.fileIndex);
    w.u64(e.creationTime).u64(e.lastAccessTime).u64(e.lastWriteTime).u64(e.changeTime);
    w.u64(e.endOfFile).u64(e.allocationSize).u32(e.fileAttributes).u32(utf16Length(e.fileName));
    layout.writeTail(w, e);
    w.utf16(e.fileName);
    if (!last) w.align(8);
  });
  return w.finish();
}

export const decodeFileDirectoryInformation = (buf: Buffer): DirectoryEntry[] => decodeChain(buf, DIRECTORY);
export const encodeFileDirectoryInformation = (entries: DirectoryEntry[]): Buffer => encodeChain(entries, DIRECTORY);
export const decodeFileBothDirectoryInformation = (buf: Buffer): DirectoryEntry[] => decodeChain(buf, BOTH);
export const encodeFileBothDirectoryInformation = (entries: DirectoryEntry[]): Buffer => encodeChain(entries, BOTH);
export const decodeFileIdBothDirectoryInformation = (buf: Buffer): DirectoryEntry[] => decodeChain(buf, ID_BOTH);
export const encodeFileIdBothDirectoryInformation = (entries: DirectoryEntry[]): Buffer => encodeChain(entries, ID_BOTH);
