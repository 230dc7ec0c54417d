// The one place where errors become exit codes and words for people. Expected failures get one
// line naming what went wrong (with the NTSTATUS name where there is one); unexpected ones get one
// line plus a hint, and their stack only at -d 5 and above. Messages carry names and paths the
// server chose, so every line is shown with control and bidi characters escaped.
import { escapeForTerminal } from '../../main/text/index.js';
// Straight from their files: the transfers barrel would load the whole copy engine for every command.
import { TransferError } from '../../main/transfers/transfer-errors.js';
import { UnsafeNameError } from '../../main/transfers/safe-name.js';
import { SmbError, SmbStatusError } from '../../protocol/index.js';
import { CommandError, ExitStatusError, InterruptedError, LocalFileError, UsageError } from './usage-error.js';

export const ExitCode = {
  OK: 0,
  /** The server (or the local file system) refused the operation. */
  REFUSED: 1,
  USAGE: 2,
  /** Cannot reach the server or make sense of it: transport, timeout, malformed, unsupported. */
  UNREACHABLE: 3,
  AUTH: 4,
  /** A security requirement (signing, encryption) cannot be met. */
  SECURITY: 5,
  INTERRUPTED: 130,
} as const;

export interface ErrorReport {
  exitCode: number;
  lines: string[];
}

export interface ErrorContext {
  /** `HOST:PORT` for "cannot reach" messages. */
  server?: string;
  debug: number;
}

export function describeError(e: unknown, ctx: ErrorContext): ErrorReport {
  const report = describeRaw(e, ctx);
  return { exitCode: report.exitCode, lines: report.lines.map(escapeForTerminal) };
}

function describeRaw(e: unknown, ctx: ErrorContext): ErrorReport {
  if (e instanceof UsageError) {
    return { exitCode: ExitCode.USAGE, lines: [`sharekeeper: ${e.message}`, "Try 'sharekeeper --help'."] };
  }
  if (e instanceof ExitStatusError) return { exitCode: e.exitCode, lines: [`sharekeeper: ${e.message}`] };
  if (e instanceof InterruptedError) return { exitCode: ExitCode.INTERRUPTED, lines: [`sharekeeper: ${e.message}`] };
  // The copy engine's own checks (size, a link where a file should be, a name it will not use).
  if (e instanceof LocalFileError || e instanceof CommandError || e instanceof TransferError || e instanceof UnsafeNameError) return { exitCode: ExitCode.REFUSED, lines: [`sharekeeper: ${e.message}`] };
  if (e instanceof SmbError) return describeSmbError(e, ctx);
  const err = e instanceof Error ? e : new Error(String(e));
  const lines = [`sharekeeper: unexpected error: ${err.message}`];
  if (ctx.debug >= 5 && err.stack) lines.push(...stackLines(err));
  else lines.push('run with -d 5 for details');
  return { exitCode: ExitCode.REFUSED, lines };
}

/**
 * The stack as lines to escape one by one. Its first line repeats the message, which may hold a
 * `\n` of the server's: that header is kept one line (escaped whole), so it cannot forge another.
 */
function stackLines(err: Error): string[] {
  const stack = err.stack ?? '';
  const header = `${err.name}: ${err.message}`;
  if (!stack.startsWith(header)) return stack.split('\n');
  return [header, ...stack.slice(header.length).split('\n').slice(1)];
}

function describeSmbError(e: SmbError, ctx: ErrorContext): ErrorReport {
  const exitCode = exitCodeFor(e);
  let text = e.message;
  if (e instanceof SmbStatusError && !text.includes(e.statusName)) text = `${e.statusName}: ${text}`;
  if (exitCode === ExitCode.UNREACHABLE && ctx.server !== undefined && !text.includes(ctx.server)) {
    const verb = e.code === 'transport' || e.code === 'timeout' ? 'cannot reach' : 'cannot use';
    text = `${verb} ${ctx.server}: ${text}`;
  }
  const lines = [`sharekeeper: ${text}`];
  if (ctx.debug >= 5 && e.stack) lines.push(...stackLines(e));
  return { exitCode, lines };
}

export function exitCodeFor(e: SmbError): number {
  return exitCodeForErrorCode(e.code) ?? ExitCode.REFUSED;
}

/**
 * The exit code for an error family code (SmbError's, as a failed transfer job carries it): one
 * place, so `get` and `copy` end the same way for the same fault. Undefined for codes that are not
 * the SmbError family's (the queue's own checks, local I/O): those are refusals (1).
 */
export function exitCodeForErrorCode(code: string | undefined): number | undefined {
  switch (code) {
    case 'status':
      return ExitCode.REFUSED;
    case 'auth':
      return ExitCode.AUTH;
    case 'security':
      return ExitCode.SECURITY;
    case 'cancelled':
      return ExitCode.INTERRUPTED;
    case 'transport':
    case 'timeout':
    case 'malformed':
    case 'unsupported':
      return ExitCode.UNREACHABLE;
    default:
      return undefined;
  }
}
