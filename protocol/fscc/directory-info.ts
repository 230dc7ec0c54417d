// MS-FSCC 2.4.8 FileBothDirectoryInformation and FileIdBothDirectoryInformation (2.4.17 in the revision the
// brief cites; the number moves between revisions, the layout does not).
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
  shortName?: string;
  /** FileIdBothDirectoryInformation only. */
  fileId?: bigint;
}

/** NextEntryOffset .. ShortName: 4+4+4*8+8+8+4+4+4+1+1+24 bytes. */
const BOTH_FIXED = 94;
/** ... then Reserved2 (2) and FileId (8). */
const ID_BOTH_FIXED = 104;
const SHORT_NAME_BYTES = 24;

function decodeChain(buf: Buffer, structure: string, withId: boolean): DirectoryEntry[] {
  const fixed = withId ? ID_BOTH_FIXED : BOTH_FIXED;
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
    const fileIndex = r.u32('FileIndex');
    const creationTime = r.u64('CreationTime');
    const lastAccessTime = r.u64('LastAccessTime');
    const lastWriteTime = r.u64('LastWriteTime');
    const changeTime = r.u64('ChangeTime');
    const endOfFile = r.u64Number('EndOfFile');
    const allocationSize = r.u64Number('AllocationSize');
    const fileAttributes = r.u32('FileAttributes');
    const nameLength = r.u32('FileNameLength');
    r.skip(4, 'EaSize');
    const shortLength = r.u8('ShortNameLength');
    r.skip(1, 'Reserved');
    if (shortLength > SHORT_NAME_BYTES) {
      throw new MalformedMessageError(structure, 'ShortNameLength', `${shortLength} > ${SHORT_NAME_BYTES}`);
    }
    if (shortLength % 2 !== 0) throw new MalformedMessageError(structure, 'ShortNameLength', `odd UTF-16 length ${shortLength}`);
    const shortAt = r.offset;
    r.skip(SHORT_NAME_BYTES, 'ShortName');
    let fileId: bigint | undefined;
    if (withId) {
      r.skip(2, 'Reserved2');
      fileId = r.u64('FileId');
    }
    const fileName = r.utf16(nameLength, 'FileName');
    const entry: DirectoryEntry = {
      fileIndex,
      creationTime,
      lastAccessTime,
      lastWriteTime,
      changeTime,
      endOfFile,
      allocationSize,
      fileAttributes,
      fileName,
    };
    if (shortLength > 0) entry.shortName = buf.toString('utf16le', shortAt, shortAt + shortLength);
    if (fileId !== undefined) entry.fileId = fileId;
    entries.push(entry);
    if (next === 0) return entries;
    if (next < fixed + nameLength || at + next >= buf.length) {
      throw new MalformedMessageError(structure, 'NextEntryOffset', `${next} at ${at} overlaps the entry or leaves the buffer`);
    }
    at += next;
  }
  throw new MalformedMessageError(structure, 'NextEntryOffset', 'chain does not end');
}

export function decodeFileIdBothDirectoryInformation(buf: Buffer): DirectoryEntry[] {
  return decodeChain(buf, 'FILE_ID_BOTH_DIR_INFORMATION', true);
}

export function decodeFileBothDirectoryInformation(buf: Buffer): DirectoryEntry[] {
  return decodeChain(buf, 'FILE_BOTH_DIR_INFORMATION', false);
}

function encodeChain(entries: DirectoryEntry[], withId: boolean): Buffer {
  const fixed = withId ? ID_BOTH_FIXED : BOTH_FIXED;
  const sizes = entries.map((e) => fixed + utf16Length(e.fileName));
  const total = sizes.reduce((sum, size, i) => sum + (i < sizes.length - 1 ? Math.ceil(size / 8) * 8 : size), 0);
  const w = new ByteWriter(total);
  entries.forEach((e, i) => {
    const size = sizes[i] ?? 0;
    const last = i === entries.length - 1;
    const short = Buffer.from(e.shortName ?? '', 'utf16le');
    if (short.length > SHORT_NAME_BYTES) throw new RangeError(`short name ${e.shortName} longer than 12 characters`);
    w.u32(last ? 0 : Math.ceil(size / 8) * 8).u32(e.fileIndex);
    w.u64(e.creationTime).u64(e.lastAccessTime).u64(e.lastWriteTime).u64(e.changeTime);
    w.u64(e.endOfFile).u64(e.allocationSize).u32(e.fileAttributes).u32(utf16Length(e.fileName)).u32(0); // EaSize
    w.u8(short.length).u8(0).bytes(short).zeros(SHORT_NAME_BYTES - short.length);
    if (withId) w.u16(0).u64(e.fileId ?? 0n);
    w.utf16(e.fileName);
    if (!last) w.align(8);
  });
  return w.finish();
}

/** Test-proxy encoder: entries chained and 8-byte aligned as the server lays them out. */
export function encodeFileIdBothDirectoryInformation(entries: DirectoryEntry[]): Buffer {
  return encodeChain(entries, true);
}

export function encodeFileBothDirectoryInformation(entries: DirectoryEntry[]): Buffer {
  return encodeChain(entries, false);
}
