// SMB 3 encryption against a real smbd (MS-SMB2 3.1.4.3, 3.2.4.1.8, 3.2.5.3.1): each cipher pinned
// by the server carries 8 MiB byte-exact to the `secure` share (`smb encrypt = required`) and smbd
// says the tree connect is encrypted; the same through the CLI with the fallback crypto; the caller's
// `encrypt` encrypts a plain share; and where encryption cannot be had we refuse instead of
// falling back to plaintext (code 'security', CLI exit 5).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dialect, SmbError } from '../../protocol/index.js';
import { framesOpenedInWorker, offloadAvailable } from '../../protocol/crypto/aead-offload.js';
import { sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';
import { openShare, userCreds } from './client-helpers.js';

type Cipher = 'AES-128-GCM' | 'AES-128-CCM' | 'AES-256-GCM' | 'AES-256-CCM';
const CIPHERS: Cipher[] = ['AES-128-GCM', 'AES-128-CCM', 'AES-256-GCM', 'AES-256-CCM'];
const SIZE = 8 * 1024 * 1024;

interface Protection {
  cipher: string;
  degree: string;
}
interface StatusJson {
  sessions?: Record<string, { username: string; encryption: Protection; signing: Protection }>;
  tcons?: Record<string, { service: string; encryption: Protection }>;
}

async function status(server: SambaServer): Promise<StatusJson> {
  return JSON.parse(await server.smbstatus(['-j'])) as StatusJson;
}

/** smbstatus 4.17 names only the 128-bit ciphers and prints "???" for the AES-256 ones. */
const sambaName = (c: Cipher): string => (c.startsWith('AES-128') ? c : '???');

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function expectSecurityError(p: Promise<unknown>): Promise<SmbError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmbError);
  expect((err as SmbError).code).toBe('security');
  return err as SmbError;
}

let local: string;
beforeAll(async () => {
  assertBuilt();
  local = await mkdtemp(join(tmpdir(), 'sk-security-'));
});
afterAll(async () => {
  if (local) await rm(local, { recursive: true, force: true });
});

for (const cipher of CIPHERS) {
  describe(`server pinned to ${cipher} (server smb3 encryption algorithms)`, () => {
    let server: SambaServer;
    beforeAll(async () => {
      server = await startSamba({ encryptionAlgorithms: cipher });
    });
    afterAll(async () => server?.stop());

    it('writes and reads back 8 MiB byte-exact on the encrypted share; smbstatus shows the cipher', async () => {
      const o = await openShare(server, 'secure');
      try {
        expect(o.client.cipher).toBe(cipher);
        const data = randomBytes(SIZE);
        await o.tree.writeFile('enc.bin', data);
        expect(await sha256File(join(server.shareDir('secure'), 'enc.bin'))).toBe(sha256(data));
        // By default every frame is opened on this thread (crypto/aead-offload.ts says why).
        const before = framesOpenedInWorker();
        expect(sha256(await o.tree.readFile('enc.bin'))).toBe(sha256(data));
        expect(framesOpenedInWorker()).toBe(before);
        // Turned on, the large READ answers are opened on the decryption worker, byte-exact too.
        process.env['SHAREKEEPER_CRYPTO_WORKER'] = 'on';
        try {
          await vi.waitFor(() => expect(offloadAvailable()).toBe(true));
          const offloaded = framesOpenedInWorker();
          expect(sha256(await o.tree.readFile('enc.bin'))).toBe(sha256(data));
          expect(framesOpenedInWorker()).toBeGreaterThan(offloaded);
        } finally {
          delete process.env['SHAREKEEPER_CRYPTO_WORKER'];
        }
        const tcon = Object.values((await status(server)).tcons ?? {}).find((t) => t.service === 'secure');
        expect(tcon?.encryption).toEqual({ cipher: sambaName(cipher), degree: 'full' });
      } finally {
        await o.close();
      }
    });

    it('the CLI with the fallback crypto puts and gets 8 MiB byte-exact with --encrypt', async () => {
      const src = join(local, `${cipher}-src.bin`);
      const back = join(local, `${cipher}-back.bin`);
      const data = randomBytes(SIZE);
      await writeFile(src, data);
      const base = `//127.0.0.1:${server.port}/secure`;
      const env = { SHAREKEEPER_PASSWORD: server.password, SHAREKEEPER_CRYPTO: 'fallback' };
      const put = await runCli(['put', src, `${base}/cli.bin`, '-U', server.user, '--encrypt', '--no-progress'], { env, timeoutMs: 60_000 });
      expect(put).toMatchObject({ code: 0, stderr: '' });
      expect(await sha256File(join(server.shareDir('secure'), 'cli.bin'))).toBe(sha256(data));
      const get = await runCli(['get', `${base}/cli.bin`, back, '-U', server.user, '--encrypt', '--no-progress'], { env, timeoutMs: 60_000 });
      expect(get).toMatchObject({ code: 0, stderr: '' });
      expect(sha256(await readFile(back))).toBe(sha256(data));
    });

    if (cipher === 'AES-256-GCM') {
      it('no common cipher: encrypt=true is refused, never plaintext', async () => {
        await expectSecurityError(openShare(server, 'private', userCreds(server), { encrypt: true, ciphers: ['AES-128-CCM'] }));
      });

      it('no common cipher: the encrypted share is a security error, not a bare ACCESS_DENIED', async () => {
        await expectSecurityError(openShare(server, 'secure', userCreds(server), { ciphers: ['AES-128-GCM'] }));
      });
    }
  });
}

