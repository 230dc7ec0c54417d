// The small SMB1 commands with fixed layouts (MS-CIFS 2.2.4):
//   CLOSE 2.2.4.5 (WordCount 3: FID, LastTimeModified), FLUSH 2.2.4.6 (1: FID),
//   DELETE 2.2.4.7 (1: SearchAttributes; 0x04 + FileName), RENAME 2.2.4.8 (1: SearchAttributes;
//   0x04 + OldFileName, 0x04 + NewFileName), CREATE_DIRECTORY 2.2.4.1 and DELETE_DIRECTORY 2.2.4.2
//   (0; 0x04 + DirectoryName), ECHO 2.2.4.39 (1: EchoCount; data), TREE_DISCONNECT 2.2.4.51 (0),
//   LOGOFF_ANDX 2.2.4.54 (2: AndX), FIND_CLOSE2 2.2.4.48 (1: SearchHandle).
// Their responses carry no parameters (or, for ECHO, the sequence number and the data back).
import { MalformedMessageError } from '../../errors.js';
import { SMB1_HEADER_SIZE, SMB_COM_NO_ANDX_COMMAND } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readBlockExpecting, readSingleAndX } from '../message.js';

const SMB_STRING_BUFFER_FORMAT = 0x04;

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16LE(v & 0xffff, i * 2));
  return b;
}

/** A buffer-format 0x04 string (MS-CIFS 2.2.1.1): the format byte, then a Unicode name that starts even. */
function smbString(name: string, at: number): Buffer[] {
  const pad = Buffer.alloc((at + 1) % 2);
  return [Buffer.from([SMB_STRING_BUFFER_FORMAT]), pad, Buffer.from(`${name}\0`, 'utf16le')];
}

function concatLength(parts: readonly Buffer[]): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

export function encodeCloseRequest(fid: number): Buffer {
  // LastTimeModified 0xFFFFFFFF: leave the time as it is (MS-CIFS 2.2.4.5.1).
  const w = Buffer.alloc(6);
  w.writeUInt16LE(fid, 0);
  w.writeUInt32LE(0xffffffff, 2);
  return encodeBlock(w);
}

export function encodeFlushRequest(fid: number): Buffer {
  return encodeBlock(words(fid));
}

export function encodeDeleteRequest(path: string, searchAttributes: number): Buffer {
  return encodeBlock(words(searchAttributes), smbString(path, bytesOffsetFor(1)));
}

export function encodeRenameRequest(from: string, to: string, searchAttributes: number): Buffer {
  const first = smbString(from, bytesOffsetFor(1));
  const second = smbString(to, bytesOffsetFor(1) + concatLength(first));
  return encodeBlock(words(searchAttributes), [...first, ...second]);
}

export function encodeCreateDirectoryRequest(path: string): Buffer {
  return encodeBlock(Buffer.alloc(0), smbString(path, bytesOffsetFor(0)));
}

export const encodeDeleteDirectoryRequest = encodeCreateDirectoryRequest;

export function encodeEchoRequest(data: Buffer, count = 1): Buffer {
  return encodeBlock(words(count), [data]);
}

export function encodeTreeDisconnectRequest(): Buffer {
  return encodeBlock(Buffer.alloc(0));
}

export function encodeLogoffRequest(): Buffer {
  return encodeBlock(words(SMB_COM_NO_ANDX_COMMAND, 0));
}

export function encodeFindClose2Request(sid: number): Buffer {
  return encodeBlock(words(sid));
}

/** A response with no parameters and no data (CLOSE, DELETE, RENAME, directories, TREE_DISCONNECT, FLUSH, FIND_CLOSE2). */
export function decodeEmptyResponse(msg: Buffer, structure: string): void {
  const b = readBlockExpecting(msg, SMB1_HEADER_SIZE, structure, [0]);
  if (b.byteCount !== 0) throw new MalformedMessageError(structure, 'ByteCount', `${b.byteCount}, must be 0`);
}

export function decodeLogoffResponse(msg: Buffer): void {
  readSingleAndX(msg, 'SMB_COM_LOGOFF_ANDX Response', [2]);
}

/** ECHO (2.2.4.39.2): WordCount 1 (SequenceNumber), the data echoed back unchanged. */
export function decodeEchoResponse(msg: Buffer, sent: Buffer): void {
  const structure = 'SMB_COM_ECHO Response';
  const b = readBlockExpecting(msg, SMB1_HEADER_SIZE, structure, [1]);
  b.words.u16('SequenceNumber');
  const data = msg.subarray(b.bytesOffset, b.end);
  if (!data.equals(sent)) throw new MalformedMessageError(structure, 'Data', 'not the data we sent');
}
