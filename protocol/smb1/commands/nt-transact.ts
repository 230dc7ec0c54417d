// SMB_COM_NT_TRANSACT (MS-CIFS 2.2.4.62): the NT LM 0.12 transaction, its subcommand in Function,
// its counts and offsets 32 bits wide (the other two transactions' are 16, transaction.ts).
// Request Words (19 + SetupCount, 2.2.4.62.1): MaxSetupCount (1) Reserved1 (2)
//   TotalParameterCount (4) TotalDataCount (4) MaxParameterCount (4) MaxDataCount (4)
//   ParameterCount (4) ParameterOffset (4) DataCount (4) DataOffset (4) SetupCount (1)
//   Function (2) Setup (2 × SetupCount); Bytes: Pad1, NT_Trans_Parameters, Pad2, NT_Trans_Data.
// Response Words (18 + SetupCount, 2.2.4.62.2): Reserved1 (3) TotalParameterCount (4)
//   TotalDataCount (4) ParameterCount (4) ParameterOffset (4) ParameterDisplacement (4)
//   DataCount (4) DataOffset (4) DataDisplacement (4) SetupCount (1) Setup; Bytes as the request's.
// We only send requests that fit one message (no NT_TRANSACT_SECONDARY, 2.2.4.63), so there is no
// interim response to expect (2.2.4.62.2 sends one only when secondaries are pending). An answer
// may still come in several messages: TransAnswer (transaction.ts) puts them together with
// readNtTransPiece, checking every count, offset and displacement as for TRANS2.
import { MalformedMessageError } from '../../errors.js';
import { ByteReader } from '../../wire/byte-reader.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB1_HEADER_SIZE } from '../constants.js';
import { bytesOffsetFor, encodeBlock, readBlock, type Smb1Block } from '../message.js';
import type { TransPiece } from './transaction.js';

const REQUEST_FIXED_WORDS = 19;
const RESPONSE_FIXED_WORDS = 18;

export interface NtTransRequest {
  /** 2.2.2.2 NT_TRANSACT subcommand (NtTransact.*). */
  function: number;
  /** Setup words as bytes (even length): each subcommand lays its own out (2.2.7.x). */
  setup: Buffer;
  params: Buffer;
  data: Buffer;
  maxParameterCount: number;
  maxDataCount: number;
  maxSetupCount?: number;
}

const align4 = (n: number): number => (4 - (n % 4)) % 4;

export function encodeNtTransRequest(t: NtTransRequest): Buffer {
  if (t.setup.length % 2 !== 0 || t.setup.length > 2 * 0xff) throw new RangeError(`NT_TRANSACT Setup of ${t.setup.length} bytes`);
  const wordCount = REQUEST_FIXED_WORDS + t.setup.length / 2;
  const bytesAt = bytesOffsetFor(wordCount);
  // Pad1 puts the parameters on a 4-byte boundary from the header's start; it is sent even when
  // there are none, so ParameterOffset points inside the message either way.
  const paramsAt = bytesAt + align4(bytesAt);
  const dataAt = t.data.length > 0 ? paramsAt + t.params.length + align4(paramsAt + t.params.length) : 0;
  const w = new ByteWriter(wordCount * 2);
  w.u8(t.maxSetupCount ?? 0).u16(0); // Reserved1
  w.u32(t.params.length).u32(t.data.length).u32(t.maxParameterCount).u32(t.maxDataCount);
  w.u32(t.params.length).u32(paramsAt).u32(t.data.length).u32(dataAt);
  w.u8(t.setup.length / 2).u16(t.function).bytes(t.setup);
  const bytes = [Buffer.alloc(paramsAt - bytesAt), t.params];
  if (t.data.length > 0) bytes.push(Buffer.alloc(dataAt - paramsAt - t.params.length), t.data);
  return encodeBlock(w.finish(), bytes);
}

