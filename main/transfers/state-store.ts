// The queue's state on disk, in the config dir: a snapshot `transfers.json` of every job, and an
// append-only journal `transfers.journal` of the jobs changed since (one JSON job per line; the
// last line for an id wins). A change costs one line, batched: changes within FLUSH_INTERVAL_MS
// are written together, and a job that changes several times in a batch is written once. When the
// journal holds COMPACT_FACTOR times more lines than there are jobs, a new snapshot is written
// (atomically, by the one atomic writer: main/drives/atomic-write.ts) and the journal starts again,
// so the cost per change stays constant however many jobs there are.
//
// Crash safety: the snapshot carries a generation and the journal starts with the generation it
// follows; a journal of another generation (a crash between writing a snapshot and emptying the
// journal) is ignored, since the snapshot already holds everything in it. A torn last line (a
// crash mid-append) is ignored; anything else unreadable is moved aside and reported.
import { createReadStream, constants } from 'node:fs';
import { mkdir, open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../drives/atomic-write.js';
import { isShareName } from './safe-name.js';
import type { JobState, TransferJob } from './types.js';

const SNAPSHOT = 'transfers.json';
const JOURNAL = 'transfers.journal';
/** 1: a snapshot only (read as generation 0); 2: snapshot with a generation, and a journal. */
const SCHEMA_VERSION = 2;
/** Changes are batched for this long before they are appended. */
export const FLUSH_INTERVAL_MS = 200;
/** A new snapshot once the journal has this many times more lines than there are jobs... */
export const COMPACT_FACTOR = 2;
/** ...and at least this many lines (a small queue is not rewritten all the time). */
const COMPACT_MIN_LINES = 1000;
/** Lines per write: bounds the one string built for an append. */
const LINES_PER_WRITE = 2000;
const STATES: readonly JobState[] = ['queued', 'running', 'waiting-for-decision', 'paused', 'done', 'skipped', 'failed', 'cancelled'];
// Our own files in our own folder; still, a link planted at the name is not written through.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface LoadResult {
  jobs: TransferJob[];
  /** Set when a file existed but could not be used (fully or in part); it was moved aside. */
  problem?: string;
}

/** Every job the queue holds (what a snapshot writes), and how many. */
export interface JobSource {
  all(): Iterable<TransferJob>;
  count(): number;
}

export interface JournalOptions {
  flushIntervalMs?: number;
  onError?: (message: string) => void;
}

