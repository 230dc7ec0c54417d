// The queue's uploads (and downloads) through durable opens against a real Samba with durable handles on (as in
// protocol-durable.test.ts): when the connection drops mid-file (a TCP forwarder in front of Samba
// is cut), the resumed job takes back the very same open on the new connection (same ClientGuid)
// and continues at the confirmed offset; when the reclaim is refused (here: Samba restarted while
// the connection was down, and its durable opens went with it), it opens the partial again and still continues at the confirmed offset,
// not the partial's size less a safety margin. Both finish byte-exact.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTransferQueue, SimpleTreeProvider, smbShareConnector, type ShareConnector, type TransferJob } from '../../main/transfers/index.js';
import { makeRandomFile, sha256File } from '../harness/fixtures.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { userCreds } from './client-helpers.js';
import { nextEvent, TcpForwarder, untilState } from './transfers-helpers.js';

const MiB = 1024 * 1024;
const SIZE = 128 * MiB;
/** What upload-file.ts RESUME_MARGIN takes off the partial's size when it cannot know better. */
const MARGIN = 16 * MiB;
/** What Samba needs to grant durable handles (smb.conf(5), "durable handles"). */
const DURABLE_CONF = ['durable handles = yes', 'kernel oplocks = no', 'kernel share modes = no', 'posix locking = no'];

describe('transfer queue: uploads and downloads through durable opens', () => {
  let server: SambaServer;
  let local: string;
  let forwarder: TcpForwarder;

  beforeAll(async () => {
    server = await startSamba({ extra: DURABLE_CONF });
    local = await mkdtemp(join(tmpdir(), 'sk-durable-'));
    forwarder = new TcpForwarder({ host: server.host, port: server.port });
    await forwarder.listen();
  });
  afterAll(async () => {
    await forwarder?.cut();
    await server?.stop();
    await rm(local, { recursive: true, force: true });
  });

  async function rig(name: string, connector: ShareConnector): Promise<{ queue: LocalTransferQueue; close(): Promise<void> }> {
    const provider = new SimpleTreeProvider({ nas: connector }, { retryIntervalMs: 200 });
    const queue = await LocalTransferQueue.open({ provider, configDir: join(local, `config-${name}`), offlineRetryMs: 2000, progressIntervalMs: 0 });
    return {
      queue,
      close: async () => {
        await queue.dispose();
        await provider.dispose();
      },
    };
  }

  const target = () => ({ host: server.host, port: forwarder.port, timeoutMs: 5000, credentials: userCreds(server), share: 'private' });

  /** Uploads SIZE bytes, cuts the connection after 40 MiB, restores it; the job and the partial's size on the share at the cut. */
  async function dropMidUpload(name: string, connector: ShareConnector, whileCut: () => Promise<void> = async () => undefined) {
    const src = join(local, `${name}.bin`);
    const sum = await makeRandomFile(src, SIZE);
    const r = await rig(name, connector);
    try {
      const job = r.queue.enqueue({ direction: 'upload', driveId: 'nas', remotePath: `${name}.bin`, localPath: src });
      await nextEvent(r.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 40 * MiB);
      const paused = nextEvent(r.queue, 'paused', (e) => e.job.id === job.id, 30_000);
      await forwarder.cut();
      expect((await paused).reason).toBe('drive-offline');
      const share = server.shareDir('private');
      const partial = (await readdir(share)).find((n) => n.startsWith(`.${name}.bin.sharekeeper-partial-`));
      expect(partial).toBeDefined();
      const atCut = (await stat(join(share, partial!))).size;
      await whileCut();
      await forwarder.restore();
      const done = await untilState(r.queue, job.id, ['done', 'failed'], 90_000);
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      expect(await sha256File(join(share, `${name}.bin`))).toBe(sum);
      // Nothing of ours is left but a partial the server still held for the dead connection (recorded for removal, see heldPartial).
      const left = (await readdir(share)).filter((n) => n.startsWith(`.${name}.bin.sharekeeper-partial-`));
      expect(left).toEqual((done.leftovers ?? []).map((p) => p.replace(/^.*[\\/]/, '')));
      return { done, atCut };
    } finally {
      await r.close();
    }
  }

  /**
   * Samba 4.17 sometimes keeps the old connection, and our open, for seconds after the new logon
   * named it (PreviousSessionId): the reclaim is refused and an open of the partial waits on a
   * break to the dead connection (upload-file.ts reopenPartial). The job then finishes through a
   * new partial from 0 and records the held one; that is what this says it did.
   */
  const heldPartial = (done: TransferJob): boolean => done.resumedFrom === 0 && (done.leftovers ?? []).length === 1;

  it('a dropped connection: the resumed job reclaims its open and continues at the confirmed offset', async () => {
    const { done, atCut } = await dropMidUpload('reclaimed', smbShareConnector(target()));
    if (heldPartial(done)) {
      console.log(`durable upload: Samba still held the partial (${atCut} B at the cut); finished through a new one`);
      return;
    }
    expect(done.reclaimed).toBe(true);
    // Every WRITE before it was acknowledged: at most the window in flight short of the partial's end.
    expect(done.resumedFrom).toBeGreaterThan(atCut - MARGIN);
    expect(done.resumedFrom).toBeLessThanOrEqual(atCut);
    console.log(`durable upload: partial ${atCut} B at the cut, reclaimed, continued from ${done.resumedFrom} B`);
  });

  it('a refused reclaim (the server restarted meanwhile): the partial is opened again and continued at the confirmed offset', async () => {
    const { done, atCut } = await dropMidUpload('reopened', smbShareConnector(target()), () => server.restart());
    expect(done.reclaimed).toBeUndefined();
    expect(done.resumedFrom).toBeGreaterThan(atCut - MARGIN);
    expect(done.resumedFrom).toBeLessThanOrEqual(atCut);
    console.log(`durable upload, reclaim refused: partial ${atCut} B at the cut, reopened, continued from ${done.resumedFrom} B`);
  });

  it('a download whose connection drops reclaims its read open and finishes byte-exact from the local partial', async () => {
    const sum = await makeRandomFile(join(server.shareDir('private'), 'durable-down.bin'), SIZE);
    const r = await rig('down', smbShareConnector(target()));
    try {
      const dest = join(local, 'durable-down.bin');
      const job = r.queue.enqueue({ direction: 'download', driveId: 'nas', remotePath: 'durable-down.bin', localPath: dest });
      await nextEvent(r.queue, 'progress', (p) => p.id === job.id && p.bytesDone >= 40 * MiB);
      const paused = nextEvent(r.queue, 'paused', (e) => e.job.id === job.id, 30_000);
      await forwarder.cut();
      expect((await paused).reason).toBe('drive-offline');
      await forwarder.restore();
      const done = await untilState(r.queue, job.id, ['done', 'failed'], 90_000);
      expect({ state: done.state, error: done.error }).toEqual({ state: 'done', error: undefined });
      expect(done.reclaimed).toBe(true);
      expect(done.resumedFrom).toBeGreaterThan(20 * MiB);
      expect(await sha256File(dest)).toBe(sum);
      console.log(`durable download: reclaimed, continued from ${done.resumedFrom} B of ${SIZE}`);
    } finally {
      await r.close();
    }
  });
});
