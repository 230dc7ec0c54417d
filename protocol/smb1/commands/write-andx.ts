// SMB_COM_WRITE_ANDX (MS-CIFS 2.2.4.43, MS-SMB 2.2.4.3 for CAP_LARGE_WRITEX).
// Request WordCount 0x0E: AndX (4) FID (2) Offset (4) Timeout (4) WriteMode (2) Remaining (2)
//   DataLengthHigh (2) DataLength (2) DataOffset (2) OffsetHigh (4); Bytes: pad (1), Data.
// Response WordCount 0x06: AndX (4) Count (2) Available (2) CountHigh (2) Reserved (2).
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB_COM_NO_ANDX_COMMAND } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readSingleAndX } from '../message.js';

/** Data starts after one pad byte: at 64, 4-byte aligned, as Windows clients send it. */
export const WRITE_ANDX_DATA_OFFSET = bytesOffsetFor(0x0e) + 1;

/** The fixed part; the data follows it as separate parts (never copied). */
export function encodeWriteAndXRequest(r: { fid: number; offset: number; length: number }): Buffer {
  const w = new ByteWriter(28);
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0).u16(r.fid).u32(r.offset % 0x100000000).u32(0);
  w.u16(0).u16(0);
  w.u16(Math.floor(r.length / 0x10000)).u16(r.length & 0xffff).u16(WRITE_ANDX_DATA_OFFSET);
  w.u32(Math.floor(r.offset / 0x100000000));
  // ByteCount cannot express a large write: the server reads DataLength and DataLengthHigh
  // (MS-SMB 2.2.4.3.1). Samba reads such a request's header alone first and refuses a ByteCount
  // that runs past it, so a write that does not fit says 0.
  return encodeBlock(w.finish(), [Buffer.alloc(1)], 1 + r.length > 0xffff ? 0 : 1 + r.length);
}

const STRUCTURE = 'SMB_COM_WRITE_ANDX Response';

/** Bytes written; never more than `sent`. */
export function decodeWriteAndXResponse(msg: Buffer, sent: number): number {
  const b = readSingleAndX(msg, STRUCTURE, [0x06]);
  const count = b.words.u16('Count');
  b.words.skip(2, 'Available');
  const high = b.words.u16('CountHigh');
  // Servers without CAP_LARGE_WRITEX leave CountHigh as Reserved (0); a 64 KiB write is Count 0
  // + CountHigh 1, and nothing larger than what we sent can be right.
  const total = high * 0x10000 + count;
  if (total > sent) throw new MalformedMessageError(STRUCTURE, 'Count', `${total} bytes for a WRITE of ${sent}`);
  return total;
}