describe('default server: who asks for encryption, and what happens without it', () => {
  let server: SambaServer;
  let base: string;
  beforeAll(async () => {
    server = await startSamba();
    base = `//127.0.0.1:${server.port}`;
  });
  afterAll(async () => server?.stop());

  it('encrypt=true on the plain private share encrypts everything after SESSION_SETUP (smbstatus agrees)', async () => {
    const o = await openShare(server, 'private', undefined, { encrypt: true });
    try {
      expect(o.session.isEncrypted).toBe(true);
      expect(o.client.cipher).toBe('AES-128-GCM');
      const data = randomBytes(300_000);
      await o.tree.writeFile('sealed.bin', data);
      expect((await o.tree.readFile('sealed.bin')).equals(data)).toBe(true);
      // smbd counts the (necessarily plain) SESSION_SETUP, so a client-encrypted session is "partial"
      // there even for `smbclient --client-protection=encrypt`; the tree connect is "full".
      const st = await status(server);
      const session = Object.values(st.sessions ?? {}).find((s) => s.username === server.user);
      expect(session?.encryption.cipher).toBe('AES-128-GCM');
      const tcon = Object.values(st.tcons ?? {}).find((t) => t.service === 'private');
      expect(tcon?.encryption.degree).toBe('full');
    } finally {
      await o.close();
    }
  });

  it('a session without encrypt stays plain on private but is encrypted on secure', async () => {
    const plain = await openShare(server, 'private');
    expect(plain.session.isEncrypted).toBe(false);
    await plain.close();
    const sec = await openShare(server, 'secure');
    await sec.tree.writeFile('x.txt', Buffer.from('sealed by the share flag'));
    expect((await sec.tree.readFile('x.txt')).toString()).toBe('sealed by the share flag');
    await sec.close();
  });

  for (const d of [Dialect.SMB2_02, Dialect.SMB2_10]) {
    const name = d === Dialect.SMB2_02 ? '2.0.2' : '2.1';
    it(`encrypt=true with an SMB ${name} session is refused before any share is touched`, async () => {
      await expectSecurityError(openShare(server, 'private', userCreds(server), { maxDialect: d, encrypt: true }));
    });

    it(`an SMB ${name} session cannot reach the encrypted share: security error, not a bare ACCESS_DENIED`, async () => {
      await expectSecurityError(openShare(server, 'secure', userCreds(server), { maxDialect: d }));
    });
  }

  it('the CLI exits 5 for --encrypt at SMB 2.1', async () => {
    const r = await runCli(['ls', `${base}/private`, '-U', server.user, '-m', 'SMB2_10', '--encrypt'], { env: { SHAREKEEPER_PASSWORD: server.password } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/encrypt/i);
  });

  it('the CLI exits 5 for the encrypted share at SMB 2.1', async () => {
    const r = await runCli(['ls', `${base}/secure`, '-U', server.user, '-m', 'SMB2_10'], { env: { SHAREKEEPER_PASSWORD: server.password } });
    expect(r.stdout).toBe('');
    expect(r.code).toBe(5);
  });
});

describe('server smb encrypt = required (global)', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba({ serverEncrypt: 'required' });
  });
  afterAll(async () => server?.stop());

  it('the session flag makes every share encrypted without the caller asking', async () => {
    const o = await openShare(server, 'public', userCreds(server));
    try {
      expect(o.session.isEncrypted).toBe(true);
      await o.tree.writeFile('g.txt', Buffer.from('global'));
      expect((await o.tree.readFile('g.txt')).toString()).toBe('global');
    } finally {
      await o.close();
    }
  });

  it('an SMB 2.1 client is refused (security error, not a plaintext session)', async () => {
    const err = await openShare(server, 'public', userCreds(server), { maxDialect: Dialect.SMB2_10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmbError);
    // smbd denies the SESSION_SETUP itself (ACCESS_DENIED) before any session flag reaches us; what
    // matters is that no plaintext session comes out of it.
    const e = err as SmbError;
    expect(e.code === 'security' || (e.code === 'status' && /ACCESS_DENIED/.test(e.message))).toBe(true);
  });
});
