// The small part of ASN.1 DER (X.690) that SPNEGO tokens need: single-byte tags, definite lengths,
// OBJECT IDENTIFIER, ENUMERATED, OCTET STRING, SEQUENCE and context tags. The reader is bounds-checked
// and throws MalformedMessageError, so a lying length never becomes an out-of-bounds read.
import { MalformedMessageError } from '../errors.js';

export const DER_ENUMERATED = 0x0a;
export const DER_OCTET_STRING = 0x04;
export const DER_OID = 0x06;
export const DER_SEQUENCE = 0x30;
export const DER_APPLICATION_0 = 0x60; // [APPLICATION 0] constructed: GSS-API InitialContextToken
/** [n] constructed, context-specific. */
export const derContext = (n: number): number => 0xa0 | n;

/** X.690 8.1.3: definite length, short form below 128, else long form. */
export function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One TLV whose contents are the concatenation of `contents`. */
export function derTlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

/** X.690 8.19: OBJECT IDENTIFIER contents from dotted form. */
export function encodeOidValue(oid: string): Buffer {
  const arcs = oid.split('.').map((a) => Number.parseInt(a, 10));
  const [a0, a1, ...rest] = arcs;
  if (a0 === undefined || a1 === undefined || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) {
    throw new RangeError(`bad OID ${oid}`);
  }
  const out: number[] = [];
  for (const arc of [a0 * 40 + a1, ...rest]) {
    const groups: number[] = [];
    for (let v = arc; ; v = Math.floor(v / 128)) {
      groups.unshift(v & 0x7f);
      if (v < 128) break;
    }
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return Buffer.from(out);
}

export const derOid = (oid: string): Buffer => derTlv(DER_OID, encodeOidValue(oid));

export function decodeOidValue(value: Buffer, structure: string): string {
  if (value.length === 0) throw new MalformedMessageError(structure, 'OID', 'empty');
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i] ?? 0;
    v = v * 128 + (b & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw new MalformedMessageError(structure, 'OID', 'arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    } else if (i === value.length - 1) {
      throw new MalformedMessageError(structure, 'OID', 'truncated arc');
    }
  }
  return arcs.join('.');
}

export interface DerNode {
  tag: number;
  /** The contents octets (a view, no copy). */
  value: Buffer;
  /** The whole TLV encoding (a view). */
  raw: Buffer;
}

/** Reads consecutive TLVs from a window of a buffer. */
export class DerReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    private readonly structure: string,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  peekTag(): number | undefined {
    return this.done ? undefined : this.buf[this.pos];
  }

  next(field: string): DerNode {
    const start = this.pos;
    if (this.end - start < 2) throw this.error(field, 'truncated TLV header');
    const tag = this.buf[start] ?? 0;
    if ((tag & 0x1f) === 0x1f) throw this.error(field, 'multi-byte tags are not used by SPNEGO');
    let at = start + 1;
    const first = this.buf[at++] ?? 0;
    let length = first;
    if (first === 0x80) throw this.error(field, 'indefinite length is not DER');
    if (first > 0x80) {
      const n = first & 0x7f;
      if (n > 4) throw this.error(field, `length of ${n} bytes`);
      if (this.end - at < n) throw this.error(field, 'truncated length');
      length = 0;
      for (let i = 0; i < n; i++) length = length * 256 + (this.buf[at++] ?? 0);
    }
    if (length > this.end - at) throw this.error(field, `length ${length} exceeds ${this.end - at} remaining bytes`);
    this.pos = at + length;
    return { tag, value: this.buf.subarray(at, at + length), raw: this.buf.subarray(start, at + length) };
  }

  /** Reads the next TLV and checks its tag. */
  expect(tag: number, field: string): DerNode {
    const node = this.next(field);
    if (node.tag !== tag) throw this.error(field, `expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`);
    return node;
  }

  private error(field: string, detail: string): MalformedMessageError {
    return new MalformedMessageError(this.structure, field, detail);
  }
}

/** A reader over the contents of a constructed node. */
export function derChildren(node: DerNode, structure: string): DerReader {
  return new DerReader(node.value, structure);
}
