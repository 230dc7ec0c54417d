// OpenOptions.signal against a real Samba: an open that waits on an oplock break to a connection
// the server has not seen die (answered STATUS_PENDING, then nothing for 30 s) is cancelled when
// the caller gives up (MS-SMB2 3.2.4.24), and fails with STATUS_CANCELLED at once, not at the
// request deadline.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { NtStatus, SmbClient, SmbStatusError } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { userCreds } from './client-helpers.js';
import { TcpForwarder } from './transfers-helpers.js';

let server: SambaServer;
let forwarder: TcpForwarder;
beforeAll(async () => {
  server = await startSamba();
  forwarder = new TcpForwarder({ host: server.host, port: server.port });
  await forwarder.listen();
});
afterAll(async () => {
  forwarder?.releaseServerSide();
  await forwarder?.cut();
  await server?.stop();
});

it('a CREATE held pending by a break to a dead connection is cancelled when its signal aborts', async () => {
  const a = await SmbClient.connect({ host: '127.0.0.1', port: forwarder.port, timeoutMs: 5000 });
  const b = await SmbClient.connect({ host: server.host, port: server.port, timeoutMs: 5000 });
  try {
    const treeA = await (await a.login(userCreds(server))).connectTree('private');
    // A batch oplock (asked for with a durable open): another open must break it first.
    const name = `held-${randomBytes(4).toString('hex')}.bin`;
    const held = await treeA.open(name, { access: 'write', disposition: 'create', share: 'none', durable: true });
    await held.writeAt(0, randomBytes(4096));
    await forwarder.cutClientSide();
    const treeB = await (await b.login(userCreds(server))).connectTree('private');
    const started = Date.now();
    const failed = await treeB.open(name, { access: 'write', share: 'none', signal: AbortSignal.timeout(1000) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    expect(failed).toBeInstanceOf(SmbStatusError);
    expect((failed as SmbStatusError).status).toBe(NtStatus.STATUS_CANCELLED);
    // Far below the connection's own deadline for a pending answer (4 × 5 s).
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(4000);
    // The connection is still good for other work.
    expect((await treeB.stat(name)).size).toBe(4096);
    console.log(`open cancelled ${took} ms after it was sent`);
  } finally {
    forwarder.releaseServerSide();
    await a.close();
    await b.close();
  }
});
