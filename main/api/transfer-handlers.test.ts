// The queue-transfer requests with another share of the drive's server: the job carries that share
// (and none for the drive's own share, whatever its case), a bad share name is refused before the
// queue sees it. The queue here only records what it is asked: the SMB side is the integration
// test's (test/integration/transfers-other-share.test.ts).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnqueueRequest, TransferJob } from '../transfers/index.js';
import type { CallContext } from './dispatcher.js';
import { createApiService } from './service.js';
import { EventHub } from './wire.js';

const ctx = (): Omit<CallContext, 'signal'> => ({ clientId: 't', clientSignal: new AbortController().signal, emit: () => undefined });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sk-th-'));
  await writeFile(join(dir, 'a.txt'), 'a');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function service() {
  const asked: EnqueueRequest[] = [];
  const job = (req: EnqueueRequest): TransferJob => ({
    id: `j${asked.length}`,
    direction: req.direction,
    driveId: req.driveId,
    ...(req.share === undefined ? {} : { share: req.share }),
    remotePath: req.remotePath,
    localPath: req.localPath,
    conflict: req.conflict ?? 'ask',
    verifyHash: false,
    kind: 'file',
    state: 'queued',
    bytesDone: 0,
    bytesTotal: 0,
    createdAt: 'now',
    updatedAt: 'now',
  });
  const fake = {
    supervisor: { onTransition: () => () => undefined },
    registry: {
      onDidChange: () => () => undefined,
      get: async (id: string) => (id === 'd' ? { id: 'd', name: 'D', target: 'smb://nas/Public', alternates: [], options: {}, persistent: false } : undefined),
    },
    queue: {
      on: () => () => undefined,
      enqueue: (req: EnqueueRequest) => {
        asked.push(req);
        return job(req);
      },
    },
  };
  const api = createApiService(fake as never, new EventHub(), { mode: 'electron', version: 't', pickFolder: async () => dir, pickFiles: async () => [join(dir, 'a.txt')] });
  const call = (name: string, args: unknown) => api.dispatcher.dispatch(name, args, ctx());
  return { asked, call };
}

async function handle(call: ReturnType<typeof service>['call'], name: 'local.pickFolder' | 'local.pickFiles'): Promise<string> {
  const r = await call(name, {});
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const v = r.value as { id: string } | { id: string }[];
  return Array.isArray(v) ? v[0]!.id : v.id;
}

describe('queue transfers on a share of the drive server', () => {
  it('a download from another share is queued with that share; the drive own share (any case) with none', async () => {
    const { asked, call } = service();
    const destination = await handle(call, 'local.pickFolder');
    const other = await call('transfers.download', { driveId: 'd', share: 'Media', paths: ['films/a.mkv'], destination });
    expect(other).toMatchObject({ ok: true, value: [{ driveId: 'd', share: 'Media', remotePath: 'films/a.mkv', localName: 'a.mkv' }] });
    const own = await call('transfers.download', { driveId: 'd', share: 'public', paths: ['b.txt'], destination });
    expect(own.ok).toBe(true);
    expect(own.ok && (own.value as { share?: string }[])[0]!.share).toBeUndefined();
    expect(asked.map((r) => [r.direction, r.share, r.remotePath, r.localPath])).toEqual([
      ['download', 'Media', 'films/a.mkv', join(dir, 'a.mkv')],
      ['download', undefined, 'b.txt', join(dir, 'b.txt')],
    ]);
    expect('share' in asked[1]!).toBe(false);
  });

  it('an upload into another share is queued with that share', async () => {
    const { asked, call } = service();
    const source = await handle(call, 'local.pickFiles');
    const r = await call('transfers.upload', { driveId: 'd', share: 'Media', folder: 'in', sources: [source] });
    expect(r).toMatchObject({ ok: true, value: [{ direction: 'upload', share: 'Media', remotePath: 'in/a.txt' }] });
    expect(asked).toMatchObject([{ direction: 'upload', driveId: 'd', share: 'Media', remotePath: 'in/a.txt', localPath: join(dir, 'a.txt') }]);
  });

  it('refuses share names with separators, control characters or past 80 characters, and unknown drives', async () => {
    const { asked, call } = service();
    const destination = await handle(call, 'local.pickFolder');
    for (const share of ['a/b', 'a\\b', '', 'x'.repeat(81), 'a\u0001b', '.', '..', 7]) {
      expect(await call('transfers.download', { driveId: 'd', share, paths: ['x'], destination })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(await call('transfers.upload', { driveId: 'd', share, folder: '', sources: [destination] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    expect(await call('transfers.download', { driveId: 'd', share: 'x'.repeat(80), paths: ['x'], destination })).toMatchObject({ ok: true });
    expect(await call('transfers.download', { driveId: 'gone', share: 'Media', paths: ['x'], destination })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(asked).toHaveLength(1);
  });
});
