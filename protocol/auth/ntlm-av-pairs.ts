// NTLM AV_PAIR lists (MS-NLMP 2.2.2.1): the TargetInfo of CHALLENGE_MESSAGE, and the modified copy
// the client puts in its NTLMv2_CLIENT_CHALLENGE (3.1.5.1.2).
import { MalformedMessageError } from '../errors.js';
import { ByteReader } from '../wire/byte-reader.js';

export const MsvAv = {
  EOL: 0x0000,
  NbComputerName: 0x0001,
  NbDomainName: 0x0002,
  DnsComputerName: 0x0003,
  DnsDomainName: 0x0004,
  DnsTreeName: 0x0005,
  Flags: 0x0006,
  Timestamp: 0x0007,
  SingleHost: 0x0008,
  TargetName: 0x0009,
  ChannelBindings: 0x000a,
} as const;

/** MS-NLMP 2.2.2.1 MsvAvFlags bit: the AUTHENTICATE_MESSAGE carries a MIC. */
export const MSV_AV_FLAG_MIC_PRESENT = 0x00000002;

export interface AvPair {
  id: number;
  value: Buffer;
}

const S = 'NTLM AV_PAIR list';

/** Decodes up to (not including) MsvAvEOL. A list that simply ends without EOL is accepted. */
export function decodeAvPairs(buf: Buffer): AvPair[] {
  const r = new ByteReader(buf, S);
  const pairs: AvPair[] = [];
  while (r.remaining > 0) {
    const id = r.u16('AvId');
    const len = r.u16('AvLen');
    const value = r.bytes(len, 'Value');
    if (id === MsvAv.EOL) {
      if (len !== 0) throw new MalformedMessageError(S, 'MsvAvEOL', `length ${len}`);
      return pairs;
    }
    pairs.push({ id, value });
  }
  return pairs;
}

/** Encodes the pairs followed by MsvAvEOL. */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of pairs) {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(p.id, 0);
    head.writeUInt16LE(p.value.length, 2);
    chunks.push(head, p.value);
  }
  chunks.push(Buffer.alloc(4)); // MsvAvEOL
  return Buffer.concat(chunks);
}
