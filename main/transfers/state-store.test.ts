import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueStateFile } from './state-store.js';
import type { TransferJob } from './types.js';

const job = (id: string): TransferJob => ({
  id,
  direction: 'download',
  driveId: 'd',
  remotePath: 'a.bin',
  localPath: '/tmp/a.bin',
  conflict: 'ask',
  verifyHash: false,
  kind: 'file',
  state: 'running',
  bytesDone: 5,
  bytesTotal: 10,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('QueueStateFile', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-state-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('loads nothing when there is no file', async () => {
    expect(await new QueueStateFile(join(dir, 'missing')).load()).toEqual({ jobs: [] });
  });

  it('round-trips jobs and leaves no temp file', async () => {
    const f = new QueueStateFile(dir);
    await Promise.all([f.save([job('1')]), f.save([job('1'), job('2')])]);
    expect((await f.load()).jobs.map((j) => j.id)).toEqual(['1', '2']);
    expect(await readdir(dir)).toEqual(['transfers.json']);
  });

  it('moves a corrupt file aside instead of replacing it', async () => {
    await writeFile(join(dir, 'transfers.json'), '{"schemaVersion":1,"jobs":[{"id":3}]}');
    const r = await new QueueStateFile(dir).load();
    expect(r.jobs).toEqual([]);
    expect(r.problem).toMatch(/jobs\[0\]\.id /);
    const names = await readdir(dir);
    expect(names.some((n) => n.startsWith('transfers.json.corrupt-'))).toBe(true);
    const aside = names.find((n) => n.startsWith('transfers.json.corrupt-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toContain('"id":3');
  });

  it('refuses an unknown schema version', async () => {
    await writeFile(join(dir, 'transfers.json'), '{"schemaVersion":9,"jobs":[]}');
    expect((await new QueueStateFile(dir).load()).problem).toMatch(/schemaVersion 9/);
  });
});
