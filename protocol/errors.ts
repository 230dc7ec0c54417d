// One error family for everything the SMB client can raise. `code` is stable and is what
// callers switch on; the edges (CLI, UI) turn it into exit codes or words for people.
import { ntStatusName } from './smb2/nt-status.js';

export type SmbErrorCode =
  | 'status' // the server answered with a failing NTSTATUS
  | 'auth' // the server rejected our credentials
  | 'malformed' // a message did not parse; the connection is closed
  | 'transport' // DNS, refused, reset, closed
  | 'timeout' // a deadline passed
  | 'unsupported' // the server cannot do what was asked (no common dialect, ...)
  | 'security' // a security requirement cannot be met, or a signature check failed
  | 'cancelled'; // the caller gave up

export interface SmbErrorDetails {
  command?: string;
  operation?: string;
  path?: string;
  cause?: unknown;
}

export class SmbError extends Error {
  readonly code: SmbErrorCode;
  readonly command: string | undefined;
  readonly operation: string | undefined;
  readonly path: string | undefined;

  constructor(code: SmbErrorCode, message: string, details: SmbErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SmbError';
    this.code = code;
    this.command = details.command;
    this.operation = details.operation;
    this.path = details.path;
  }
}

/** The server answered with a failing NTSTATUS (MS-ERREF 2.3). */
export class SmbStatusError extends SmbError {
  readonly status: number;
  readonly statusName: string;

  constructor(status: number, details: SmbErrorDetails & { code?: 'status' | 'auth' | 'security' } = {}) {
    const statusName = ntStatusName(status);
    const where = [details.operation ?? details.command, details.path].filter(Boolean).join(' ');
    super(details.code ?? 'status', where ? `${statusName} (${where})` : statusName, details);
    this.name = 'SmbStatusError';
    this.status = status;
    this.statusName = statusName;
  }
}

/** A message that does not parse. Names the structure and field so a capture can be matched up. */
export class MalformedMessageError extends SmbError {
  readonly structure: string;
  readonly field: string;

  constructor(structure: string, field: string, detail: string) {
    super('malformed', `malformed ${structure}: ${field}: ${detail}`, { command: structure });
    this.name = 'MalformedMessageError';
    this.structure = structure;
    this.field = field;
  }
}

export function isSmbError(e: unknown): e is SmbError {
  return e instanceof SmbError;
}

/** Wraps anything thrown by lower layers so callers only ever see the SmbError family. */
export function asSmbError(e: unknown, fallback: SmbErrorCode, details: SmbErrorDetails = {}): SmbError {
  if (e instanceof SmbError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new SmbError(fallback, message, { ...details, cause: e });
}
