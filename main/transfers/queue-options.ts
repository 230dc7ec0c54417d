// How a transfer queue is set up (transfer-queue.ts).
import type { FileCopier } from './job-runner.js';
import type { NamePlatform } from './safe-name.js';
import type { TreeProvider } from './types.js';

/**
 * Files copying at once. Small files are where round trips dominate (one compounded
 * CREATE+READ+CLOSE, then the local create, write, fsync and rename): several in flight hide them.
 * Measured on 1,000 × 4 KiB from a local Samba: 4 at once took about twice as long as 8. More only
 * adds memory (a small file is held whole: at most 8 × SMALL_FILE_BYTES) and contention.
 */
export const MAX_CONCURRENT_FILES = 8;

export interface TransferQueueOptions {
  provider: TreeProvider;
  /** Folder of the state files (the app's config dir). */
  configDir: string;
  /** Jobs copying at once. Default MAX_CONCURRENT_FILES. */
  maxConcurrent?: number;
  /** At most one progress event per job (and per folder) per this many ms. Default 100 (10/s). */
  progressIntervalMs?: number;
  /** A job paused by a dropped drive is tried again after this long if nobody says the drive is back. */
  offlineRetryMs?: number;
  /** Which platform's rules turn remote names into local ones. Default: this machine's. */
  namePlatform?: NamePlatform;
  /** What copies one file. Default: the real downloader and uploader (tests measure the queue alone). */
  copier?: FileCopier;
  /** How long changes are batched before they are written. Default state-store.ts FLUSH_INTERVAL_MS. */
  flushIntervalMs?: number;
  /** How long removing an upload's partial from the share may take (upload-file.ts PARTIAL_REMOVE_DEADLINE_MS). */
  partialRemoveDeadlineMs?: number;
}
