// MD4 (RFC 1320). NTLM needs it for NTOWF (MS-NLMP 3.3.1/3.3.2); OpenSSL 3 moved MD4 to the legacy
// provider, which Node and Electron do not load. NTLM hashes one password per login, so a plain
// implementation is fast enough, and it costs a one-shot CLI nothing to load (the js-md4 package it
// replaces took ~10 ms of `sharekeeper ls` start-up as a CommonJS module imported from ESM).

/** RFC 1320 3.3: the initial state, words A, B, C, D. */
const INIT = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476] as const;

/** RFC 1320 3.4: the message word each of the 16 steps of rounds 1, 2 and 3 adds. */
const WORD_ORDER = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15],
  [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15],
] as const;
/** ... the left rotations, repeating every four steps ... */
const SHIFTS = [
  [3, 7, 11, 19],
  [3, 5, 9, 13],
  [3, 9, 11, 15],
] as const;
/** ... and the constant each round adds (0, sqrt 2 and sqrt 3 scaled by 2^30). */
const ROUND_CONSTANT = [0, 0x5a827999, 0x6ed9eba1] as const;

/** RFC 1320 3.4: F (round 1), G (round 2), H (round 3). */
function mix(round: number, x: number, y: number, z: number): number {
  if (round === 0) return (x & y) | (~x & z);
  if (round === 1) return (x & y) | (x & z) | (y & z);
  return x ^ y ^ z;
}

/** RFC 1320 3.1-3.2: the message, a 0x80 byte, zeros to 56 mod 64, then the bit length (64 bits, LE). */
function padded(data: Uint8Array): Buffer {
  const total = Math.ceil((data.length + 9) / 64) * 64;
  const out = Buffer.alloc(total);
  out.set(data);
  out[data.length] = 0x80;
  const bits = BigInt(data.length) * 8n;
  out.writeBigUInt64LE(bits & 0xffffffffffffffffn, total - 8);
  return out;
}

export function md4(data: Uint8Array): Buffer {
  const msg = padded(data);
  const state: number[] = [...INIT];
  const x = new Uint32Array(16);
  for (let block = 0; block < msg.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = msg.readUInt32LE(block + 4 * i);
    let [a, b, c, d] = state as [number, number, number, number];
    for (let step = 0; step < 48; step++) {
      const round = step >> 4;
      const t = (a + mix(round, b, c, d) + (x[WORD_ORDER[round]![step & 15]!] ?? 0) + ROUND_CONSTANT[round]!) | 0;
      const s = SHIFTS[round]![step & 3]!;
      // The step's target moves one word to the left each time: [ABCD] [DABC] [CDAB] [BCDA].
      [a, b, c, d] = [d, (t << s) | (t >>> (32 - s)), b, c];
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
  }
  const out = Buffer.alloc(16);
  state.forEach((word, i) => out.writeUInt32LE(word >>> 0, 4 * i));
  return out;
}
