// Folder watches (SMB2 CHANGE_NOTIFY, MS-SMB2 2.2.36 / MS-FSCC 2.7.1) against a hostile server: the
// proxy answers a watch itself with names that escape the folder, carry NUL or separators, or a
// chain that loops, and it swallows the CANCEL of a held watch. Each ends in a typed error or
// within the request deadline, only that watch fails, and the connection goes on.
import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SmbClient, SmbError, type SmbTree } from '../../protocol/index.js';
import { Smb2Command, STATUS_SUCCESS } from '../harness/mitm/smb2-pdu.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { startTamperProxy, type TamperProxy } from '../harness/tamper-proxy.js';
import { expectNoProxyErrors } from './hostile-helpers.js';

const TIMEOUT_MS = 1000;
let server: SambaServer;
let proxy: TamperProxy;
let client: SmbClient;
let tree: SmbTree;

/** One FILE_NOTIFY_INFORMATION (MS-FSCC 2.7.1): NextEntryOffset, Action, FileNameLength, FileName. */
function notifyEntry(name: string, next = 0, action = 1): Buffer {
  const n = Buffer.from(name, 'utf16le');
  const b = Buffer.alloc(12 + n.length);
  b.writeUInt32LE(next, 0);
  b.writeUInt32LE(action, 4);
  b.writeUInt32LE(n.length, 8);
  n.copy(b, 12);
  return b;
}

/** MS-SMB2 2.2.36 body: StructureSize 9, OutputBufferOffset 64 + 8, OutputBufferLength, Buffer. */
function notifyBody(buffer: Buffer): Buffer {
  const b = Buffer.alloc(8 + buffer.length);
  b.writeUInt16LE(9, 0);
  b.writeUInt16LE(72, 2);
  b.writeUInt32LE(buffer.length, 4);
  buffer.copy(b, 8);
  return b;
}

beforeAll(async () => {
  server = await startSamba();
  await mkdir(join(server.shareDir('public'), 'w'));
  await chmod(join(server.shareDir('public'), 'w'), 0o777);
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  proxy = await startTamperProxy({ host: server.host, port: server.port });
  client = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, timeoutMs: TIMEOUT_MS });
  tree = await (await client.login({ kind: 'guest' })).connectTree('public');
});
afterEach(async () => {
  await client?.close();
  expectNoProxyErrors(proxy);
  await proxy.close();
});

describe('a hostile answer to a watch', () => {
  const cases: Record<string, () => Buffer> = {
    'a name climbing out of the folder': () => notifyEntry('..\\..\\etc\\passwd'),
    'a path in a watch of one folder': () => notifyEntry('sub\\x.txt'),
    'a NUL in a name': () => notifyEntry('a\0b'),
    'a forward slash in a name': () => notifyEntry('a/b'),
    'an empty name': () => notifyEntry(''),
    'an unknown action': () => notifyEntry('x', 0, 0x99),
    'a chain whose second entry points into itself': () => Buffer.concat([notifyEntry('ab', 16), notifyEntry('cd', 4)]),
  };
  for (const [what, buffer] of Object.entries(cases)) {
    it(`${what}: a malformed error for that watch only`, async () => {
      let answered = 0;
      proxy.onRequest((_pdu, ctx) => {
        if (ctx.header.command !== Smb2Command.CHANGE_NOTIFY) return undefined;
        answered++;
        return ctx.respond(STATUS_SUCCESS, notifyBody(buffer()));
      });
      const watch = tree.watchDirectory!('w');
      const err = await watch.next().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(answered).toBe(1);
      expect(err).toBeInstanceOf(SmbError);
      expect(err).toMatchObject({ code: 'malformed' });
      expect(await watch.next()).toEqual({ done: true, value: undefined });
      expect(client.closed).toBe(false);
      expect((await tree.stat('w')).type).toBe('directory');
    });
  }
});

describe('a server that swallows the CANCEL of a held watch', () => {
  it('return() still ends within the request deadline, the connection goes on, the late answer is dropped', async () => {
    let cancels = 0;
    proxy.onRequest((_pdu, ctx) => {
      if (ctx.header.command !== Smb2Command.CANCEL) return undefined;
      cancels++;
      return 'drop';
    });
    const watch = tree.watchDirectory!('w');
    const pending = watch.next().then(
      (r) => r,
      (e: unknown) => e,
    );
    await new Promise((r) => setTimeout(r, 300)); // Samba holds it (STATUS_PENDING)
    const started = Date.now();
    await watch.return!();
    const took = Date.now() - started;
    expect(cancels).toBeGreaterThanOrEqual(1);
    expect(took).toBeLessThan(TIMEOUT_MS * 3);
    expect(await pending).toMatchObject({ code: 'timeout' });
    // Closing the folder's handle made Samba complete the watch (STATUS_NOTIFY_CLEANUP): dropped as late.
    await new Promise((r) => setTimeout(r, 200));
    expect(client.closed).toBe(false);
    expect((await tree.stat('w')).type).toBe('directory');
    await client.echo();
  });
});
