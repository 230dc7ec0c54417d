// SMB_COM_TRANSACTION (MS-CIFS 2.2.4.33) and SMB_COM_TRANSACTION2 (2.2.4.46): the same framing.
// Request Words (14 + SetupCount): TotalParameterCount (2) TotalDataCount (2) MaxParameterCount (2)
//   MaxDataCount (2) MaxSetupCount (1) Reserved1 (1) Flags (2) Timeout (4) Reserved2 (2)
//   ParameterCount (2) ParameterOffset (2) DataCount (2) DataOffset (2) SetupCount (1) Reserved3 (1)
//   Setup (2 × SetupCount); Bytes: Name, Pad1, Parameters, Pad2, Data.
// Response Words (10 + SetupCount): TotalParameterCount (2) TotalDataCount (2) Reserved1 (2)
//   ParameterCount (2) ParameterOffset (2) ParameterDisplacement (2) DataCount (2) DataOffset (2)
//   DataDisplacement (2) SetupCount (1) Reserved2 (1) Setup; Bytes: Pad1, Parameters, Pad2, Data.
// An answer larger than the server's buffer arrives as several responses with the same MID
// (MS-CIFS 3.2.5.1.2); TransAnswer puts them together, checking every count, offset and
// displacement against the message, against the totals, and against what the request allowed.
import { MalformedMessageError } from '../../errors.js';
import { ByteWriter } from '../../wire/byte-writer.js';
import { SMB1_HEADER_SIZE, Smb1Command } from '../constants.js';
import { encodeBlock, readBlock, type Smb1Block } from '../message.js';

export interface TransRequest {
  command: typeof Smb1Command.TRANSACTION | typeof Smb1Command.TRANSACTION2;
  setup: readonly number[];
  /** TRANSACTION only: the pipe or mailslot name (e.g. "\PIPE\"). */
  name?: string;
  params: Buffer;
  data: Buffer;
  maxParameterCount: number;
  maxDataCount: number;
  maxSetupCount?: number;
}

const align4 = (n: number): number => (4 - (n % 4)) % 4;

export function encodeTransRequest(t: TransRequest): Buffer {
  const wordCount = 14 + t.setup.length;
  const bytesAt = SMB1_HEADER_SIZE + 1 + wordCount * 2 + 2;
  // The name is Unicode (we always negotiate it), 2-byte aligned; TRANS2's is empty (2.2.4.46.1).
  const namePad = bytesAt % 2;
  const name = Buffer.from(`${t.command === Smb1Command.TRANSACTION ? (t.name ?? '') : ''}\0`, 'utf16le');
  const paramsAt = bytesAt + namePad + name.length + align4(bytesAt + namePad + name.length);
  const dataAt = t.data.length > 0 ? paramsAt + t.params.length + align4(paramsAt + t.params.length) : 0;
  const w = new ByteWriter(wordCount * 2);
  w.u16(t.params.length).u16(t.data.length).u16(t.maxParameterCount).u16(t.maxDataCount).u8(t.maxSetupCount ?? 0).u8(0);
  w.u16(0).u32(0).u16(0);
  w.u16(t.params.length).u16(paramsAt).u16(t.data.length).u16(dataAt).u8(t.setup.length).u8(0);
  for (const s of t.setup) w.u16(s);
  const bytes = [Buffer.alloc(namePad), name, Buffer.alloc(paramsAt - bytesAt - namePad - name.length), t.params];
  if (t.data.length > 0) bytes.push(Buffer.alloc(dataAt - paramsAt - t.params.length), t.data);
  return encodeBlock(w.finish(), bytes);
}

export interface TransResult {
  setup: number[];
  params: Buffer;
  data: Buffer;
}

/**
 * What one message of a transaction answer says about its piece: the counts, offsets and
 * displacements, 16-bit in TRANS/TRANS2 (2.2.4.33.2, 2.2.4.46.2), 32-bit in NT_TRANSACT (2.2.4.62.2).
 */
export interface TransPiece {
  totalParams: number;
  totalData: number;
  pCount: number;
  pOffset: number;
  pDisp: number;
  dCount: number;
  dOffset: number;
  dDisp: number;
  setup: number[];
}

/** Reads a piece from a response's parameter block (`structure` names the command in errors). */
export type TransPieceReader = (b: Smb1Block, structure: string) => TransPiece;

