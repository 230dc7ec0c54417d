// The queue's state file: `transfers.json` in the config dir, written atomically (temp file in
// the same folder, fsync, rename) so a crash leaves either the old or the new file, never half.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobState, TransferJob } from './types.js';

const FILE_NAME = 'transfers.json';
const SCHEMA_VERSION = 1;
const STATES: readonly JobState[] = ['queued', 'running', 'waiting-for-decision', 'paused', 'done', 'skipped', 'failed', 'cancelled'];

export interface LoadResult {
  jobs: TransferJob[];
  /** Set when a file existed but could not be used; it was moved aside. */
  problem?: string;
}

export class QueueStateFile {
  readonly path: string;
  private writing: Promise<void> | undefined;
  private pending: TransferJob[] | undefined;

  constructor(private readonly dir: string) {
    this.path = join(dir, FILE_NAME);
  }

  async load(): Promise<LoadResult> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { jobs: [] };
      throw e;
    }
    try {
      return { jobs: parseState(text) };
    } catch (e) {
      // Never silently replace what we could not read: keep it beside for a person to look at.
      const aside = `${this.path}.corrupt-${Date.now()}`;
      await rename(this.path, aside).catch(() => undefined);
      return { jobs: [], problem: `${(e as Error).message}; moved to ${aside}` };
    }
  }

  /** Writes `jobs`; calls made while a write runs collapse into one more write of the latest. */
  save(jobs: TransferJob[]): Promise<void> {
    this.pending = jobs;
    this.writing ??= this.drain().finally(() => (this.writing = undefined));
    return this.writing;
  }

  private async drain(): Promise<void> {
    for (let next = this.pending; next; next = this.pending) {
      this.pending = undefined;
      await this.writeNow(next);
    }
  }

  private async writeNow(jobs: TransferJob[]): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify({ schemaVersion: SCHEMA_VERSION, jobs }, null, 1));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.path);
  }
}

export function parseState(text: string): TransferJob[] {
  const data = JSON.parse(text) as unknown;
  if (!isObject(data)) throw new Error('state file is not a JSON object');
  if (data['schemaVersion'] !== SCHEMA_VERSION) throw new Error(`unknown schemaVersion ${String(data['schemaVersion'])}`);
  const jobs = data['jobs'];
  if (!Array.isArray(jobs)) throw new Error('jobs is not an array');
  return jobs.map((j, i) => checkJob(j, i));
}

function checkJob(j: unknown, i: number): TransferJob {
  const bad = (field: string): Error => new Error(`jobs[${i}].${field} is missing or invalid`);
  if (!isObject(j)) throw bad('(job)');
  for (const f of ['id', 'driveId', 'remotePath', 'localPath', 'createdAt', 'updatedAt']) {
    if (typeof j[f] !== 'string') throw bad(f);
  }
  if (j['direction'] !== 'download' && j['direction'] !== 'upload') throw bad('direction');
  if (j['kind'] !== 'file' && j['kind'] !== 'folder') throw bad('kind');
  if (!STATES.includes(j['state'] as JobState)) throw bad('state');
  if (!['ask', 'skip', 'overwrite', 'keep-both'].includes(j['conflict'] as string)) throw bad('conflict');
  if (typeof j['bytesDone'] !== 'number' || typeof j['bytesTotal'] !== 'number') throw bad('bytesDone');
  return j as unknown as TransferJob;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
