// The mutation fuzzer's pieces: a seeded PRNG (mulberry32, so a seed replays a run exactly on the
// same server behaviour), which response to mutate (command, nth), and how: bit flips, byte sets,
// truncation, extension, length/offset fields set to edge values, header fields rewritten. Field
// offsets follow MS-SMB2 2.2.4 … 2.2.34 (from the start of the SMB2 header). Test code only.
import { Hdr, HEADER_SIZE, SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SIGNED, Smb2Command, STATUS_PENDING } from '../harness/mitm/smb2-pdu.js';

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

type Width = 1 | 2 | 4;
interface Field {
  name: string;
  at: number;
  width: Width;
}

const body = (name: string, at: number, width: Width): Field => ({ name, at: HEADER_SIZE + at, width });

/** Length, offset and count fields of the responses our operations get (body offsets per MS-SMB2 2.2.x). */
const FIELDS: Record<number, Field[]> = {
  [Smb2Command.NEGOTIATE]: [
    body('StructureSize', 0, 2),
    body('SecurityMode', 2, 2),
    body('DialectRevision', 4, 2),
    body('NegotiateContextCount', 6, 2),
    body('MaxTransactSize', 28, 4),
    body('MaxReadSize', 32, 4),
    body('MaxWriteSize', 36, 4),
    body('SecurityBufferOffset', 56, 2),
    body('SecurityBufferLength', 58, 2),
    body('NegotiateContextOffset', 60, 4),
  ],
  [Smb2Command.SESSION_SETUP]: [body('StructureSize', 0, 2), body('SessionFlags', 2, 2), body('SecurityBufferOffset', 4, 2), body('SecurityBufferLength', 6, 2)],
  [Smb2Command.TREE_CONNECT]: [body('StructureSize', 0, 2), body('ShareType', 2, 1), body('ShareFlags', 4, 4), body('Capabilities', 8, 4)],
  [Smb2Command.CREATE]: [
    body('StructureSize', 0, 2),
    body('EndofFile', 48, 4),
    body('FileAttributes', 56, 4),
    body('CreateContextsOffset', 80, 4),
    body('CreateContextsLength', 84, 4),
  ],
  [Smb2Command.CLOSE]: [body('StructureSize', 0, 2), body('Flags', 2, 2), body('EndofFile', 48, 4)],
  [Smb2Command.READ]: [body('StructureSize', 0, 2), body('DataOffset', 2, 1), body('DataLength', 4, 4), body('DataRemaining', 8, 4)],
  [Smb2Command.QUERY_DIRECTORY]: [
    body('StructureSize', 0, 2),
    body('OutputBufferOffset', 2, 2),
    body('OutputBufferLength', 4, 4),
    body('NextEntryOffset[0]', 8, 4),
    body('FileNameLength[0]', 8 + 60, 4),
    body('ShortNameLength[0]', 8 + 68, 1),
  ],
  [Smb2Command.IOCTL]: [body('StructureSize', 0, 2), body('InputOffset', 24, 4), body('InputCount', 28, 4), body('OutputOffset', 32, 4), body('OutputCount', 36, 4)],
  [Smb2Command.QUERY_INFO]: [body('StructureSize', 0, 2), body('OutputBufferOffset', 2, 2), body('OutputBufferLength', 4, 4)],
};

const HEADER_FIELDS: Field[] = [
  { name: 'StructureSize', at: 4, width: 2 },
  { name: 'CreditCharge', at: Hdr.CreditCharge, width: 2 },
  { name: 'Status', at: Hdr.Status, width: 4 },
  { name: 'Command', at: Hdr.Command, width: 2 },
  { name: 'CreditResponse', at: Hdr.Credits, width: 2 },
  { name: 'Flags', at: Hdr.Flags, width: 4 },
  { name: 'NextCommand', at: Hdr.NextCommand, width: 4 },
  { name: 'MessageId', at: Hdr.MessageId, width: 4 },
  { name: 'TreeId', at: Hdr.TreeId, width: 4 },
  { name: 'SessionId', at: Hdr.SessionId, width: 4 },
];

const max = (w: Width): number => (w === 1 ? 0xff : w === 2 ? 0xffff : 0xffffffff);

function read(pdu: Buffer, f: Field): number {
  return f.width === 1 ? pdu.readUInt8(f.at) : f.width === 2 ? pdu.readUInt16LE(f.at) : pdu.readUInt32LE(f.at);
}

function write(pdu: Buffer, f: Field, v: number): void {
  // `&` yields a signed 32-bit int; keep it unsigned for writeUInt32LE.
  const x = ((v >>> 0) & max(f.width)) >>> 0;
  if (f.width === 1) pdu.writeUInt8(x, f.at);
  else if (f.width === 2) pdu.writeUInt16LE(x, f.at);
  else pdu.writeUInt32LE(x, f.at);
}

