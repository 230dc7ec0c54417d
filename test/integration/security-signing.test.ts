// Signing against a signing-mandatory smbd: each algorithm pinned by the server with
// `server smb3 signing algorithms` (SMB 3.1.1, MS-SMB2 2.2.3.1.7 / 3.3.5.2.4), and the per-dialect
// algorithms of older dialects (HMAC-SHA256 at 2.1, AES-CMAC at 3.0.2; MS-SMB2 3.1.4.1).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialect, dialectName, type DialectValue } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

interface StatusJson {
  sessions?: Record<string, { username: string; session_dialect: string; signing: { cipher: string; degree: string } }>;
}

async function sessionSigning(server: SambaServer): Promise<{ dialect: string; signing: { cipher: string; degree: string } } | undefined> {
  const json = JSON.parse(await server.smbstatus(['-j'])) as StatusJson;
  const s = Object.values(json.sessions ?? {}).find((x) => x.username === server.user);
  return s && { dialect: s.session_dialect, signing: s.signing };
}

async function roundTrip(server: SambaServer, opts: { minDialect?: DialectValue; maxDialect?: DialectValue }): Promise<{ algorithm: string; dialect: number; status: Awaited<ReturnType<typeof sessionSigning>> }> {
  const o = await openShare(server, 'private', undefined, opts);
  try {
    expect(o.session.isSigned).toBe(true);
    const data = randomBytes(1024 * 1024 + 5);
    await o.tree.writeFile('signed.bin', data);
    expect((await o.tree.readFile('signed.bin')).equals(data)).toBe(true);
    return { algorithm: o.client.signingAlgorithm, dialect: o.client.dialect, status: await sessionSigning(server) };
  } finally {
    await o.close();
  }
}

/** Our name for the algorithm → smbd's (smbstatus). */
const PINS: [string, string][] = [
  ['HMAC-SHA256', 'HMAC-SHA256'],
  ['AES-CMAC', 'AES-128-CMAC'],
  ['AES-GMAC', 'AES-128-GMAC'],
];

for (const [ours, samba] of PINS) {
  describe(`server signing = mandatory, server smb3 signing algorithms = ${samba}`, () => {
    let server: SambaServer;
    beforeAll(async () => {
      server = await startSamba({ mode: 'signing', signingAlgorithms: samba });
    });
    afterAll(async () => server?.stop());

    it(`3.1.1 signs every message with ${ours}; smbstatus agrees (full, not partial)`, async () => {
      const r = await roundTrip(server, {});
      expect(r.dialect).toBe(Dialect.SMB3_11);
      expect(r.algorithm).toBe(ours);
      expect(r.status).toEqual({ dialect: 'SMB3_11', signing: { cipher: samba, degree: 'full' } });
    });
  });
}

describe('server signing = mandatory, algorithm by dialect', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba({ mode: 'signing' });
  });
  afterAll(async () => server?.stop());

  const cases: [DialectValue, string, string][] = [
    [Dialect.SMB2_10, 'HMAC-SHA256', 'HMAC-SHA256'],
    [Dialect.SMB3_02, 'AES-CMAC', 'AES-128-CMAC'],
    [Dialect.SMB3_11, 'AES-GMAC', 'AES-128-GMAC'],
  ];
  for (const [d, ours, samba] of cases) {
    it(`${dialectName(d)} signs with ${ours}`, async () => {
      const r = await roundTrip(server, { minDialect: d, maxDialect: d });
      expect(r.algorithm).toBe(ours);
      expect(r.status).toEqual({ dialect: dialectName(d), signing: { cipher: samba, degree: 'full' } });
    });
  }
});