/** The TRANSACTION / TRANSACTION2 response Words (layout in the header comment). */
export function readTransPiece(b: Smb1Block, s: string): TransPiece {
  if (b.wordCount < 10) throw new MalformedMessageError(s, 'WordCount', `${b.wordCount}, need at least 10`);
  const w = b.words;
  const totalParams = w.u16('TotalParameterCount');
  const totalData = w.u16('TotalDataCount');
  w.skip(2, 'Reserved1');
  const pCount = w.u16('ParameterCount');
  const pOffset = w.u16('ParameterOffset');
  const pDisp = w.u16('ParameterDisplacement');
  const dCount = w.u16('DataCount');
  const dOffset = w.u16('DataOffset');
  const dDisp = w.u16('DataDisplacement');
  const setupCount = w.u8('SetupCount');
  w.skip(1, 'Reserved2');
  if (b.wordCount !== 10 + setupCount) throw new MalformedMessageError(s, 'SetupCount', `${setupCount} with WordCount ${b.wordCount}`);
  const setup: number[] = [];
  for (let i = 0; i < setupCount; i++) setup.push(w.u16('Setup'));
  return { totalParams, totalData, pCount, pOffset, pDisp, dCount, dOffset, dDisp, setup };
}

/**
 * Collects the messages of one transaction answer (use as Smb1Request.complete). The same for the
 * three transaction commands: only how a message's Words are read differs (`readPiece`).
 */
export class TransAnswer {
  private totalParams = -1;
  private totalData = -1;
  private params = Buffer.alloc(0);
  private data = Buffer.alloc(0);
  private gotParams = 0;
  private gotData = 0;
  private setup: number[] = [];

  constructor(
    private readonly structure: string,
    private readonly maxParams: number,
    private readonly maxData: number,
    private readonly readPiece: TransPieceReader = readTransPiece,
  ) {}

  /** Adds one response message; true once every parameter and data byte has arrived. */
  push(msg: Buffer): boolean {
    const s = this.structure;
    const b = readBlock(msg, SMB1_HEADER_SIZE, s);
    const { totalParams, totalData, pCount, pOffset, pDisp, dCount, dOffset, dDisp, setup } = this.readPiece(b, s);
    this.start(totalParams, totalData, setup);
    // MS-CIFS 3.2.5.1.2: the totals may shrink in later messages, never grow.
    if (totalParams > this.totalParams || totalData > this.totalData) throw new MalformedMessageError(s, 'TotalDataCount', 'totals grew between messages');
    this.totalParams = totalParams;
    this.totalData = totalData;
    this.gotParams = this.place(msg, b.bytesOffset, 'Parameter', this.params, pOffset, pCount, pDisp, this.gotParams, totalParams);
    this.gotData = this.place(msg, b.bytesOffset, 'Data', this.data, dOffset, dCount, dDisp, this.gotData, totalData);
    if (pCount === 0 && dCount === 0 && (this.gotParams < totalParams || this.gotData < totalData)) {
      throw new MalformedMessageError(s, 'ParameterCount', 'a message of the answer carried nothing');
    }
    return this.gotParams >= totalParams && this.gotData >= totalData;
  }

  /** True once a message with the transaction's words has arrived. */
  get started(): boolean {
    return this.totalParams >= 0;
  }

  result(): TransResult {
    return { setup: this.setup, params: this.params.subarray(0, this.totalParams), data: this.data.subarray(0, this.totalData) };
  }

  private start(totalParams: number, totalData: number, setup: number[]): void {
    if (this.totalParams >= 0) return;
    if (totalParams > this.maxParams) throw new MalformedMessageError(this.structure, 'TotalParameterCount', `${totalParams} > ${this.maxParams} asked for`);
    if (totalData > this.maxData) throw new MalformedMessageError(this.structure, 'TotalDataCount', `${totalData} > ${this.maxData} asked for`);
    this.totalParams = totalParams;
    this.totalData = totalData;
    this.params = Buffer.alloc(totalParams);
    this.data = Buffer.alloc(totalData);
    this.setup = setup;
  }

  /** Copies one piece in; pieces must arrive in order (displacement = bytes so far). */
  private place(msg: Buffer, bytesOffset: number, what: string, into: Buffer, offset: number, count: number, disp: number, got: number, total: number): number {
    if (count === 0) return got;
    if (offset < bytesOffset || offset + count > msg.length) {
      throw new MalformedMessageError(this.structure, `${what}Offset`, `${offset}+${count} outside the message (${bytesOffset}..${msg.length})`);
    }
    if (disp !== got) throw new MalformedMessageError(this.structure, `${what}Displacement`, `${disp}, expected ${got}`);
    if (disp + count > total) throw new MalformedMessageError(this.structure, `${what}Count`, `${disp}+${count} past the total ${total}`);
    msg.copy(into, disp, offset, offset + count);
    return got + count;
  }
}

/** One-message decode (tests, and answers known to fit). */
export function decodeTransResponse(msg: Buffer, structure: string, maxParams = 0xffff, maxData = 0xffff, readPiece: TransPieceReader = readTransPiece): TransResult {
  const a = new TransAnswer(structure, maxParams, maxData, readPiece);
  if (!a.push(msg)) throw new MalformedMessageError(structure, 'TotalDataCount', 'answer continues in another message');
  return a.result();
}
