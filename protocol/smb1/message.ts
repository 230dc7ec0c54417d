// The two blocks after the header of every SMB1 message (MS-CIFS 2.2.3.2, 2.2.3.3):
//   SMB_Parameters: WordCount (1), Words (2 × WordCount)
//   SMB_Data:       ByteCount (2), Bytes (ByteCount)
// and the AndX chains that link several such blocks in one message (MS-CIFS 2.2.3.4): the first
// four bytes of an AndX command's Words are AndXCommand (1), AndXReserved (1), AndXOffset (2), the
// offset of the next command's WordCount from the start of the header.
//
// Every offset and count is checked against the message before it is used. A chain can only move
// forward, past the block that names the next one, so it cannot loop, and it is never longer than
// the caller allows (what its request asked for).
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';
import { SMB1_HEADER_SIZE, SMB_COM_NO_ANDX_COMMAND, smb1CommandName } from './constants.js';

export interface Smb1Block {
  /** Offset of WordCount from the start of the message. */
  offset: number;
  wordCount: number;
  /** A reader over exactly the Words. */
  words: ByteReader;
  byteCount: number;
  /** Offset of the first of the Bytes from the start of the message. */
  bytesOffset: number;
  /** Offset just past the Bytes. */
  end: number;
}

/** Reads the parameter and data blocks at `offset`; the counts must fit in the message. */
export function readBlock(msg: Buffer, offset: number, structure: string): Smb1Block {
  const r = new ByteReader(msg, structure, offset);
  const wordCount = r.u8('WordCount');
  const wordsStart = r.offset;
  r.skip(wordCount * 2, 'Words');
  const byteCount = r.u16('ByteCount');
  const bytesOffset = r.offset;
  r.skip(byteCount, 'Bytes');
  return {
    offset,
    wordCount,
    words: new ByteReader(msg, structure, wordsStart, wordsStart + wordCount * 2),
    byteCount,
    bytesOffset,
    end: bytesOffset + byteCount,
  };
}

/**
 * The block at `offset`, which must have exactly `wordCount` words (MS-CIFS gives each response
 * one WordCount, or a small set of them: pass all that are valid).
 */
export function readBlockExpecting(msg: Buffer, offset: number, structure: string, wordCounts: readonly number[]): Smb1Block {
  const b = readBlock(msg, offset, structure);
  if (!wordCounts.includes(b.wordCount)) {
    throw new MalformedMessageError(structure, 'WordCount', `0x${b.wordCount.toString(16)}, expected ${wordCounts.map((w) => `0x${w.toString(16)}`).join(' or ')}`);
  }
  return b;
}

export interface AndXLink {
  /** AndXCommand: the next command in the chain, or SMB_COM_NO_ANDX_COMMAND. */
  command: number;
  /** AndXOffset, meaningful only when command is not SMB_COM_NO_ANDX_COMMAND. */
  offset: number;
}

/** Reads AndXCommand, AndXReserved and AndXOffset from the start of an AndX block's Words. */
export function readAndX(block: Smb1Block): AndXLink {
  const command = block.words.u8('AndXCommand');
  block.words.skip(1, 'AndXReserved');
  const offset = block.words.u16('AndXOffset');
  return { command, offset };
}

/** Checks that `link` may be followed from `block`: forward, past the block, inside the message. */
export function checkAndXLink(msg: Buffer, block: Smb1Block, link: AndXLink, structure: string): void {
  if (link.offset < block.end || link.offset <= block.offset) {
    throw new MalformedMessageError(structure, 'AndXOffset', `${link.offset} does not point past the block at ${block.offset}..${block.end}`);
  }
  if (link.offset >= msg.length) throw new MalformedMessageError(structure, 'AndXOffset', `${link.offset} outside ${msg.length} bytes`);
}

export interface ChainedBlock {
  command: number;
  block: Smb1Block;
}

/**
 * Walks an AndX chain starting with the header's command: every block, in order, at most
 * `maxCommands` of them. `isAndX` says which commands carry an AndX header (a non-AndX command
 * ends the chain). Throws MalformedMessageError on a bad offset or a chain longer than allowed.
 */
