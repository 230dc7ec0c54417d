// Failures of the queue's own checks, and the translation of anything thrown into JobError data.
import { NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { UnsafeNameError } from './safe-name.js';
import type { JobError } from './types.js';

export type TransferErrorCode = 'size-mismatch' | 'hash-mismatch' | 'not-a-file' | 'source-changed' | 'unsafe-name' | 'bad-request' | 'exists';

export class TransferError extends Error {
  constructor(
    readonly code: TransferErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = 'TransferError';
  }
}

/**
 * The drive went away under the job (connection reset, deadline passed, connection closed):
 * worth pausing and continuing later rather than failing.
 */
export function isDriveDrop(e: unknown): boolean {
  return e instanceof SmbError && (e.code === 'transport' || e.code === 'timeout' || e.code === 'cancelled');
}

/**
 * A failure to get a tree that says the server is there but does not answer (it accepted TCP,
 * then a request timed out or made no sense). It counts toward the drop budget (drop-budget.ts)
 * as a drop under a running job does; a drive that cannot be reached at all (refused, no route,
 * no TCP answer: operation 'connect') does not.
 */
export function isSilentServer(e: unknown): boolean {
  return e instanceof SmbError && (e.code === 'timeout' || e.code === 'malformed') && e.operation !== 'connect';
}

export function isNotFound(e: unknown): boolean {
  return e instanceof SmbStatusError && (e.status === NtStatus.STATUS_OBJECT_NAME_NOT_FOUND || e.status === NtStatus.STATUS_OBJECT_PATH_NOT_FOUND);
}

export function isCollision(e: unknown): boolean {
  return e instanceof SmbStatusError && e.status === NtStatus.STATUS_OBJECT_NAME_COLLISION;
}

export function toJobError(e: unknown): JobError {
  if (e instanceof SmbStatusError) {
    return { code: e.code, message: e.message, status: e.statusName, ...(e.path ? { path: e.path } : {}) };
  }
  if (e instanceof SmbError) return { code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) };
  if (e instanceof TransferError) return { code: e.code, message: e.message, ...(e.path ? { path: e.path } : {}) };
  if (e instanceof UnsafeNameError) return { code: e.code, message: e.message };
  const errno = e as NodeJS.ErrnoException | undefined;
  if (errno && typeof errno.code === 'string') {
    return { code: 'local-io', message: errno.message, status: errno.code, ...(errno.path ? { path: errno.path } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}
