// RC4 stream cipher. NTLM key exchange (MS-NLMP 3.1.5.1.2 RC4K) and the sealed NTLM checksum
// (MS-NLMP 3.4.4.2) need it, and OpenSSL 3 keeps RC4 in the legacy provider that Node does not load.
// Only ever used on a few dozen bytes per session, so a plain implementation is fast enough.

/** A keyed RC4 state ("handle" in MS-NLMP): successive update() calls continue the key stream. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Uint8Array) {
    if (key.length === 0 || key.length > 256) throw new RangeError(`RC4 key length ${key.length}`);
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      const sk = s[k] ?? 0;
      j = (j + sk + (key[k % key.length] ?? 0)) & 0xff;
      s[k] = s[j] ?? 0;
      s[j] = sk;
    }
  }

  /** Encrypts (or decrypts; RC4 is symmetric) `data` into a new buffer. */
  update(data: Uint8Array): Buffer {
    const s = this.s;
    const out = Buffer.alloc(data.length);
    let { i, j } = this;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      const si = s[i] ?? 0;
      j = (j + si) & 0xff;
      const sj = s[j] ?? 0;
      s[i] = sj;
      s[j] = si;
      out[k] = (data[k] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4K(key, data) as MS-NLMP section 6 defines it. */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
