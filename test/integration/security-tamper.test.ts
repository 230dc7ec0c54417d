// A man in the middle between our client and a real smbd (test/harness/tamper-proxy.ts). Whatever
// it changes, the client must notice and stop: a flipped byte in a signed response fails the
// signature (MS-SMB2 3.2.5.1.3), a flipped byte in an encrypted one fails decryption (3.2.5.1.1.1),
// a changed NEGOTIATE fails the 3.1.1 preauth integrity hash (3.2.5.3.1, 3.2.5.2) or, at 3.0/3.0.2,
// FSCTL_VALIDATE_NEGOTIATE_INFO (3.2.5.14.12). Each failure closes the connection.
import { framesOpenedInWorker, offloadAvailable } from '../../protocol/crypto/aead-offload.js';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dialect, SmbError, type ConnectOptions } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { Smb2Command, startTamperProxy, type TamperProxy } from '../harness/tamper-proxy.js';
import { openShare, userCreds, type Opened } from './client-helpers.js';

let server: SambaServer;
let proxy: TamperProxy;

beforeAll(async () => {
  server = await startSamba();
  await writeFile(join(server.shareDir('private'), 'one-mib.bin'), randomBytes(1024 * 1024));
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  proxy = await startTamperProxy({ host: server.host, port: server.port });
});
afterEach(async () => proxy?.close());

/** Our client, connected through the proxy. */
function viaProxy(share: string, opts: Partial<ConnectOptions> = {}): Promise<Opened> {
  return openShare({ ...server, port: proxy.port }, share, userCreds(server), opts);
}

async function failure(p: Promise<unknown>): Promise<SmbError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmbError);
  return err as SmbError;
}

