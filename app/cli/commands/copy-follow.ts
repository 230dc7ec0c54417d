// Following one copy job of the transfer queue to its end for the CLI: a progress bar on a
// terminal, conflicts answered by policy or by asking on the terminal, Ctrl-C cancelling the job
// (partial files are removed by the queue), and the outcome as an exit code. A folder reports each
// entry that failed (and each saved under another name) and exits 1 if any failed, as `cp -r` does.
import { basename } from 'node:path';
import { escapeForTerminal, TERMINAL_STATES, type ConflictDecision, type JobError, type LocalTransferQueue, type TransferJob } from '../../../main/index.js';
import type { RunContext } from '../connection.js';
import { ExitCode, exitCodeForErrorCode } from '../exit-codes.js';
import { humanBytes } from '../format.js';
import { readPasswordLine } from '../password-input.js';
import { renderProgress } from '../progress.js';
import { CommandError, ExitStatusError, InterruptedError } from '../usage-error.js';

const ANSWERS: Record<string, ConflictDecision> = { s: 'skip', o: 'overwrite', k: 'keep-both' };

export function followJob(ctx: RunContext, queue: LocalTransferQueue, root: TransferJob): Promise<void> {
  const interactive = ctx.io.stdin.isTTY === true;
  const bar = ctx.options.progress && ctx.io.stderr.isTTY === true ? progressBar(ctx, root) : undefined;
  let stopWith: Error | undefined;
  let forAll: ConflictDecision | undefined;
  let asking: Promise<unknown> = Promise.resolve();
  let notedOffline = false;

  return new Promise<void>((resolve, reject) => {
    const offs: (() => void)[] = [];
    const stop = (e: Error): void => {
      stopWith ??= e;
      void queue.cancel(root.id).catch(() => undefined);
    };
    const onSignal = (signal: NodeJS.Signals): void => stop(new InterruptedError(`interrupted (${signal}); the copy was cancelled`));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    offs.push(() => process.off('SIGINT', onSignal), () => process.off('SIGTERM', onSignal));
    // The queue's and the supervisor's timers do not hold the process open (an app must be able
    // to quit while a drive is away). While a drive is away nothing else does, and Node would end
    // with exit 13 (an unsettled top-level await) instead of waiting as we say: hold it open here.
    const keepAlive = setInterval(() => undefined, 60_000);
    offs.push(() => clearInterval(keepAlive));

    const finish = (job: TransferJob): void => {
      for (const off of offs) off();
      bar?.end();
      if (stopWith !== undefined) return reject(stopWith);
      reportNotices(ctx, queue, job);
      if (job.state === 'done' || job.state === 'skipped') {
        if (job.state === 'skipped') ctx.io.stderr.write(`sharekeeper: skipped ${job.targetPath ?? job.localPath}: it exists\n`);
        return resolve();
      }
      reject(failure(ctx, queue, job));
    };

    const decide = (job: TransferJob): void => {
      const path = job.conflictInfo?.path ?? job.remotePath;
      if (forAll !== undefined) return queue.decide(job.id, forAll);
      if (!interactive) {
        return stop(new CommandError(`${path} already exists; run again with --on-conflict skip, overwrite or keep-both (no terminal to ask)`));
      }
      asking = asking.then(async () => {
        bar?.clear();
        const d = await askConflict(ctx, job);
        if (d === undefined) return stop(new InterruptedError('no answer; the copy was cancelled'));
        if (d.all) forAll = d.decision;
        queue.decide(job.id, d.decision);
      });
    };

    offs.push(
      queue.on('state', ({ job, to }) => {
        // Later, not inside the queue's own state change: the job is still winding down there.
        if (to === 'waiting-for-decision') setImmediate(() => decide(job));
        if (to === 'paused' && job.pauseReason === 'drive-offline' && !notedOffline) {
          notedOffline = true;
          ctx.io.stderr.write('sharekeeper: the drive dropped; waiting for it to come back (Ctrl-C to stop)\n');
        }
        if (job.id === root.id && TERMINAL_STATES.includes(to)) finish(job);
      }),
      queue.on('progress', (p) => {
        if (p.id === root.id) bar?.update(p.bytesDone, p.bytesTotal);
      }),
    );
    // It may have ended (or be waiting) before we listened.
    const now = queue.get(root.id);
    if (now && TERMINAL_STATES.includes(now.state)) finish(now);
    else if (now?.state === 'waiting-for-decision') decide(now);
  });
}

/** A folder's entries are listed up to this many; the rest are counted. */
const MAX_LISTED = 100;