export class QueueJournal {
  readonly snapshotPath: string;
  readonly journalPath: string;
  private generation = 0;
  /** Lines in the journal (after its header); undefined: the journal must be started afresh. */
  private lines: number | undefined;
  private fh: FileHandle | undefined;
  private readonly dirty = new Set<TransferJob>();
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly source: JobSource,
    private readonly opts: JournalOptions = {},
  ) {
    this.snapshotPath = join(dir, SNAPSHOT);
    this.journalPath = join(dir, JOURNAL);
  }

  async load(): Promise<LoadResult> {
    const problems: string[] = [];
    const jobs = new Map<string, TransferJob>();
    const snap = await this.readSnapshot(problems);
    for (const j of snap) jobs.set(j.id, j);
    const replayed = await this.replayJournal(jobs, problems);
    this.lines = replayed;
    return { jobs: [...jobs.values()], ...(problems.length ? { problem: problems.join('; ') } : {}) };
  }

  /** The job changed: it is written with the next batch (as it is then). */
  changed(job: TransferJob): void {
    if (this.closed) return;
    this.dirty.add(job);
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.opts.flushIntervalMs ?? FLUSH_INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes what changed now; resolves when it is on disk. Writes never overlap. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.chain = this.chain.then(() => this.drain()).catch((e: Error) => this.opts.onError?.(e.message));
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }

  private async drain(): Promise<void> {
    if (this.dirty.size === 0) return;
    if (this.lines === undefined || this.lines > Math.max(COMPACT_MIN_LINES, COMPACT_FACTOR * this.source.count())) return this.compact();
    const batch = [...this.dirty];
    this.dirty.clear();
    try {
      const fh = await this.journal();
      for (let i = 0; i < batch.length; i += LINES_PER_WRITE) {
        await fh.write(batch.slice(i, i + LINES_PER_WRITE).map((j) => `${JSON.stringify(j)}\n`).join(''));
      }
      await fh.datasync();
      this.lines += batch.length;
    } catch (e) {
      // The journal may now end in a torn line: start afresh from a snapshot next time.
      for (const j of batch) this.dirty.add(j);
      this.lines = undefined;
      throw e;
    }
  }

  /** A snapshot of every job (the dirty ones included, as they are now), then an empty journal. */
  private async compact(): Promise<void> {
    const all = [...this.source.all()];
    this.dirty.clear();
    const generation = this.generation + 1;
    const parts = [`{"schemaVersion":${SCHEMA_VERSION},"generation":${generation},"jobs":[`];
    all.forEach((j, i) => parts.push(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(j)}`));
    parts.push('\n]}\n');
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFileAtomic(this.snapshotPath, parts.join(''));
      this.generation = generation;
      await this.fh?.close().catch(() => undefined);
      this.fh = undefined;
      const fh = await open(this.journalPath, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | NOFOLLOW, 0o600);
      await fh.write(`${JSON.stringify({ generation })}\n`);
      await fh.datasync();
      await fh.close();
      this.lines = 0;
    } catch (e) {
      if (this.generation !== generation) for (const j of all) this.dirty.add(j);
      throw e;
    }
  }

  private async journal(): Promise<FileHandle> {
    this.fh ??= await open(this.journalPath, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW, 0o600);
    return this.fh;
  }

  private async readSnapshot(problems: string[]): Promise<TransferJob[]> {
    let text: string;
    try {
      text = await readFile(this.snapshotPath, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    try {
      const { jobs, generation } = parseState(text);
      this.generation = generation;
      return jobs;
    } catch (e) {
      problems.push(`${(e as Error).message}; moved to ${await this.moveAside(this.snapshotPath)}`);
      return [];
    }
  }

  /** Applies the journal's lines; returns their number, or undefined when it must be started afresh. */
  private async replayJournal(jobs: Map<string, TransferJob>, problems: string[]): Promise<number | undefined> {
    const lines = await readLines(this.journalPath);
    if (lines === undefined) return undefined;
    const header = parseHeader(lines[0]);
    // Another generation: written before the snapshot we have (which holds all of it).
    if (header === undefined || header !== this.generation) return undefined;
    for (let i = 1; i < lines.length; i++) {
      try {
        const job = checkJob(JSON.parse(lines[i] as string), i);
        jobs.set(job.id, job);
      } catch (e) {
        // A torn last line (the crash came mid-append): what came before stands, and the next
        // write starts a fresh journal rather than appending after the torn line.
        if (i === lines.length - 1) return undefined;
        problems.push(`journal line ${i + 1}: ${(e as Error).message}; later changes lost; moved to ${await this.moveAside(this.journalPath)}`);
        return undefined;
      }
    }
    return lines.length - 1;
  }

  private async moveAside(path: string): Promise<string> {
    // Never silently replace what we could not read: keep it beside for a person to look at.
    const aside = `${path}.corrupt-${Date.now()}`;
    await rename(path, aside).catch(() => undefined);
    return aside;
  }
}

async function readLines(path: string): Promise<string[] | undefined> {
  const fh = await open(path, constants.O_RDONLY | NOFOLLOW).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (!fh) return undefined;
  const out: string[] = [];
  const rl = createInterface({ input: createReadStream('', { fd: fh.fd, autoClose: false }), crlfDelay: Infinity });
  try {
    for await (const line of rl) if (line !== '') out.push(line);
  } finally {
    await fh.close();
  }
  return out;
}

function parseHeader(line: string | undefined): number | undefined {
  try {
    const h = JSON.parse(line ?? '') as unknown;
    return isObject(h) && typeof h['generation'] === 'number' ? h['generation'] : undefined;
  } catch {
    return undefined;
  }
}

export function parseState(text: string): { jobs: TransferJob[]; generation: number } {
  const data = JSON.parse(text) as unknown;
  if (!isObject(data)) throw new Error('state file is not a JSON object');
  const version = data['schemaVersion'];
  if (version !== 1 && version !== SCHEMA_VERSION) throw new Error(`unknown schemaVersion ${String(version)}`);
  const generation = version === 1 ? 0 : data['generation'];
  if (typeof generation !== 'number') throw new Error('generation is missing');
  const jobs = data['jobs'];
  if (!Array.isArray(jobs)) throw new Error('jobs is not an array');
  return { jobs: jobs.map((j, i) => checkJob(j, i)), generation };
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
  // Absent in jobs saved before jobs could work on another share: the drive's own share.
  if (j['share'] !== undefined && !isShareName(j['share'])) throw bad('share');
  if (j['partial'] !== undefined && typeof j['partial'] !== 'string') throw bad('partial');
  if (j['leftovers'] !== undefined && !(Array.isArray(j['leftovers']) && j['leftovers'].every((x) => typeof x === 'string'))) throw bad('leftovers');
  return j as unknown as TransferJob;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
