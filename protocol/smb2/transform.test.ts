import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { setCryptoProviderForTests, type CryptoProviderMode } from '../crypto/crypto-provider.js';
import type { SmbCipher } from '../crypto/smb-keys.js';
import { SmbError } from '../errors.js';
import {
  SMB2_TRANSFORM_HEADER_SIZE,
  decodeTransformHeader,
  decryptMessage,
  encodeTransformHeader,
  encryptMessage,
  isTransformFrame,
  OFFLOAD_MIN_BYTES,
  newTransformNonce,
} from './transform.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

interface Sealed {
  name: string;
  cipher: SmbCipher;
  key: string;
  sessionId: bigint;
  nonce?: string;
  plaintext: string;
  transformed: string;
}

// Microsoft Open Specifications blog test vectors.
// "Encryption in SMB 3.0: A protocol perspective" (2012), dialect 3.0, AES-128-CCM. Windows filled
// all 16 Nonce bytes; only the first 11 feed CCM, but all 16 are in the AAD.
const SMB30_ID = 0x8e40014000011n;
const SMB30_C2S = '261B72350558F2E9DCF613070383EDBF';
const SMB30_S2C = '8FE2B57EC34D2DB5B1A9727F526BBDB5';
// "SMB 3.1.1 Encryption in Windows 10" (2015), Appendix A.1, dialect 3.1.1, AES-128-GCM.
const SMB311_ID = 0x100000000025n;
const SMB311_C2S = 'A2F5E80E5D59103034F32E52F698E5EC';
const SMB311_S2C = '748C50868C90F302962A5C35F5F9A8BF';

const REQUESTS: Sealed[] = [
  {
    name: '3.0 CCM WRITE request',
    cipher: 'AES-128-CCM',
    key: SMB30_C2S,
    sessionId: SMB30_ID,
    nonce: '66E69A111892584FB5ED524A744DA3EE',
    plaintext: `FE534D4240000100000000000900400008000000000000000400000000000000
      FFFE0000010000001100001400E4080000000000000000000000000000000000
      3100700017000000000000000000000015010000390000020100000039020000
      00000000000000007000000000000000536D623320656E6372797074696F6E20 74657374696E67`,
    transformed: `FD534D4281A286535415445DAE393921E44FA42E66E69A111892584FB5ED524A
      744DA3EE87000000000001001100001400E4080025C8FEE16605A437832D1CD5
      2DA9F4645333482A175FE5384563F45FCDAFAEF38BC62BA4D5C62897996625A4
      4C29BE5658DE2E6117585779E7B59FFD971278D08580D7FA899E410E910EABF5
      AA1DB43050B33B49182637759AC15D84BFCDF5B6B238993C0F4CF4D6012023F6
      C627297075D84B7803912D0A9639634453595EF3E33FFE4E7AC2AB`,
  },
  {
    name: '3.0 CCM READ request',
    cipher: 'AES-128-CCM',
    key: SMB30_C2S,
    sessionId: SMB30_ID,
    nonce: 'A5123A25F983E245983F413B8B429AF2',
    plaintext: `FE534D4240000100000000000800400008000000000000000500000000000000
      FFFE0000010000001100001400E4080000000000000000000000000000000000
      3100000017000000000000000000000015010000390000020100000039020000
      0000000000000000000000000000000000`,
    transformed: `FD534D42E93601498B76D6F7A72D5EF9B6C79FAFA5123A25F983E245983F413B
      8B429AF271000000000001001100001400E408009A464F709AA663F8C2FC3907
      D63CBF6F98B1E3DD649ED366009FD0B40A365224718E5440E053F6E01AE462FD
      B721BF91C3A6E52E14F9EFF005F445761289FF1272908B52754C8FCB949F228A
      C104A66204289A205BCBC47509D04AF9A907002B96863358B3B7CBA5E3779300 74FCDF3550`,
  },
  {
    name: '3.1.1 GCM WRITE request',
    cipher: 'AES-128-GCM',
    key: SMB311_C2S,
    sessionId: SMB311_ID,
    nonce: 'C7D6822D269CAF48904C664C',
    plaintext: `FE534D4240000100000000000900010008000000000000000500000000000000FFFE000001000000
      25000000001000000000000000000000000000000000000031007000170000000000000000000000
      0600000004000000010000000400000000000000000000007000000000000000536D623320656E63
      72797074696F6E2074657374696E67`,
    transformed: `FD534D42BD73D97D2BC9001BCAFAC0FDFF5FEEBCC7D6822D269CAF48904C664C0000000087000000
      0000010025000000001000006ECDD2A7AFC7B47763057A041B8FD4DAFFE990B70C9E09D36C084E02
      D14EF247F8BDE38ACF6256F8B1D3B56F77FBDEB312FEA5E92CBCC1ED8FB2EBBFAA75E49A4A394BB4
      4576545567C24D4C014D47C9FBDFDAFD2C4F9B72F8D256452620A299F48E29E53D6B61D1C13A19E9
      1AF013F00D17E3ABC2FC3D36C8C1B6B93973253852DBD442E46EE8`,
  },
  {
    name: '3.1.1 GCM READ request',
    cipher: 'AES-128-GCM',
    key: SMB311_C2S,
    sessionId: SMB311_ID,
    nonce: 'D7AA8C6D36859243B715E0A6',
    plaintext: `FE534D4240000100000000000800010008000000000000000600000000000000FFFE000001000000
      25000000001000000000000000000000000000000000000031000000170000000000000000000000
      060000000400000001000000040000000000000000000000000000000000000000`,
    transformed: `FD534D426DAC0B6FD85A3ED42BB917DA38FE0386D7AA8C6D36859243B715E0A60000000071000000
      00000100250000000010000088A47BF09CA3C3141CDD7306BE9D9475AB24FCCB833D77461C041F8F
      B983D0C188F0729272B31D9D3D0DC6B687C069EEE0CC8EACA2C536D019ACC9E185D1EB630E0FCB79
      3EEECEB06D82A1D77706E700DBEBFB4FEB54D7AD2D97E7288804F90757FE4D08D6A84A3FF433E745 1E768E4699`,
  },
];

