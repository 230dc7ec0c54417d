// SMB_COM_READ_ANDX (MS-CIFS 2.2.4.42, MS-SMB 2.2.4.2 for CAP_LARGE_READX).
// Request WordCount 0x0C: AndX (4) FID (2) Offset (4) MaxCountOfBytesToReturn (2)
//   MinCountOfBytesToReturn (2) Timeout_or_MaxCountHigh (4) Remaining (2) OffsetHigh (4); no Bytes.
// Response WordCount 0x0C: AndX (4) Available (2) DataCompactionMode (2) Reserved1 (2)
//   DataLength (2) DataOffset (2) DataLengthHigh (2) Reserved2 (8); Bytes: pad, Data.
// A large read's data does not fit in ByteCount, so the data is located by DataOffset and
// DataLength (+ DataLengthHigh << 16) and checked against the message and against what was asked.
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB_COM_NO_ANDX_COMMAND } from '../constants.js';
import { encodeBlock, readSingleAndX } from '../message.js';

export function encodeReadAndXRequest(r: { fid: number; offset: number; length: number }): Buffer {
  const w = new ByteWriter(24);
  w.u8(SMB_COM_NO_ANDX_COMMAND).u8(0).u16(0).u16(r.fid);
  w.u32(r.offset % 0x100000000);
  w.u16(r.length & 0xffff).u16(r.length & 0xffff);
  // MS-SMB 2.2.4.2.1: with CAP_LARGE_READX the Timeout field carries MaxCountHigh.
  w.u32(Math.floor(r.length / 0x10000));
  w.u16(0).u32(Math.floor(r.offset / 0x100000000));
  return encodeBlock(w.finish());
}

const STRUCTURE = 'SMB_COM_READ_ANDX Response';

/** The data: a view into `msg`, never longer than `asked`. */
export function decodeReadAndXResponse(msg: Buffer, asked: number): Buffer {
  const b = readSingleAndX(msg, STRUCTURE, [0x0c]);
  const w = b.words;
  w.skip(6, 'Available/DataCompactionMode/Reserved1');
  const low = w.u16('DataLength');
  const offset = w.u16('DataOffset');
  const high = w.u16('DataLengthHigh');
  const length = high * 0x10000 + low;
  if (length === 0) return msg.subarray(0, 0);
  if (offset < b.bytesOffset || offset + length > msg.length) {
    throw new MalformedMessageError(STRUCTURE, 'DataOffset', `data ${offset}+${length} outside the ${msg.length}-byte message`);
  }
  if (length > asked) throw new MalformedMessageError(STRUCTURE, 'DataLength', `${length} bytes for a READ of ${asked}`);
  return msg.subarray(offset, offset + length);
}