/** The proxied TCP connection is gone within a bounded wait (the client closed it or smbd did). */
async function expectConnectionClosed(): Promise<void> {
  const end = Date.now() + 3000;
  while (proxy.counters().openConnections > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(proxy.counters().openConnections).toBe(0);
}

describe('without tampering', () => {
  it('an encrypted session passes through, and no READ or WRITE is visible on the wire', async () => {
    const o = await viaProxy('private', { encrypt: true });
    const data = randomBytes(3 * 1024 * 1024) // past the 1 MiB compound limit: streamed READs and WRITEs;
    await o.tree.writeFile('through-proxy.bin', data);
    expect((await o.tree.readFile('through-proxy.bin')).equals(data)).toBe(true);
    await o.close();
    const c = proxy.counters();
    expect(c.tampered).toBe(0);
    expect(c.encryptedResponses).toBeGreaterThan(4);
    expect(c.responsesByCommand['READ']).toBeUndefined();
    expect(c.responsesByCommand['WRITE']).toBeUndefined();
    expect(c.responsesByCommand['CREATE']).toBeUndefined();
  });
});

describe('signed responses', () => {
  // 15: high byte of CreditResponse (header, covered by the signature); 48: the signature itself.
  for (const [what, offset] of [
    ['CreditResponse', 15],
    ['Signature', 48],
  ] as const) {
    it(`a flipped ${what} byte in the final SESSION_SETUP response is a security error`, async () => {
      // NTLM: the 1st response is MORE_PROCESSING_REQUIRED (unsigned), the 2nd is the signed success.
      proxy.flipByteInResponse({ command: Smb2Command.SESSION_SETUP, nth: 2, offset });
      expect((await failure(viaProxy('private'))).code).toBe('security');
      expect(proxy.counters().tampered).toBe(1);
      await expectConnectionClosed();
    });
  }

  it('a flipped byte in the signed TREE_CONNECT response (3.1.1) is a security error', async () => {
    proxy.flipByteInResponse({ command: Smb2Command.TREE_CONNECT, offset: 64 + 3 }); // Reserved (MS-SMB2 2.2.10)
    expect((await failure(viaProxy('private'))).code).toBe('security');
    await expectConnectionClosed();
  });

  it('a flipped byte in a signed READ response is a security error and closes the connection', async () => {
    const o = await viaProxy('private', { requireSigning: true });
    proxy.flipByteInResponse({ command: Smb2Command.READ, offset: 64 + 3 }); // Reserved (MS-SMB2 2.2.20)
    expect((await failure(o.tree.readFile('one-mib.bin'))).code).toBe('security');
    expect(o.client.closed).toBe(true);
    await o.close();
    await expectConnectionClosed();
  });
});

describe('encrypted responses', () => {
  // Opened on this thread (the default) and on the opt-in decryption worker (crypto/aead-offload.ts).
  for (const where of ['this thread', 'the worker'] as const) {
    it(`a flipped ciphertext byte in an encrypted READ response, opened on ${where}, is a security error and closes the connection`, async () => {
      const o = await viaProxy('private', { encrypt: true });
      // Only READ responses carry this much; CREATE/CLOSE are a few hundred bytes.
      proxy.flipByteInEncryptedResponse({ minLength: 64 * 1024 });
      if (where === 'the worker') process.env['SHAREKEEPER_CRYPTO_WORKER'] = 'on';
      try {
        // The worker, when asked for, is made ready beforehand: it starts with the first large answer.
        if (where === 'the worker') await vi.waitFor(() => expect(offloadAvailable()).toBe(true));
        const offloaded = framesOpenedInWorker();
        expect((await failure(o.tree.readFile('one-mib.bin'))).code).toBe('security');
        expect(framesOpenedInWorker()).toBe(offloaded + (where === 'the worker' ? 1 : 0));
      } finally {
        delete process.env['SHAREKEEPER_CRYPTO_WORKER'];
      }
      expect(proxy.counters().tampered).toBe(1);
      expect(o.client.closed).toBe(true);
      await o.close();
      await expectConnectionClosed();
    });
  }
});

describe('NEGOTIATE downgrades', () => {
  it('negotiate contexts stripped from the request: the connection fails', async () => {
    proxy.stripNegotiateContexts('request');
    // smbd refuses a 3.1.1 NEGOTIATE without a preauth context (MS-SMB2 3.3.5.4: STATUS_INVALID_PARAMETER).
    const err = await failure(viaProxy('private'));
    expect(err.message).toMatch(/INVALID_PARAMETER/);
    expect(['status', 'unsupported']).toContain(err.code);
    await expectConnectionClosed();
  });

  it('negotiate contexts stripped from a 3.1.1 response: we refuse it', async () => {
    proxy.stripNegotiateContexts('response');
    expect(['security', 'malformed']).toContain((await failure(viaProxy('private'))).code);
    await expectConnectionClosed();
  });

  for (const direction of ['request', 'response'] as const) {
    it(`the encryption context dropped from the ${direction}: preauth integrity catches it`, async () => {
      proxy.dropEncryptContext(direction);
      expect((await failure(viaProxy('private'))).code).toBe('security');
      expect(proxy.counters().tampered).toBe(1);
      await expectConnectionClosed();
    });
  }

  it('the encryption context dropped while the caller requires encryption: security error, nothing in plaintext', async () => {
    proxy.dropEncryptContext('request');
    expect((await failure(viaProxy('private', { encrypt: true }))).code).toBe('security');
    expect(proxy.counters().requestsByCommand['TREE_CONNECT']).toBeUndefined();
  });

  it('the dialect list rewritten to 3.0: the session sets up, VALIDATE_NEGOTIATE_INFO catches it', async () => {
    proxy.rewriteDialects([Dialect.SMB2_02, Dialect.SMB2_10, Dialect.SMB3_00]);
    expect((await failure(viaProxy('private'))).code).toBe('security');
    const c = proxy.counters();
    expect(c.tampered).toBe(1);
    expect(c.responsesByCommand['SESSION_SETUP']).toBeGreaterThanOrEqual(2);
    expect(c.requestsByCommand['IOCTL']).toBe(1);
    await expectConnectionClosed();
  });

  it('the same rewrite when the client itself offers 3.0 at most: no mismatch, it works', async () => {
    proxy.rewriteDialects([Dialect.SMB2_02, Dialect.SMB2_10, Dialect.SMB3_00]);
    const o = await viaProxy('private', { maxDialect: Dialect.SMB3_00 });
    expect(o.client.dialect).toBe(Dialect.SMB3_00);
    expect((await o.tree.readFile('one-mib.bin')).length).toBe(1024 * 1024);
    await o.close();
  });
});
