// Every dialect, pinned from either side, and signing as the server or the caller demands it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dialect, SmbError, dialectName, type DialectValue } from '../../protocol/index.js';
import { startSamba, type SambaServer, type SmbDialect } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

const dialects: DialectValue[] = [Dialect.SMB2_02, Dialect.SMB2_10, Dialect.SMB3_00, Dialect.SMB3_02, Dialect.SMB3_11];

/** smbstatus -b prints one line per session with its protocol, e.g. "SMB3_11". */
async function sessionLine(server: SambaServer, user: string): Promise<string> {
  const out = await server.smbstatus(['-b']);
  return out.split('\n').find((l) => l.includes(user)) ?? out;
}

describe('client pins each dialect against a default server', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba();
  });
  afterAll(async () => server?.stop());

  for (const d of dialects) {
    it(`${dialectName(d)}: write and read back, smbstatus agrees`, async () => {
      const o = await openShare(server, 'private', undefined, { minDialect: d, maxDialect: d });
      expect(o.client.dialect).toBe(d);
      const data = Buffer.alloc(300_000, dialectName(d));
      await o.tree.writeFile(`pinned-${dialectName(d)}.bin`, data);
      expect((await o.tree.readFile(`pinned-${dialectName(d)}.bin`)).equals(data)).toBe(true);
      expect(await sessionLine(server, server.user)).toContain(dialectName(d));
      await o.close();
    });
  }

  it('signs every request when the caller requires it, and smbstatus shows a signed session', async () => {
    const o = await openShare(server, 'private', undefined, { requireSigning: true });
    expect(o.session.isSigned).toBe(true);
    expect(o.client.signingAlgorithm).toBe('AES-GMAC');
    await o.tree.writeFile('signed.txt', Buffer.from('signed'));
    expect((await o.tree.readFile('signed.txt')).toString()).toBe('signed');
    const line = await sessionLine(server, server.user);
    expect(line).toMatch(/AES-128-GMAC/);
    expect(line).not.toMatch(/partial/);
    await o.close();
  });

  for (const d of [Dialect.SMB2_10, Dialect.SMB3_02]) {
    it(`signs with the ${d < Dialect.SMB3_00 ? 'HMAC-SHA256' : 'AES-CMAC'} algorithm of ${dialectName(d)}`, async () => {
      const o = await openShare(server, 'private', undefined, { requireSigning: true, minDialect: d, maxDialect: d });
      expect(o.client.signingAlgorithm).toBe(d < Dialect.SMB3_00 ? 'HMAC-SHA256' : 'AES-CMAC');
      await o.tree.writeFile('signed-old.txt', Buffer.alloc(200_000, 7));
      expect((await o.tree.readFile('signed-old.txt')).length).toBe(200_000);
      await o.close();
    });
  }

  it('refuses a guest session when the caller requires signing (security error)', async () => {
    const err = await openShare(server, 'public', { kind: 'guest', user: 'nosuchuser' }, { requireSigning: true }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err.code).toBe('security');
  });
});

describe('server pins each dialect with server max protocol', () => {
  for (const d of dialects) {
    it(`server max ${dialectName(d)}: we negotiate it`, async () => {
      const server = await startSamba({ maxProtocol: dialectName(d) as SmbDialect });
      try {
        const o = await openShare(server, 'public', { kind: 'anonymous' });
        expect(o.client.dialect).toBe(d);
        expect((await o.tree.readdir('')).length).toBeGreaterThanOrEqual(0);
        await o.close();
      } finally {
        await server.stop();
      }
    });
  }

  it('no common dialect is an error, not a hang', async () => {
    const server = await startSamba({ maxProtocol: 'SMB2_10' });
    try {
      const err = await openShare(server, 'public', { kind: 'anonymous' }, { minDialect: Dialect.SMB3_00 }).catch((e) => e);
      expect(err).toBeInstanceOf(SmbError);
    } finally {
      await server.stop();
    }
  });
});

describe('signing-mandatory server', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba({ mode: 'signing' });
  });
  afterAll(async () => server?.stop());

  it('signs the user session without being asked, and smbstatus shows it signed', async () => {
    const o = await openShare(server, 'private');
    expect(o.session.isSigned).toBe(true);
    await o.tree.writeFile('s.bin', Buffer.alloc(2_000_000, 1));
    expect((await o.tree.readFile('s.bin')).length).toBe(2_000_000);
    expect(await sessionLine(server, server.user)).toMatch(/AES-128-GMAC/);
    await o.close();
  });

  for (const d of [Dialect.SMB2_02, Dialect.SMB3_00]) {
    it(`signs at ${dialectName(d)} too`, async () => {
      const o = await openShare(server, 'private', undefined, { minDialect: d, maxDialect: d });
      expect(o.session.isSigned).toBe(true);
      expect((await o.tree.readdir('')).length).toBeGreaterThanOrEqual(0);
      await o.close();
    });
  }
});
