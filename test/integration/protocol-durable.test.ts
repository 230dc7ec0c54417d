// Durable opens against a real Samba (MS-SMB2 3.2.4.3.5, 3.2.4.4): the open survives a dropped
// connection and is reclaimed on a new one that keeps the ClientGuid; its batch oplock is
// acknowledged when another client opens the file, so that client is not kept waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Dialect, type DialectValue } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

/** What Samba needs to grant durable handles (smb.conf(5), "durable handles"). */
const DURABLE_CONF = ['durable handles = yes', 'kernel oplocks = no', 'kernel share modes = no', 'posix locking = no'];

let server: SambaServer;

beforeAll(async () => {
  server = await startSamba({ extra: DURABLE_CONF });
});
afterAll(async () => {
  await server?.stop();
});

const dialects: [string, DialectValue, 1 | 2][] = [
  ['SMB2_10 (v1 contexts)', Dialect.SMB2_10, 1],
  ['SMB3_11 (v2 contexts)', Dialect.SMB3_11, 2],
];

describe.each(dialects)('durable opens on %s', (_name, maxDialect, version) => {
  it('an open file survives a dropped connection and is reclaimed, writes continuing where they were', async () => {
    const clientGuid = randomBytes(16);
    const first = await openShare(server, 'private', undefined, { maxDialect, clientGuid });
    const name = `durable-${version}.bin`;
    const h = await first.tree.open(name, { access: 'write', disposition: 'overwrite-if', durable: true });
    expect(h.durable).toMatchObject({ version, path: name });
    const a = randomBytes(100_000);
    await h.writeAt(0, a);
    await first.client.close(); // the connection drops without CLOSE or LOGOFF

    const second = await openShare(server, 'private', undefined, { maxDialect, clientGuid });
    try {
      const back = await second.tree.reclaim(h.durable!);
      const b = randomBytes(50_000);
      expect(await back.writeAt(a.length, b)).toBe(b.length);
      await back.close();
      expect((await readFile(join(server.shareDir('private'), name))).equals(Buffer.concat([a, b]))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('another client opening the file gets in at once: our batch oplock break is acknowledged', async () => {
    const ours = await openShare(server, 'private', undefined, { maxDialect });
    const theirs = await openShare(server, 'private', undefined, { maxDialect });
    try {
      const name = `shared-${version}.bin`;
      const h = await ours.tree.open(name, { access: 'read-write', disposition: 'overwrite-if', durable: true, share: 'all' });
      await h.writeAt(0, Buffer.from('ours'));
      const started = Date.now();
      const other = await theirs.tree.open(name, { access: 'read' });
      // Unacknowledged, Samba would wait its oplock break timeout (30 s) before letting them in.
      expect(Date.now() - started).toBeLessThan(5000);
      expect((await other.readAt(0, 10)).toString()).toBe('ours');
      await other.close();
      await h.close();
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});

it('a durable open that was closed cannot be reclaimed: the server says so with its status', async () => {
  const clientGuid = randomBytes(16);
  const first = await openShare(server, 'private', undefined, { clientGuid });
  const h = await first.tree.open('durable-closed.bin', { access: 'write', disposition: 'overwrite-if', durable: true });
  expect(h.durable).toBeDefined();
  await h.close();
  await first.client.close();
  const second = await openShare(server, 'private', undefined, { clientGuid });
  try {
    const err = await second.tree.reclaim(h.durable!).catch((e) => e);
    expect(err.statusName).toBe('NT_STATUS_OBJECT_NAME_NOT_FOUND');
    expect(err.operation).toBe('reclaim');
  } finally {
    await second.close();
  }
});
