// MS-FSCC 2.7.1 FILE_NOTIFY_INFORMATION: what a CHANGE_NOTIFY answer lists (MS-SMB2 2.2.36).
//
// A chain of entries linked by NextEntryOffset (0 on the last), each 4-byte aligned: NextEntryOffset (4),
// Action (4), FileNameLength (4), FileName (UTF-16LE, relative to the watched directory). Walking checks every
// offset against the buffer, requires NextEntryOffset to move forward past the current entry's name (so a
// zero, backward or looping chain cannot spin or alias), and bounds the number of steps by the buffer size.
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { ByteWriter, utf16Length } from '../wire/byte-writer.js';

const STRUCTURE = 'FILE_NOTIFY_INFORMATION';
/** NextEntryOffset, Action, FileNameLength. */
const FIXED = 12;

/** 2.7.1 Action values. */
export const FILE_ACTION_ADDED = 0x00000001;
export const FILE_ACTION_REMOVED = 0x00000002;
export const FILE_ACTION_MODIFIED = 0x00000003;
export const FILE_ACTION_RENAMED_OLD_NAME = 0x00000004;
export const FILE_ACTION_RENAMED_NEW_NAME = 0x00000005;
export const FILE_ACTION_ADDED_STREAM = 0x00000006;
export const FILE_ACTION_REMOVED_STREAM = 0x00000007;
export const FILE_ACTION_MODIFIED_STREAM = 0x00000008;
/** The last value 2.7.1 defines (FILE_ACTION_TUNNELLED_ID_COLLISION); anything above is not an action. */
const LAST_ACTION = 0x0000000b;

export interface FileNotifyInformation {
  action: number;
  fileName: string;
}

export function decodeFileNotifyInformation(buf: Buffer): FileNotifyInformation[] {
  const entries: FileNotifyInformation[] = [];
  if (buf.length === 0) return entries; // the server lists nothing (MS-SMB2 3.2.5.16 hands that on as is)
  let at = 0;
  // Every step moves forward by at least FIXED bytes, so this bound never stops good input.
  for (let guard = 0; guard <= buf.length / FIXED; guard++) {
    const r = new ByteReader(buf, STRUCTURE, at);
    const next = r.u32('NextEntryOffset');
    const action = r.u32('Action');
    const nameLength = r.u32('FileNameLength');
    if (action === 0 || action > LAST_ACTION) throw new MalformedMessageError(STRUCTURE, 'Action', `unknown action ${action} at ${at}`);
    const fileName = r.utf16(nameLength, 'FileName');
    entries.push({ action, fileName });
    if (next === 0) return entries;
    // 2.7.1: NextEntryOffset is a multiple of 4 and the name is padded to it, so the next entry starts past it.
    if (next % 4 !== 0) throw new MalformedMessageError(STRUCTURE, 'NextEntryOffset', `${next} at ${at} is not a multiple of 4`);
    if (next < FIXED + nameLength || at + next >= buf.length) {
      throw new MalformedMessageError(STRUCTURE, 'NextEntryOffset', `${next} at ${at} overlaps the entry or leaves the buffer`);
    }
    at += next;
  }
  throw new MalformedMessageError(STRUCTURE, 'NextEntryOffset', 'chain does not end');
}

/** Test-proxy side: entries chained and padded to 4 bytes as a server lays them out. */
export function encodeFileNotifyInformation(entries: readonly FileNotifyInformation[]): Buffer {
  const sizes = entries.map((e) => FIXED + utf16Length(e.fileName));
  const padded = sizes.map((s, i) => (i < sizes.length - 1 ? Math.ceil(s / 4) * 4 : s));
  const w = new ByteWriter(padded.reduce((a, b) => a + b, 0));
  entries.forEach((e, i) => {
    const last = i === entries.length - 1;
    w.u32(last ? 0 : padded[i]!).u32(e.action).u32(utf16Length(e.fileName)).utf16(e.fileName);
    if (!last) w.align(4);
  });
  return w.finish();
}
