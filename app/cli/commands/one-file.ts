// What `get` and `put` share around main/'s downloadFile/uploadFile: the progress line, and
// Ctrl-C. A signal during the copy aborts it; the engine removes its partial (locally, or on the
// share) and the command ends with 130 (143 for SIGTERM). Should that clean-up hang (a server that
// stopped answering), a second signal or a few seconds later we remove a local partial ourselves
// and exit.
import { rmSync } from 'node:fs';
import type { CopyFileOptions, CopyFileResult } from '../../../main/transfers/index.js';
import type { RunContext } from '../connection.js';
import { ExitCode } from '../exit-codes.js';
import { asLocalError } from '../local-files.js';
import { ProgressLine } from '../progress.js';
import { ExitStatusError, InterruptedError } from '../usage-error.js';

const GRACE_MS = 5000;

export interface OneFileCopy {
  /** Shown on the progress line. */
  label: string;
  /** A local path the errors of Node's fs are told about. */
  localPath: string;
  /** Which side the partial is on: a local one can be removed synchronously at a forced exit. */
  localPartial: boolean;
  run(opts: CopyFileOptions): Promise<CopyFileResult>;
}

export type CopyOne = (c: OneFileCopy) => Promise<CopyFileResult>;

/**
 * Runs a command's `work` (connect, check, copy) with the signals handled: before or after the
 * copy a signal ends the process at once, as for any command; during it, it aborts the copy.
 */
export async function withOneFileCopy<T>(ctx: RunContext, work: (copy: CopyOne) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let copying = false;
  let partial: string | undefined;
  let caught: NodeJS.Signals | undefined;
  let grace: NodeJS.Timeout | undefined;
  const forceExit = (signal: NodeJS.Signals): never => {
    if (partial !== undefined) rmSync(partial, { force: true });
    process.stderr.write(`\nsharekeeper: interrupted (${signal})\n`);
    process.exit(exitCodeFor(signal));
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (caught !== undefined || !copying) forceExit(signal);
    caught = signal;
    abort.abort();
    grace = setTimeout(() => forceExit(signal), GRACE_MS);
    grace.unref();
  };
  const copy: CopyOne = async (c) => {
    const line = new ProgressLine({ label: c.label, total: undefined, sink: ctx.io.stderr, enabled: ctx.options.progress });
    copying = true;
    try {
      const result = await c.run({
        signal: abort.signal,
        onProgress: (done, total) => line.update(done, total),
        onPartial: (p) => {
          if (c.localPartial) partial = p;
        },
      });
      line.end();
      return result;
    } catch (e) {
      line.fail();
      throw asLocalError(e, c.localPath);
    } finally {
      copying = false;
      partial = undefined;
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(copy);
  } catch (e) {
    if (caught !== undefined) throw interrupted(caught);
    throw e;
  } finally {
    clearTimeout(grace);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function exitCodeFor(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? ExitCode.INTERRUPTED : 143;
}

function interrupted(signal: NodeJS.Signals): Error {
  const message = `interrupted (${signal}); nothing was written under the final name`;
  return signal === 'SIGINT' ? new InterruptedError(message) : new ExitStatusError(143, message);
}