export function walkAndXChain(msg: Buffer, firstCommand: number, maxCommands: number, isAndX: (command: number) => boolean): ChainedBlock[] {
  const out: ChainedBlock[] = [];
  let command = firstCommand;
  let offset = SMB1_HEADER_SIZE;
  for (;;) {
    const structure = `${smb1CommandName(command)} Response`;
    const block = readBlock(msg, offset, structure);
    out.push({ command, block });
    // An error response may carry no words at all; a non-AndX command ends the chain.
    if (!isAndX(command) || block.wordCount < 2) return out;
    const link = readAndX(block);
    block.words.seek(block.words.offset - 4, 'AndXCommand'); // leave the Words for the decoder
    if (link.command === SMB_COM_NO_ANDX_COMMAND) return out;
    if (out.length >= maxCommands) {
      throw new MalformedMessageError(structure, 'AndXCommand', `chain continues with ${smb1CommandName(link.command)} past the ${maxCommands} command(s) asked for`);
    }
    checkAndXLink(msg, block, link, structure);
    command = link.command;
    offset = link.offset;
  }
}

/**
 * The first block of a response to an unchained AndX request: its AndXCommand must be
 * SMB_COM_NO_ANDX_COMMAND (a chain where none was asked for is malformed). Returns the block with
 * its Words reader positioned after the AndX header.
 */
export function readSingleAndX(msg: Buffer, structure: string, wordCounts: readonly number[]): Smb1Block {
  const block = readBlockExpecting(msg, SMB1_HEADER_SIZE, structure, wordCounts);
  const link = readAndX(block);
  if (link.command !== SMB_COM_NO_ANDX_COMMAND) {
    throw new MalformedMessageError(structure, 'AndXCommand', `chained ${smb1CommandName(link.command)} to a request that asked for none`);
  }
  return block;
}

/** Pads `at` (an offset from the start of the header) to even, for a Unicode string (MS-CIFS 2.2.1.1). */
export function unicodePad(at: number): number {
  return at % 2;
}

/**
 * A null-terminated string in the Bytes, Unicode (UTF-16LE, 2-byte aligned from the header start)
 * or OEM. A missing terminator at the end of the Bytes is accepted (Windows omits it in places).
 */
export function readSmbString(r: ByteReader, unicode: boolean, field: string): string {
  if (unicode) {
    if (r.offset % 2 === 1 && r.remaining > 0) r.skip(1, `${field} pad`);
    const start = r.offset;
    while (r.remaining >= 2) {
      if (r.u16(field) === 0) return r.buf.subarray(start, r.offset - 2).toString('utf16le');
    }
    if (r.remaining === 1) r.skip(1, field);
    return r.buf.subarray(start, r.offset - (r.offset - start) % 2).toString('utf16le');
  }
  const start = r.offset;
  while (r.remaining >= 1) {
    if (r.u8(field) === 0) return r.buf.subarray(start, r.offset - 1).toString('latin1');
  }
  return r.buf.subarray(start, r.offset).toString('latin1');
}

/** A null-terminated UTF-16LE string. */
export function unicodeZ(s: string): Buffer {
  return Buffer.from(`${s}\0`, 'utf16le');
}

/** Encodes one parameter block + data block: WordCount, Words, ByteCount, then the bytes given. */
export function encodeBlock(words: Buffer, bytes: readonly Buffer[] = [], byteCount?: number): Buffer {
  if (words.length % 2 !== 0 || words.length > 510) throw new RangeError(`SMB1 Words of ${words.length} bytes`);
  let n = 0;
  for (const b of bytes) n += b.length;
  const out = Buffer.alloc(1 + words.length + 2 + n);
  out.writeUInt8(words.length / 2, 0);
  words.copy(out, 1);
  out.writeUInt16LE(Math.min(0xffff, byteCount ?? n), 1 + words.length);
  let at = 3 + words.length;
  for (const b of bytes) {
    b.copy(out, at);
    at += b.length;
  }
  return out;
}

/** Offset of the Bytes of a request whose first block has `wordCount` words (after the header). */
export function bytesOffsetFor(wordCount: number): number {
  return SMB1_HEADER_SIZE + 1 + wordCount * 2 + 2;
}