/** Edge values around the field's current one. */
function edgeValue(rng: Rng, v: number, w: Width): number {
  return rng.pick([0, 1, v - 1, v + 1, v + 7, v + 8, v - 8, v * 2, Math.floor(v / 2), max(w), max(w) - 7, 0x7fffffff & max(w), rng.int(max(w) + 1)]);
}

export interface Mutation {
  describe: string;
  /** Returns the mutated PDU, or 'drop'. `pdu` is the proxy's own copy and may be edited in place. */
  apply(pdu: Buffer): Buffer | 'drop';
}

export const MUTATION_KINDS = ['bitflip', 'byteset', 'truncate', 'extend', 'length-field', 'header-field', 'drop'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];
const WEIGHTS: Record<MutationKind, number> = { bitflip: 25, byteset: 15, truncate: 12, extend: 10, 'length-field': 23, 'header-field': 13, drop: 2 };

export function pickKind(rng: Rng): MutationKind {
  let x = rng.int(100);
  for (const k of MUTATION_KINDS) {
    x -= WEIGHTS[k];
    if (x < 0) return k;
  }
  return 'bitflip';
}

/** A position: a third of the time in the header, else in the body (when there is one). */
function position(rng: Rng, len: number): number {
  if (len <= HEADER_SIZE || rng.int(3) === 0) return rng.int(Math.min(len, HEADER_SIZE));
  return HEADER_SIZE + rng.int(len - HEADER_SIZE);
}

/** Decides the mutation now (so the RNG stream does not depend on what the server sends). */
export function makeMutation(rng: Rng, kind: MutationKind, command: number): Mutation {
  const r = [rng.next(), rng.next(), rng.next(), rng.next()] as const;
  const sub = mulberry32(Math.floor(r[0] * 2 ** 32));
  switch (kind) {
    case 'bitflip': {
      const flips = 1 + Math.floor(r[1] * 4);
      return {
        describe: `flip ${flips} bit(s)`,
        apply: (pdu) => {
          for (let i = 0; i < flips; i++) {
            const at = position(sub, pdu.length);
            pdu[at] = (pdu[at] ?? 0) ^ (1 << sub.int(8));
          }
          return pdu;
        },
      };
    }
    case 'byteset': {
      const n = 1 + Math.floor(r[1] * 3);
      return {
        describe: `set ${n} byte(s)`,
        apply: (pdu) => {
          for (let i = 0; i < n; i++) pdu[position(sub, pdu.length)] = sub.pick([0x00, 0xff, 0x7f, 0x80, sub.int(256)]);
          return pdu;
        },
      };
    }
    case 'truncate':
      return { describe: `truncate at ${(r[1] * 100).toFixed(0)}%`, apply: (pdu) => pdu.subarray(0, Math.floor(r[1] * pdu.length)) };
    case 'extend': {
      const n = 1 + Math.floor(r[1] * 512);
      return { describe: `extend by ${n} bytes`, apply: (pdu) => Buffer.concat([pdu, Buffer.from(Array.from({ length: n }, () => sub.int(256)))]) };
    }
    case 'length-field': {
      const fields = FIELDS[command] ?? [];
      if (fields.length === 0) return makeMutation(rng, 'header-field', command);
      const f = fields[Math.floor(r[1] * fields.length)]!;
      return {
        describe: `${f.name} edge value`,
        apply: (pdu) => {
          if (f.at + f.width > pdu.length) return pdu;
          write(pdu, f, edgeValue(sub, read(pdu, f), f.width));
          return pdu;
        },
      };
    }
    case 'header-field': {
      const f = HEADER_FIELDS[Math.floor(r[1] * HEADER_FIELDS.length)]!;
      return {
        describe: `header ${f.name}`,
        apply: (pdu) => {
          if (f.name === 'Status' && sub.int(3) === 0) {
            // An interim response that no final answer follows (MS-SMB2 3.3.4.2).
            pdu.writeUInt32LE(STATUS_PENDING, Hdr.Status);
            pdu.writeUInt32LE(pdu.readUInt32LE(Hdr.Flags) | SMB2_FLAGS_ASYNC_COMMAND, Hdr.Flags);
          } else if (f.name === 'Flags') {
            pdu.writeUInt32LE((pdu.readUInt32LE(Hdr.Flags) ^ sub.pick([0x1, SMB2_FLAGS_ASYNC_COMMAND, 0x4, SMB2_FLAGS_SIGNED, 0x10000000, 1 << sub.int(32)])) >>> 0, Hdr.Flags);
          } else {
            write(pdu, f, edgeValue(sub, read(pdu, f), f.width));
          }
          return pdu;
        },
      };
    }
    case 'drop':
      return { describe: 'drop the response', apply: () => 'drop' };
  }
}
