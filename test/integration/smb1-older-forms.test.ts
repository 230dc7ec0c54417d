// The older SMB1 forms against a real Samba NT1, which would otherwise answer with the newer ones:
// the non-extended SESSION_SETUP_ANDX (8-byte challenge in the NEGOTIATE response, MS-CIFS
// 2.2.4.52.2 / 2.2.4.53; NEGOTIATE sent with SMB_FLAGS2_EXTENDED_SECURITY clear) and OPEN_ANDX
// (MS-CIFS 2.2.4.41), both driven through the test-only switches of protocol/smb1/forcing.ts.
// Samba runs in a time zone of UTC+5:30, so a LastWriteTime read as UTC would be 5.5 h off.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmbClient, SmbStatusError, type ConnectOptions } from '../../protocol/index.js';
import { withSmb1Forcing } from '../../protocol/smb1/forcing.js';
import type { Smb1Client } from '../../protocol/smb1/client/smb1-client.js';
import type { Smb1Session } from '../../protocol/smb1/client/smb1-session.js';
import type { Smb1FileHandle } from '../../protocol/smb1/client/smb1-file-handle.js';
import { makeRandomFile } from '../harness/fixtures.js';
import { SMBCLIENT_NT1, startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';

/** POSIX TZ: local time is UTC + 5:30 (ServerTimeZone -330: minutes to add to local for UTC). */
const SERVER_TZ = 'XST-5:30';
const TZ_SECONDS = 5.5 * 3600;
const NT_STATUS_LOGON_FAILURE = 0xc000006d;

let s: SambaServer;
/** Same, with `raw NTLMv2 auth = yes`: NTLMv2 outside extended security is taken. */
let raw: SambaServer;
let local: string;

beforeAll(async () => {
  s = await startNt1Samba({ timeZone: SERVER_TZ });
  raw = await startNt1Samba({ password: s.password, extra: ['raw NTLMv2 auth = yes'] });
  local = mkdtempSync(join(tmpdir(), 'sk-smb1-forms-'));
}, 60_000);
afterAll(async () => {
  await s?.stop();
  await raw?.stop();
  if (local) rmSync(local, { recursive: true, force: true });
});

const base = (): ConnectOptions => ({ host: '127.0.0.1', port: s.port, allowSmb1: 'only', timeoutMs: 15_000 });

describe('non-extended SESSION_SETUP_ANDX (challenge in NEGOTIATE)', () => {
  const nonExtended = (o: Partial<ConnectOptions> = {}, port = s.port): ConnectOptions =>
    withSmb1Forcing({ ...base(), port, ...o }, { nonExtendedSecurity: true });
  const login = async (opts: ConnectOptions, password: string) => {
    const client = await SmbClient.connect(opts);
    try {
      const neg = (client as Smb1Client).negotiated;
      const session = await client.login({ kind: 'user', user: s.user, password });
      const tree = await session.connectTree('private');
      const name = `proof-${(session as Smb1Session).authMethod}.txt`;
      await tree.writeFile(name, Buffer.from('written over a non-extended session'));
      return { neg, method: (session as Smb1Session).authMethod, name };
    } finally {
      await client.close();
    }
  };
  const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

  it('NTLMv2 (+LMv2) in the challenge/response form logs in where the server takes it (raw NTLMv2 auth = yes)', async () => {
    const r = await login(nonExtended({}, raw.port), s.password);
    expect(r.neg.extendedSecurity).toBe(false);
    expect(r.neg.challenge.length).toBe(8);
    expect(r.method).toBe('ntlmv2');
    expect(readFileSync(join(raw.shareDir('private'), r.name), 'utf8')).toBe('written over a non-extended session');
  });

  it('a wrong NTLMv2 password fails as an auth error (STATUS_LOGON_FAILURE)', async () => {
    const err = await failure(login(nonExtended({}, raw.port), `${s.password}x`));
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(err).toMatchObject({ code: 'auth', status: NT_STATUS_LOGON_FAILURE });
  });

  it("Samba's default refuses NTLMv2 without extended security: refused as legacy-only (security) without the switch", async () => {
    const err = await failure(login(nonExtended(), s.password));
    expect(err).toMatchObject({ code: 'security' });
    expect(String((err as Error).message)).toMatch(/refuses NTLMv2 answers without extended security/);
  });

  it('with --allow-legacy-auth the same server takes NTLMv1 in the challenge/response form; a wrong password is an auth error', async () => {
    const r = await login(nonExtended({ allowLegacyAuth: true }), s.password);
    expect(r.neg.extendedSecurity).toBe(false);
    expect(r.neg.serverTimeZone).toBe(-330);
    expect(r.method).toBe('ntlmv1');
    expect(readFileSync(join(s.shareDir('private'), r.name), 'utf8')).toBe('written over a non-extended session');
    const err = await failure(login(nonExtended({ allowLegacyAuth: true }), `${s.password}x`));
    expect(err).toBeInstanceOf(SmbStatusError);
    expect(err).toMatchObject({ code: 'auth', status: NT_STATUS_LOGON_FAILURE });
  });

  it('an LM-only server (lanman auth, no NT hash) logs in on the LM answer in OEMPassword, after NTLMv2 is refused', async () => {
    const lm = await startNt1Samba({ lanman: true, lmOnly: true });
    try {
      const client = await SmbClient.connect(withSmb1Forcing({ ...base(), port: lm.port, allowLegacyAuth: true }, { nonExtendedSecurity: true }));
      try {
        expect((client as Smb1Client).negotiated.extendedSecurity).toBe(false);
        const session = await client.login({ kind: 'user', user: lm.user, password: lm.password });
        // The NTLMv1 attempt carries the LM answer beside the NT one (MS-CIFS 3.1.5.2); with no NT
        // hash stored, Samba can only have checked the LM answer.
        expect((session as Smb1Session).authMethod).toBe('ntlmv1');
        const tree = await session.connectTree('private');
        await tree.writeFile('lm.txt', Buffer.from('lm'));
        expect(readFileSync(join(lm.shareDir('private'), 'lm.txt'), 'utf8')).toBe('lm');
      } finally {
        await client.close();
      }
      const wrong = await SmbClient.connect(withSmb1Forcing({ ...base(), port: lm.port, allowLegacyAuth: true }, { nonExtendedSecurity: true }));
      try {
        await expect(wrong.login({ kind: 'user', user: lm.user, password: 'Wr0ng-pw' })).rejects.toMatchObject({ code: 'auth', status: NT_STATUS_LOGON_FAILURE });
      } finally {
        await wrong.close();
      }
    } finally {
      await lm.stop();
    }
  });

  it('without the switch the same server is extended security (the switch is what changed the form)', async () => {
    const client = await SmbClient.connect(base());
    try {
      expect((client as Smb1Client).negotiated.extendedSecurity).toBe(true);
    } finally {
      await client.close();
    }
  });
});

describe('OPEN_ANDX on a file Samba wrote', () => {
  it('decodes to what the file is: size, attributes, access, last-write time in the server zone; reads it', async () => {
    const src = join(local, 'openx.bin');
    await makeRandomFile(src, 300_001);
    const put = await s.smbclient(['//127.0.0.1/private', ...SMBCLIENT_NT1, '-c', `put ${src} openx.bin; setmode openx.bin +h; allinfo openx.bin`]);
    expect(put.code).toBe(0);
    // smbclient's allinfo: "attributes: HA (22)".
    const attrs = /attributes: \S* \(([0-9a-f]+)\)/.exec(put.stdout);
    expect(attrs, put.stdout).not.toBeNull();
    const expectedAttrs = parseInt(attrs![1]!, 16);
    expect(expectedAttrs & 0x02).toBe(0x02);
    const onDisk = statSync(join(s.shareDir('private'), 'openx.bin'), { bigint: true });

    const client = await SmbClient.connect(withSmb1Forcing(base(), { openAndX: true }));
    try {
      const session = await client.login({ kind: 'user', user: s.user, password: s.password });
      const tree = await session.connectTree('private');
      const f = (await tree.open('openx.bin', { access: 'read' })) as Smb1FileHandle;
      try {
        const a = f.openAndX;
        expect(a, 'opened with OPEN_ANDX').toBeDefined();
        expect(a!.fileDataSize).toBe(300_001);
        expect(a!.fileAttributes).toBe(expectedAttrs);
        expect(a!.accessRights).toBe('read');
        expect(a!.resourceType).toBe(0); // FileTypeDisk
        expect(a!.openResult).toBe('opened');
        // Samba rounds the nanosecond mtime to the nearest second.
        const mtime = Number(onDisk.mtimeNs / 1_000_000_000n) + (onDisk.mtimeNs % 1_000_000_000n >= 500_000_000n ? 1 : 0);
        // UTIME is server-local: UTC + 5:30 here (MS-CIFS 2.2.1.4.2) ...
        expect(a!.lastWriteTime).toBe(mtime + TZ_SECONDS);
        // ... and the stat built from it is UTC again.
        expect(f.openStat.modified.getTime()).toBe(mtime * 1000);
        expect(f.openStat.size).toBe(300_001);
        expect(f.openStat.type).toBe('file');
        const data = await f.readAt(0, 300_001);
        expect(data.equals(readFileSync(src))).toBe(true);
      } finally {
        await f.close();
      }
      const rw = (await tree.open('openx.bin', { access: 'read-write' })) as Smb1FileHandle;
      await rw.close();
      expect(rw.openAndX?.accessRights).toBe('read-write');
      const created = (await tree.open('openx-new.bin', { access: 'write', disposition: 'create' })) as Smb1FileHandle;
      await created.writeAt(0, Buffer.from('new'));
      await created.close();
      expect(created.openAndX).toMatchObject({ openResult: 'created', accessRights: 'write', fileDataSize: 0 });
      const truncated = (await tree.open('openx-new.bin', { access: 'write', disposition: 'overwrite-if' })) as Smb1FileHandle;
      await truncated.close();
      expect(truncated.openAndX?.openResult).toBe('truncated');
      expect(statSync(join(s.shareDir('private'), 'openx-new.bin')).size).toBe(0);
      await expect(tree.open('no-such-file.bin')).rejects.toMatchObject({ status: 0xc0000034 });
    } finally {
      await client.close();
    }
  });
});