/**
 * Words for a failed job. A folder first lists each entry that failed, one line each (as `cp -r`
 * does), then says how many; a line is printed escaped, so a server's name cannot forge another.
 */
function failure(ctx: RunContext, queue: LocalTransferQueue, job: TransferJob): Error {
  const failed = job.kind === 'folder' ? queue.children(job.id).filter((j) => j.state === 'failed' || j.state === 'cancelled') : [];
  for (const f of failed.slice(0, MAX_LISTED)) say(ctx, `${entryPath(f)}: ${f.error ? errorText(f.error) : f.state}`);
  if (failed.length > MAX_LISTED) say(ctx, `… and ${failed.length - MAX_LISTED} more`);
  const summary = job.error ? errorText(job.error) : `the copy ended ${job.state}`;
  // As `get` ends for the same fault (exitCodeForErrorCode): a copy whose failures all come to one
  // exit code ends with it (a connection-level fault 3, auth 4, security 5); anything else, a
  // server's refusal among them, is 1, as `cp -r` does.
  const exits = new Set((failed.length > 0 ? failed.map((f) => f.error?.code) : [job.error?.code]).map((c) => exitCodeForErrorCode(c) ?? ExitCode.REFUSED));
  const only = exits.size === 1 ? [...exits][0] : undefined;
  if (only !== undefined && only !== ExitCode.REFUSED && only !== ExitCode.INTERRUPTED) return new ExitStatusError(only, summary);
  return new CommandError(summary);
}

/** Entries saved under another name than their own (names that clash once made local). */
function reportNotices(ctx: RunContext, queue: LocalTransferQueue, job: TransferJob): void {
  const noted = job.kind === 'folder' ? queue.children(job.id).filter((j) => j.notice !== undefined && j.state !== 'failed') : [];
  for (const n of noted.slice(0, MAX_LISTED)) say(ctx, `${entryPath(n)}: ${n.notice as string}`);
  if (noted.length > MAX_LISTED) say(ctx, `… and ${noted.length - MAX_LISTED} more saved under another name`);
}

function say(ctx: RunContext, line: string): void {
  ctx.io.stderr.write(`sharekeeper: ${escapeForTerminal(line)}\n`);
}

/** The side of an entry that came from the source (what the person recognizes). */
function entryPath(j: TransferJob): string {
  return j.direction === 'download' ? j.remotePath : j.localPath;
}

/** The status name once: a status error's message usually starts with it already. */
function errorText(e: JobError): string {
  return e.status && !e.message.includes(e.status) ? `${e.status}: ${e.message}` : e.message;
}

async function askConflict(ctx: RunContext, job: TransferJob): Promise<{ decision: ConflictDecision; all: boolean } | undefined> {
  const info = job.conflictInfo;
  const what = info ? `${info.path} exists (${humanBytes(info.existing.size)}, modified ${info.existing.modified}); the new one is ${humanBytes(info.incoming.size)}` : `${job.remotePath} exists`;
  for (let tries = 0; tries < 5; tries++) {
    ctx.io.stderr.write(`${what}.\n[s]kip, [o]verwrite, [k]eep both (capital letter: the same for all the rest)? `);
    const answer = (await readPasswordLine(ctx.io.stdin)).trim();
    const decision = ANSWERS[answer.toLowerCase()];
    if (decision !== undefined) return { decision, all: answer !== answer.toLowerCase() };
    if (answer === '') return undefined;
  }
  return undefined;
}

interface Bar {
  update(done: number, total: number): void;
  clear(): void;
  end(): void;
}

function progressBar(ctx: RunContext, root: TransferJob): Bar {
  const started = Date.now();
  const label = basename(root.direction === 'download' ? root.remotePath : root.localPath) || 'copy';
  let last = 0;
  let drawn = false;
  let state = { done: 0, total: 0 };
  const draw = (): void => {
    const columns = ctx.io.stderr.columns || 80;
    ctx.io.stderr.write(`\r${renderProgress({ label, done: state.done, total: state.total || undefined, elapsedMs: Date.now() - started, columns })}\x1b[K`);
    drawn = true;
  };
  return {
    update(done, total) {
      state = { done, total };
      if (Date.now() - last < 100) return;
      last = Date.now();
      draw();
    },
    clear() {
      if (drawn) ctx.io.stderr.write('\r\x1b[K');
    },
    end() {
      if (!drawn) return;
      draw();
      ctx.io.stderr.write('\n');
    },
  };
}