const RESPONSES: Sealed[] = [
  {
    name: '3.0 CCM WRITE response',
    cipher: 'AES-128-CCM',
    key: SMB30_S2C,
    sessionId: SMB30_ID,
    transformed: `FD534D42A6015530A18F6D9AFFE22AFAE8E66484860000000000000011000014
      00E4080050000000000001001100001400E40800DBF46435C5F14169293CE079
      E344479BF670227E49873F458672C3098DAC467DD5809F369D67409166515787
      1483E01F7BECD02064EAC3E235F913668BBC2F097980D4B378F1993EFF6E60D1 77309E5B`,
    plaintext: `FE534D4240000100000000000900210009000000000000000400000000000000
      FFFE0000010000001100001400E4080000000000000000000000000000000000 11000000170000000000000000000000`,
  },
  {
    name: '3.0 CCM READ response',
    cipher: 'AES-128-CCM',
    key: SMB30_S2C,
    sessionId: SMB30_ID,
    transformed: `FD534D42ABD518B68C2F04D7879F482B689EB83F870000000000000011000014
      00E4080067000000000001001100001400E40800493D6FE2BDBEB435CF5F5469
      70C7BB57BF20E713C75A3D045507E0D68E5C0346659D6FFB8AC1504A786CA2BB
      89C9E7FE4F313E910A04180D2D0EA7DF636329E5A3285984500EF86FE9D55DA4
      FAB9531CFDD4C551D47F3C73124BB4590A45052B694048B991CCF5`,
    plaintext: `FE534D4240000100000000000800210009000000000000000500000000000000
      FFFE0000010000001100001400E4080000000000000000000000000000000000
      11005000170000000000000000000000536D623320656E6372797074696F6E20 74657374696E67`,
  },
  {
    name: '3.1.1 GCM WRITE response',
    cipher: 'AES-128-GCM',
    key: SMB311_S2C,
    sessionId: SMB311_ID,
    transformed: `FD534D42ACBE1CB7ED343ADF1725EF144D90D4B0E06831DD2E8EB7B4000000000000000050000000
      00000100250000000010000026BBBF949983A6C1C796559D0F2C510CB651D1F7B6AC8DED32A2A0B8
      F2D793A815C6F6B848D69767A215841A42D400AE6DDB5F0B44173A014973321FDD7950DA6179159B 82E03C9E18A050FF0EA1C967`,
    plaintext: `FE534D4240000100000000000900010001000000000000000500000000000000FFFE000001000000
      25000000001000000000000000000000000000000000000011000000170000000000000000000000`,
  },
  {
    name: '3.1.1 GCM READ response',
    cipher: 'AES-128-GCM',
    key: SMB311_S2C,
    sessionId: SMB311_ID,
    transformed: `FD534D427F714B3B9D8FA1198584E71C2BAA1CB6E16831DD2E8EB7B4000000000000000067000000
      000001002500000000100000FECEDF4D03BB11A6CC5D8A53BE33D6D8701986342B4197D306E16F9C
      BB218E92F7F8281F51CE68BB85A20D87DE90EBBF80538066D1C37513C0A58D70936D537B624F5500
      202A612B6CD30D448A82791A0B2E049ED512AFAEFB06E98AB3D6F931D7D50DB2DBD36A`,
    plaintext: `FE534D4240000100000000000800010001000000000000000600000000000000FFFE000001000000
      25000000001000000000000000000000000000000000000011005000170000000000000000000000
      536D623320656E6372797074696F6E2074657374696E67`,
  },
];