/** The response Words of one message (pass to TransAnswer / decodeTransResponse). */
export function readNtTransPiece(b: Smb1Block, s: string): TransPiece {
  if (b.wordCount < RESPONSE_FIXED_WORDS) throw new MalformedMessageError(s, 'WordCount', `${b.wordCount}, need at least ${RESPONSE_FIXED_WORDS}`);
  const w = b.words;
  w.skip(3, 'Reserved1');
  const totalParams = w.u32('TotalParameterCount');
  const totalData = w.u32('TotalDataCount');
  const pCount = w.u32('ParameterCount');
  const pOffset = w.u32('ParameterOffset');
  const pDisp = w.u32('ParameterDisplacement');
  const dCount = w.u32('DataCount');
  const dOffset = w.u32('DataOffset');
  const dDisp = w.u32('DataDisplacement');
  const setupCount = w.u8('SetupCount');
  if (b.wordCount !== RESPONSE_FIXED_WORDS + setupCount) throw new MalformedMessageError(s, 'SetupCount', `${setupCount} with WordCount ${b.wordCount}`);
  const setup: number[] = [];
  for (let i = 0; i < setupCount; i++) setup.push(w.u16('Setup'));
  return { totalParams, totalData, pCount, pOffset, pDisp, dCount, dOffset, dDisp, setup };
}

/** Test-proxy side: what a server reads of a one-message request. */
export function decodeNtTransRequest(msg: Buffer): NtTransRequest {
  const s = 'SMB_COM_NT_TRANSACT Request';
  const b = readBlock(msg, SMB1_HEADER_SIZE, s);
  if (b.wordCount < REQUEST_FIXED_WORDS) throw new MalformedMessageError(s, 'WordCount', `${b.wordCount}`);
  const w = b.words;
  const maxSetupCount = w.u8('MaxSetupCount');
  w.skip(2, 'Reserved1');
  const totalParams = w.u32('TotalParameterCount');
  const totalData = w.u32('TotalDataCount');
  const maxParameterCount = w.u32('MaxParameterCount');
  const maxDataCount = w.u32('MaxDataCount');
  const pCount = w.u32('ParameterCount');
  const pOffset = w.u32('ParameterOffset');
  const dCount = w.u32('DataCount');
  const dOffset = w.u32('DataOffset');
  const setupCount = w.u8('SetupCount');
  const fn = w.u16('Function');
  if (b.wordCount !== REQUEST_FIXED_WORDS + setupCount) throw new MalformedMessageError(s, 'SetupCount', `${setupCount} with WordCount ${b.wordCount}`);
  if (pCount !== totalParams || dCount !== totalData) throw new MalformedMessageError(s, 'TotalParameterCount', 'a request in several messages');
  const setup = w.bytes(setupCount * 2, 'Setup');
  const whole = new ByteReader(msg, s, b.bytesOffset, b.end);
  const params = pCount > 0 ? whole.slice(pOffset, pCount, 'NT_Trans_Parameters') : Buffer.alloc(0);
  const data = dCount > 0 ? whole.slice(dOffset, dCount, 'NT_Trans_Data') : Buffer.alloc(0);
  return { function: fn, setup, params, data, maxParameterCount, maxDataCount, maxSetupCount };
}

/** Test-proxy side: a one-message answer (WordCount onwards), the parameters 4-byte aligned. */
export function encodeNtTransResponse(r: { params: Buffer; data?: Buffer; setup?: readonly number[] }): Buffer {
  const setup = r.setup ?? [];
  const data = r.data ?? Buffer.alloc(0);
  const wordCount = RESPONSE_FIXED_WORDS + setup.length;
  const bytesAt = bytesOffsetFor(wordCount);
  const paramsAt = bytesAt + align4(bytesAt);
  const dataAt = paramsAt + r.params.length + align4(paramsAt + r.params.length);
  const w = new ByteWriter(wordCount * 2);
  w.zeros(3).u32(r.params.length).u32(data.length);
  w.u32(r.params.length).u32(r.params.length > 0 ? paramsAt : 0).u32(0);
  w.u32(data.length).u32(data.length > 0 ? dataAt : 0).u32(0);
  w.u8(setup.length);
  for (const x of setup) w.u16(x);
  const bytes = [Buffer.alloc(paramsAt - bytesAt), r.params];
  if (data.length > 0) bytes.push(Buffer.alloc(dataAt - paramsAt - r.params.length), data);
  return encodeBlock(w.finish(), bytes);
}
