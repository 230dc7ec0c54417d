// Durable opens against a real Samba (MS-SMB2 3.2.4.3.5, 3.2.4.4): the open survives a dropped
// connection and is reclaimed on a new one that keeps the ClientGuid; its batch oplock is
// acknowledged when another client opens the file, so that client is not kept waiting. After a
// drop the server never heard of (the old TCP connection still open on its side: a link that went
// down, no FIN), the new logon names the old session (PreviousSessionId, MS-SMB2 3.2.4.2.3), the
// server ends it (3.3.5.5.3) and the reclaim succeeds at once; without it the reclaim is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectTcp, Dialect, SmbClient, SmbError, type DialectValue, type Transport, type TransportFactory } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare, userCreds } from './client-helpers.js';

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

/**
 * A TCP transport whose cut() makes the client see its connection die while the socket stays open
 * with nothing more sent on it: what the server sees when the client's link goes down (no FIN, no
 * RST; the server's TCP keeps the connection, and so the session, until it gives up by itself).
 */
function halfOpenable(): { factory: TransportFactory; cut(): void; dispose(): void } {
  let inner: Transport | undefined;
  let onClose: ((e: SmbError | undefined) => void) | undefined;
  let cut = false;
  const factory: TransportFactory = async (opts, events) => {
    onClose = events.onClose;
    const t = await connectTcp(opts, { onFrame: (f) => (cut ? undefined : events.onFrame(f)), onClose: (e) => (cut ? undefined : events.onClose(e)) });
    inner = t;
    return {
      send: (parts) => (cut ? undefined : t.send(parts)),
      recycle: (f) => t.recycle(f),
      close: (e) => (cut ? undefined : t.close(e)), // after the cut the socket outlives the client
      get closed() {
        return cut || t.closed;
      },
      remoteAddress: t.remoteAddress,
    };
  };
  return {
    factory,
    cut() {
      cut = true;
      onClose?.(new SmbError('transport', 'link down (test)'));
    },
    dispose: () => inner?.close(),
  };
}

describe.each(dialects)('a reconnect while the old connection is still half-open on %s', (_name, maxDialect, version) => {
  /** Opens a durable file on a connection, writes, then cuts that connection without a FIN. */
  async function openThenCut(name: string) {
    const clientGuid = randomBytes(16);
    const link = halfOpenable();
    const first = await openShare(server, 'private', undefined, { maxDialect, clientGuid, transport: link.factory });
    const h = await first.tree.open(name, { access: 'write', disposition: 'overwrite-if', durable: true });
    expect(h.durable?.version).toBe(version);
    const a = randomBytes(64_000);
    await h.writeAt(0, a);
    link.cut();
    expect(first.client.closed).toBe(true);
    return { clientGuid, link, h, a, previousSessionId: first.session.sessionId };
  }

  it('with PreviousSessionId the reclaim succeeds at once and the writes go on', async () => {
    const name = `half-open-${version}.bin`;
    const { clientGuid, link, h, a, previousSessionId } = await openThenCut(name);
    expect(typeof previousSessionId).toBe('bigint');
    try {
      const started = Date.now();
      const second = await SmbClient.connect({ host: server.host, port: server.port, timeoutMs: 20_000, maxDialect, clientGuid });
      try {
        const session = await second.login(userCreds(server), { previousSessionId });
        const tree = await session.connectTree('private');
        const back = await tree.reclaim(h.durable!);
        const ms = Date.now() - started;
        console.log(`[durable] ${_name}: logon with PreviousSessionId + reclaim ${ms} ms after the drop`);
        expect(ms).toBeLessThan(5000);
        const b = randomBytes(30_000);
        expect(await back.writeAt(a.length, b)).toBe(b.length);
        await back.close();
        expect((await readFile(join(server.shareDir('private'), name))).equals(Buffer.concat([a, b]))).toBe(true);
      } finally {
        await second.close();
      }
    } finally {
      link.dispose();
    }
  });

  it('without it the server still holds the old session and refuses the reclaim', async () => {
    const { clientGuid, link, h } = await openThenCut(`half-open-control-${version}.bin`);
    try {
      const second = await openShare(server, 'private', undefined, { maxDialect, clientGuid });
      try {
        const err = await second.tree.reclaim(h.durable!).then(
          (x) => x,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(SmbError);
        // MS-SMB2 3.3.5.9.7/3.3.5.9.12: an open still on a live connection is not found for a reconnect.
        expect(err).toMatchObject({ operation: 'reclaim', statusName: 'NT_STATUS_OBJECT_NAME_NOT_FOUND' });
      } finally {
        await second.close();
      }
    } finally {
      link.dispose();
    }
  });
});