const CIPHERS: SmbCipher[] = ['AES-128-CCM', 'AES-128-GCM', 'AES-256-CCM', 'AES-256-GCM'];
const keyFor = (c: SmbCipher, fill: number): Buffer => Buffer.alloc(c.startsWith('AES-256') ? 32 : 16, fill);

afterAll(() => setCryptoProviderForTests(null));

describe.each<CryptoProviderMode>(['native', 'fallback'])('transform with the %s provider', (mode) => {
  const use = (): void => setCryptoProviderForTests(mode);

  it.each(REQUESTS)('reproduces the published $name byte for byte', (v) => {
    use();
    const plaintext = hex(v.plaintext);
    // Header and body as separate parts, the way the connection hands them over.
    const parts = [plaintext.subarray(0, 64), plaintext.subarray(64)];
    const frame = Buffer.concat(encryptMessage(v.cipher, hex(v.key), v.sessionId, parts, hex(v.nonce ?? '')));
    expect(frame.toString('hex')).toBe(hex(v.transformed).toString('hex'));
  });

  it.each(RESPONSES)('opens the published $name', (v) => {
    use();
    const frame = hex(v.transformed);
    expect(decodeTransformHeader(frame).sessionId).toBe(v.sessionId);
    expect(decryptMessage(v.cipher, hex(v.key), frame).toString('hex')).toBe(hex(v.plaintext).toString('hex'));
  });

  it.each(CIPHERS)('round-trips %s with fresh nonces', (cipher) => {
    use();
    const key = keyFor(cipher, 0x42);
    const parts = [Buffer.alloc(64, 0xfe), Buffer.alloc(0), Buffer.from('payload '.repeat(100))];
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      // The header, then the ciphertext in one piece per non-empty part (GCM) or in one (CCM).
      const sealed = encryptMessage(cipher, key, 77n, parts);
      expect(sealed.length).toBe(cipher.endsWith('GCM') ? 3 : 2);
      const frame = Buffer.concat(sealed);
      expect(isTransformFrame(frame)).toBe(true);
      const h = decodeTransformHeader(frame);
      expect(h).toMatchObject({ originalMessageSize: 64 + 800, flags: 1, sessionId: 77n });
      const used = cipher.endsWith('CCM') ? 11 : 12;
      expect(h.nonce.subarray(used).equals(Buffer.alloc(16 - used))).toBe(true);
      seen.add(h.nonce.toString('hex'));
      expect(decryptMessage(cipher, key, frame).equals(Buffer.concat(parts))).toBe(true);
    }
    expect(seen.size).toBe(20);
  });

  it.each(CIPHERS)('%s: changing any byte after ProtocolId fails with an SmbError', (cipher) => {
    use();
    const key = keyFor(cipher, 9);
    const frame = Buffer.concat(encryptMessage(cipher, key, 5n, [Buffer.alloc(70, 1)]));
    for (let i = 4; i < frame.length; i++) {
      const bad = Buffer.from(frame);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      const e = thrown(() => decryptMessage(cipher, key, bad));
      expect(e, `byte ${i}`).toBeInstanceOf(SmbError);
      // OriginalMessageSize (36..39) and Flags (42..43) are checked before the tag (3.2.5.1.1).
      const structural = (i >= 36 && i < 40) || i === 42 || i === 43;
      expect((e as SmbError).code, `byte ${i}`).toBe(structural ? 'malformed' : 'security');
    }
    expect(() => decryptMessage(cipher, keyFor(cipher, 10), frame)).toThrow(SmbError);
  });
});

