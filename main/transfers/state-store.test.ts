import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPACT_FACTOR, QueueJournal } from './state-store.js';
import type { TransferJob } from './types.js';

const job = (id: string, state: TransferJob['state'] = 'running'): TransferJob => ({
  id,
  direction: 'download',
  driveId: 'd',
  remotePath: 'a.bin',
  localPath: '/tmp/a.bin',
  conflict: 'ask',
  verifyHash: false,
  kind: 'file',
  state,
  bytesDone: 5,
  bytesTotal: 10,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

/** A journal over a map of jobs, as the queue uses it. */
function journalOver(dir: string, jobs: Map<string, TransferJob>): QueueJournal {
  return new QueueJournal(dir, { all: () => jobs.values(), count: () => jobs.size }, { flushIntervalMs: 5 });
}

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((l) => l !== '');
}

describe('QueueJournal', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'sk-state-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('loads nothing when there are no files', async () => {
    expect(await journalOver(join(dir, 'missing'), new Map()).load()).toEqual({ jobs: [] });
  });

  it('round-trips jobs; a job changed many times in one batch is written once', async () => {
    const jobs = new Map([['1', job('1')]]);
    const j = journalOver(dir, jobs);
    await j.load();
    j.changed(jobs.get('1')!);
    await j.flush(); // the first write starts the files with a snapshot
    const two = job('2', 'queued');
    jobs.set('2', two);
    for (const s of ['queued', 'running', 'done'] as const) {
      two.state = s;
      j.changed(two);
    }
    await j.close();
    expect((await lines(j.journalPath)).length).toBe(2); // header + one line for job 2
    const back = await journalOver(dir, new Map()).load();
    expect(back.jobs.map((x) => [x.id, x.state])).toEqual([
      ['1', 'running'],
      ['2', 'done'],
    ]);
    expect((await readdir(dir)).sort()).toEqual(['transfers.journal', 'transfers.json']);
  });

  it('compacts once the journal is long: a new snapshot, a short journal, the same jobs', async () => {
    const jobs = new Map<string, TransferJob>();
    for (let i = 0; i < 10; i++) jobs.set(String(i), job(String(i)));
    const j = journalOver(dir, jobs);
    await j.load();
    // Well past the compaction point (at least 1000 lines, COMPACT_FACTOR × jobs).
    for (let round = 0; round < 1500; round++) {
      const x = jobs.get(String(round % 10))!;
      x.bytesDone = round;
      j.changed(x);
      await j.flush();
    }
    await j.close();
    expect((await lines(j.journalPath)).length).toBeLessThan(1000 + 2);
    const snap = JSON.parse(await readFile(j.snapshotPath, 'utf8')) as { generation: number; jobs: TransferJob[] };
    expect(snap.generation).toBeGreaterThan(1);
    const back = await journalOver(dir, new Map()).load();
    expect(back.jobs.map((x) => x.bytesDone)).toEqual([1490, 1491, 1492, 1493, 1494, 1495, 1496, 1497, 1498, 1499]);
    expect(COMPACT_FACTOR).toBeGreaterThan(1);
  });

  it('ignores a torn last line, and a journal of an older generation', async () => {
    const jobs = new Map([['1', job('1', 'queued')]]);
    const j = journalOver(dir, jobs);
    await j.load();
    j.changed(jobs.get('1')!);
    await j.flush();
    jobs.get('1')!.state = 'done';
    j.changed(jobs.get('1')!);
    await j.close();
    await appendFile(j.journalPath, '{"id":"1","state":"fai');
    const torn = await journalOver(dir, new Map()).load();
    expect(torn).toEqual({ jobs: [expect.objectContaining({ id: '1', state: 'done' })] });

    // A crash between a new snapshot and the new journal: the old journal holds nothing newer.
    const snap = JSON.parse(await readFile(j.snapshotPath, 'utf8')) as { generation: number; jobs: TransferJob[] };
    await writeFile(j.snapshotPath, JSON.stringify({ ...snap, generation: snap.generation + 1, jobs: [job('1', 'skipped')] }));
    expect((await journalOver(dir, new Map()).load()).jobs.map((x) => x.state)).toEqual(['skipped']);
  });

  it('reads the old one-file format (schemaVersion 1)', async () => {
    await writeFile(join(dir, 'transfers.json'), JSON.stringify({ schemaVersion: 1, jobs: [job('7', 'paused')] }));
    const r = await journalOver(dir, new Map()).load();
    expect(r.jobs.map((x) => x.id)).toEqual(['7']);
  });

  it('moves a corrupt snapshot aside instead of replacing it, and a corrupt journal line too', async () => {
    await writeFile(join(dir, 'transfers.json'), '{"schemaVersion":1,"jobs":[{"id":3}]}');
    const r = await journalOver(dir, new Map()).load();
    expect(r.jobs).toEqual([]);
    expect(r.problem).toMatch(/jobs\[0\]\.id /);
    const names = await readdir(dir);
    const aside = names.find((n) => n.startsWith('transfers.json.corrupt-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toContain('"id":3');

    await writeFile(join(dir, 'transfers.json'), JSON.stringify({ schemaVersion: 2, generation: 4, jobs: [job('a')] }));
    await writeFile(join(dir, 'transfers.journal'), `{"generation":4}\n${JSON.stringify(job('b'))}\nnot json\n${JSON.stringify(job('c'))}\n`);
    const p = await journalOver(dir, new Map()).load();
    expect(p.jobs.map((x) => x.id)).toEqual(['a', 'b']);
    expect(p.problem).toMatch(/journal line 3/);
    expect((await readdir(dir)).some((n) => n.startsWith('transfers.journal.corrupt-'))).toBe(true);
  });

  it('loads jobs saved before jobs had a share (the drive own share) beside jobs with one; a bad share is set aside', async () => {
    // A snapshot and a journal as an earlier version wrote them: no `share` field anywhere.
    const old = job('old', 'paused');
    expect('share' in old).toBe(false);
    await writeFile(join(dir, 'transfers.json'), JSON.stringify({ schemaVersion: 2, generation: 3, jobs: [old] }));
    const other = { ...job('other', 'queued'), share: 'Media' };
    const bad = { ...job('bad', 'queued'), share: 'a/b' };
    await writeFile(join(dir, 'transfers.journal'), `{"generation":3}\n${JSON.stringify(other)}\n${JSON.stringify(bad)}\n${JSON.stringify(job('after'))}\n`);
    const r = await journalOver(dir, new Map()).load();
    expect(r.jobs.map((x) => [x.id, x.share])).toEqual([
      ['old', undefined],
      ['other', 'Media'],
    ]);
    expect('share' in r.jobs[0]!).toBe(false);
    expect(r.problem).toMatch(/journal line 3: jobs\[2\]\.share is missing or invalid/);
  });

  it('refuses an unknown schema version', async () => {
    await writeFile(join(dir, 'transfers.json'), '{"schemaVersion":9,"jobs":[]}');
    expect((await journalOver(dir, new Map()).load()).problem).toMatch(/schemaVersion 9/);
  });
});
