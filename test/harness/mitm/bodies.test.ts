// The proxy's body rewrites keep MS-SMB2 / MS-FSCC layouts: directory entries 8-byte aligned with
// NextEntryOffset chaining them, a READ's DataLength matching its data, a CREATE's contexts moved
// with their offset, a compound re-chained even when a PDU was cut short.
import { describe, expect, it } from 'vitest';
import {
  alterReadData,
  buildDirEntries,
  createRequestName,
  directoryBuffer,
  entryFixed,
  extendReadResponse,
  DIR_FIXED,
  parseDirEntries,
  queryDirectoryBody,
  readResponseData,
  renameDirEntries,
  uniqueEntries,
  withCreateName,
  withDirectoryBuffer,
} from './bodies.js';
import { buildResponse, chainPdus, Hdr, HEADER_SIZE, readHeader, Smb2Command, splitCompound, stripSignature, SMB2_FLAGS_SIGNED } from './smb2-pdu.js';

function readResponse(data: Buffer): Buffer {
  const body = Buffer.alloc(16 + data.length);
  body.writeUInt16LE(17, 0);
  body.writeUInt8(HEADER_SIZE + 16, 2);
  body.writeUInt32LE(data.length, 4);
  data.copy(body, 16);
  return buildResponse({ command: Smb2Command.READ, messageId: 7n }, body);
}

describe('directory entries (FileDirectoryInformation)', () => {
  it('unique entries fit the space, chain 8-byte aligned, and never repeat across calls', () => {
    const a = uniqueEntries('x-', 0, 4096);
    const b = uniqueEntries('x-', a.next, 4096);
    expect(a.buffer.length).toBeLessThanOrEqual(4096);
    const names = [...parseDirEntries(a.buffer), ...parseDirEntries(b.buffer)].map((e) => e.name);
    expect(names).toHaveLength(b.next);
    expect(new Set(names).size).toBe(names.length);
    for (const e of parseDirEntries(a.buffer)) expect(e.at % 8).toBe(0);
  });

  it('renaming re-lays the chain: lengths, alignment and the last NextEntryOffset 0', () => {
    const buf = buildDirEntries(['.', '..', 'a.txt', 'b.txt'].map((name, i) => ({ fixed: entryFixed(i), name })));
    const { buffer, renamed } = renameDirEntries(buf, (n) => (n === 'a.txt' ? 'a much longer name\n\u202e.txt' : undefined));
    expect(renamed).toBe(1);
    const entries = parseDirEntries(buffer);
    expect(entries.map((e) => e.name)).toEqual(['.', '..', 'a much longer name\n\u202e.txt', 'b.txt']);
    expect(entries.map((e) => e.at % 8)).toEqual([0, 0, 0, 0]);
    const last = entries.at(-1)!;
    expect(buffer.readUInt32LE(last.at)).toBe(0);
    expect(buffer.length).toBe(last.at + DIR_FIXED + 2 * 'b.txt'.length);
  });

  it('a QUERY_DIRECTORY response carries the buffer at its OutputBufferOffset', () => {
    const buf = uniqueEntries('q', 0, 1024).buffer;
    const pdu = buildResponse({ command: Smb2Command.QUERY_DIRECTORY, messageId: 3n }, queryDirectoryBody(Buffer.alloc(8)));
    expect(directoryBuffer(withDirectoryBuffer(pdu, buf))).toEqual(buf);
  });
});

describe('READ, CREATE and header edits', () => {
  it('extending a READ response raises DataLength and keeps the data inside the message', () => {
    const pdu = extendReadResponse(readResponse(Buffer.from('hello')), Buffer.from(' world'));
    const { offset, length } = readResponseData(pdu);
    expect(pdu.toString('latin1', offset, offset + length)).toBe('hello world');
    expect(offset + length).toBeLessThanOrEqual(pdu.length);
    const changed = alterReadData(Buffer.from(pdu), 0, 2);
    expect(changed.subarray(offset + 2)).toEqual(pdu.subarray(offset + 2));
    expect(changed[offset]).not.toBe(pdu[offset]);
  });

  it('a CREATE renamed keeps its contexts, moved to the next 8-byte boundary', () => {
    const name = Buffer.from('dir\\a.txt', 'utf16le');
    const contexts = Buffer.from('context-bytes-16');
    const body = Buffer.alloc(56 + 24 + contexts.length);
    body.writeUInt16LE(57, 0);
    body.writeUInt16LE(HEADER_SIZE + 56, 44);
    body.writeUInt16LE(name.length, 46);
    name.copy(body, 56);
    body.writeUInt32LE(HEADER_SIZE + 56 + 24, 48);
    body.writeUInt32LE(contexts.length, 52);
    contexts.copy(body, 56 + 24);
    const pdu = Buffer.concat([buildResponse({ command: Smb2Command.CREATE, messageId: 1n }, Buffer.alloc(0)), body]);
    const out = withCreateName(pdu, 'dir\\a much longer name.txt');
    expect(createRequestName(out)).toBe('dir\\a much longer name.txt');
    const at = out.readUInt32LE(HEADER_SIZE + 48);
    expect(at % 8).toBe(0);
    expect(out.subarray(at, at + out.readUInt32LE(HEADER_SIZE + 52))).toEqual(contexts);
  });

  it('stripping a signature moves the session, clears SIGNED and zeroes the signature', () => {
    const pdu = buildResponse({ command: Smb2Command.READ, messageId: 9n, sessionId: 0x1234n, flags: SMB2_FLAGS_SIGNED }, Buffer.alloc(4));
    pdu.fill(0xaa, Hdr.Signature, Hdr.Signature + 16);
    const h = readHeader(stripSignature(pdu, 0n));
    expect([h.sessionId, h.flags & SMB2_FLAGS_SIGNED]).toEqual([0n, 0]);
    expect(pdu.subarray(Hdr.Signature, Hdr.Signature + 16)).toEqual(Buffer.alloc(16));
  });

  it('a compound with a PDU cut below its NextCommand field is still chained, 8-byte aligned', () => {
    const a = buildResponse({ command: Smb2Command.CREATE, messageId: 1n }, Buffer.alloc(8)).subarray(0, 10);
    const b = buildResponse({ command: Smb2Command.CLOSE, messageId: 2n }, Buffer.alloc(3));
    const chained = chainPdus([a, b]);
    expect(chained.readUInt32LE(Hdr.NextCommand)).toBe(24);
    expect(splitCompound(chained.subarray(24)).map((p) => p.command)).toEqual([Smb2Command.CLOSE]);
  });
});