describe('transform header codec', () => {
  it('decodes the fields of a published frame', () => {
    const h = decodeTransformHeader(hex(RESPONSES[0]?.transformed ?? ''));
    expect(h.signature.toString('hex')).toBe('a6015530a18f6d9affe22afae8e66484');
    expect(h.nonce.toString('hex')).toBe('86000000000000001100001400e40800');
    expect(h).toMatchObject({ originalMessageSize: 0x50, flags: 1, sessionId: SMB30_ID });
    expect(encodeTransformHeader(h).equals(hex(RESPONSES[0]?.transformed ?? '').subarray(0, 52))).toBe(true);
  });

  it('rejects short frames, a wrong ProtocolId, a wrong size and a wrong Flags value as malformed', () => {
    const frame = hex(RESPONSES[2]?.transformed ?? '');
    const key = hex(SMB311_S2C);
    const cases = [
      frame.subarray(0, 51),
      frame.subarray(0, SMB2_TRANSFORM_HEADER_SIZE),
      Buffer.concat([Buffer.from([0xfe]), frame.subarray(1)]),
      frame.subarray(0, frame.length - 1),
      Buffer.concat([frame, Buffer.alloc(1)]),
    ];
    for (const bad of cases) {
      const e = thrown(() => decryptMessage('AES-128-GCM', key, bad));
      expect(e).toBeInstanceOf(SmbError);
      expect((e as SmbError).code).toBe('malformed');
    }
  });

  it('nonces carry a counter, so consecutive ones differ in their first bytes', () => {
    const a = newTransformNonce('AES-128-GCM');
    const b = newTransformNonce('AES-128-GCM');
    expect(b.readBigUInt64LE(0) - a.readBigUInt64LE(0)).toBe(1n);
  });

  it('accepts a caller nonce of the cipher length or the whole field, nothing else', () => {
    const key = Buffer.alloc(16);
    expect(() => encryptMessage('AES-128-CCM', key, 1n, [Buffer.alloc(64)], Buffer.alloc(12))).toThrow(RangeError);
    expect(() => encryptMessage('AES-128-GCM', key, 1n, [Buffer.alloc(64)], Buffer.alloc(11))).toThrow(RangeError);
    expect(() => encryptMessage('AES-128-GCM', key, 1n, [])).toThrow(RangeError);
  });

  it('fuzz: random frames only ever raise SmbError', () => {
    const key = Buffer.alloc(16, 3);
    const validHeaded = fc.uint8Array({ minLength: 0, maxLength: 200 }).map((body) => {
      const b = Buffer.from(body);
      return Buffer.concat([
        encodeTransformHeader({
          signature: Buffer.alloc(16, 1),
          nonce: Buffer.alloc(16, 2),
          originalMessageSize: b.length,
          flags: 1,
          sessionId: 9n,
        }),
        b,
      ]);
    });
    const arbitrary = fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b));
    const withMagic = arbitrary.map((b) => Buffer.concat([hex('FD534D42'), b]));
    fc.assert(
      fc.property(fc.oneof(arbitrary, withMagic, validHeaded), fc.constantFrom<SmbCipher>('AES-128-CCM', 'AES-128-GCM'), (frame, cipher) => {
        for (const f of [() => decodeTransformHeader(frame), () => decryptMessage(cipher, key, frame)]) {
          const e = thrown(f);
          if (e !== undefined) expect(e).toBeInstanceOf(SmbError);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('decryptMessage of a large pooled frame', () => {
  it('puts the plaintext where the ciphertext was and returns a view of the frame; other frames get a buffer of their own', async () => {
    const { BufferPool } = await import('../transport/buffer-pool.js');
    const { randomBytes } = await import('node:crypto');
    const key = randomBytes(16);
    const message = randomBytes(OFFLOAD_MIN_BYTES + 1000);
    const sealed = Buffer.concat(encryptMessage('AES-128-GCM', key, 7n, [message]));
    const frame = new BufferPool(1).take(sealed.length);
    sealed.copy(frame);
    const plain = decryptMessage('AES-128-GCM', key, frame);
    expect(plain.equals(message)).toBe(true);
    expect(plain.buffer).toBe(frame.buffer);
    expect(plain.byteOffset).toBe(frame.byteOffset + SMB2_TRANSFORM_HEADER_SIZE);
    // Not lent by a pool (a test's, a caller's): left as it was.
    const own = Buffer.from(sealed);
    const other = decryptMessage('AES-128-GCM', key, own);
    expect(other.equals(message)).toBe(true);
    expect(other.buffer).not.toBe(own.buffer);
    expect(own.equals(sealed)).toBe(true);
  });
});
