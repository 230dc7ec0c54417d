// An upload's partial written through a durable open (MS-SMB2 3.2.4.3.5), so that when the
// connection drops mid-file the resumed run takes back the very same open on the next connection
// (SMB2 CREATE with the reconnect context, MS-SMB2 3.2.4.4) instead of opening the partial again:
// no sharing violation against our own open that the server still holds, and writing continues at
// the confirmed offset, the end of the bytes whose WRITEs the server acknowledged, all of them,
// with no gap (not the partial's size less a margin). When the reclaim is refused (the server's
// timeout passed, it restarted, another ClientGuid) the partial is opened again and continued
// from the confirmed offset if it holds that much.
//
// A download reads its source through a durable open the same way (durableReader): the resumed
// run takes back its read open and goes on at the local partial's length.
//
// Kept in memory only: a durable open belongs to this process's ClientGuid; after a restart the
// recorded partial is continued as before (upload-file.ts resumeOffset).
import type { Readable, Writable } from 'node:stream';
import { NtStatus, SmbError, SmbReadStream, SmbStatusError, SmbWriteStream, type DurableHandle, type FileHandle, type OpenOptions } from '../../protocol/index.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDriveDrop, isNotFound } from './transfer-errors.js';
import type { TransferTree } from './types.js';

export interface KeptOpen {
  durable: DurableHandle;
  /** The partial's share path. */
  path: string;
  /** Every byte before this was acknowledged by the server. */
  confirmed: number;
  /** A reclaim was tried and the server did not answer it: the next run does not ask again. */
  noReclaim?: boolean;
}

/**
 * Waits before each new try of a refused reclaim. A server refuses one (OBJECT_NAME_NOT_FOUND,
 * MS-SMB2 3.3.5.9.7, 3.3.5.9.12) while the open is still attached to the old connection, which it
 * keeps until it notices that connection died or has ended the previous session named in the new
 * logon (3.3.5.5.3). Samba 4.17 can still hold it for a moment after that logon was answered.
 */
export const RECLAIM_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1000, 2000];

/**
 * Takes back `durable` on `tree`: the handle, or undefined when the server keeps refusing it (each
 * OBJECT_NAME_NOT_FOUND tried again after RECLAIM_RETRY_DELAYS_MS; any other refusal at once).
 * A drive drop (the connection broke again, or no answer) is thrown.
 */
export async function reclaimPatiently(tree: TransferTree, durable: DurableHandle, signal?: AbortSignal, delays = RECLAIM_RETRY_DELAYS_MS): Promise<FileHandle | undefined> {
  if (!tree.reclaim) return undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await tree.reclaim(durable);
    } catch (e) {
      if (isDriveDrop(e)) throw e;
      const delay = delays[attempt];
      if (!isNotFound(e) || delay === undefined) return undefined;
      await sleep(delay, undefined, signal ? { signal } : undefined);
    }
  }
}

/** Where a running job keeps its durable open across a drop (RunContext.durable). */
export interface DurableSlot {
  get(): KeptOpen | undefined;
  set(kept: KeptOpen): void;
  forget(): void;
}

/** Trees (connections) that granted no durable open when asked: not asked again. */
const refusing = new WeakSet<TransferTree>();

/** The queue's kept opens, one per job. */
export class DurableOpens {
  private readonly kept = new Map<string, KeptOpen>();

  slot(jobId: string): DurableSlot {
    return {
      get: () => this.kept.get(jobId),
      set: (k) => void this.kept.set(jobId, k),
      forget: () => void this.kept.delete(jobId),
    };
  }

  forget(jobId: string): void {
    this.kept.delete(jobId);
  }
}

/**
 * A view of `h` whose acknowledged WRITEs move `kept.confirmed` on. WRITEs travel several at a
 * time and may be answered out of order (or short, MS-SMB2 3.3.5.13, then resent): ranges beyond
 * the confirmed end wait until the gap before them is filled.
 */
export function confirmingHandle(h: FileHandle, kept: { confirmed: number }): FileHandle {
  const ahead = new Map<number, number>();
  const acknowledged = (offset: number, count: number): void => {
    if (count <= 0) return;
    if (offset > kept.confirmed) {
      ahead.set(offset, Math.max(ahead.get(offset) ?? 0, offset + count));
      return;
    }
    kept.confirmed = Math.max(kept.confirmed, offset + count);
    // Bounded by the WRITEs in flight (the stream's window and its resends).
    for (let next = ahead.get(kept.confirmed); next !== undefined; next = ahead.get(kept.confirmed)) {
      ahead.delete(kept.confirmed);
      kept.confirmed = Math.max(kept.confirmed, next);
    }
  };
  return {
    get path() {
      return h.path;
    },
    get openStat() {
      return h.openStat;
    },
    get durable() {
      return h.durable;
    },
    get maxRead() {
      return h.maxRead;
    },
    get maxWrite() {
      return h.maxWrite;
    },
    get readChunk() {
      return h.readChunk;
    },
    get writeChunk() {
      return h.writeChunk;
    },
    readAt: (offset, length) => h.readAt(offset, length),
    writeAt: async (offset, data) => {
      const n = await h.writeAt(offset, data);
      acknowledged(offset, n);
      return n;
    },
    stat: () => h.stat(),
    setInfo: (info) => h.setInfo(info),
    flush: () => h.flush(),
    close: () => h.close(),
  };
}

/**
 * The write stream for an upload's partial from `from` on: through `handle` (a reclaimed durable
 * open) or a new durable open, with its open kept in `slot`; without a slot or a tree that opens
 * handles, the tree's own write stream.
 */
export async function partialWriter(tree: TransferTree, partial: string, from: number, slot: DurableSlot | undefined, handle?: FileHandle): Promise<Writable> {
  if (!slot || !tree.open || refusing.has(tree)) return from > 0 ? tree.createWriteStream(partial, { start: from }) : tree.createWriteStream(partial, { overwrite: false });
  // FILE_OPEN_IF keeps what is there (resume); FILE_CREATE makes sure it is new (MS-SMB2 2.2.13).
  const h = handle ?? (await tree.open(partial, { access: 'write', disposition: from > 0 ? 'open-if' : 'create', share: 'none', durable: true }));
  if (h.durable === undefined) {
    // No durable opens here (SMB1, or a server that grants none): the tree's own stream, tuned for its dialect, from now on.
    slot.forget();
    refusing.add(tree);
    await h.close();
    return tree.createWriteStream(partial, { start: from });
  }
  const kept = { durable: h.durable, path: partial, confirmed: from };
  slot.set(kept);
  const file = confirmingHandle(h, kept);
  // The handle's WRITE size, as the tree's own stream would choose it (1 MiB on a sealed session).
  return new SmbWriteStream(async () => file, h.maxWrite, { start: from, chunkSize: h.writeChunk });
}

/**
 * How long opening a download's source may wait on the server. When it still holds our read open
 * for a connection it has not seen die, the new open waits on an oplock break nobody acknowledges:
 * Samba 4.17 answers STATUS_PENDING and grants it once its break timeout has run out (measured: 35 s).
 */
export const SOURCE_OPEN_WAIT_MS = 45_000;

/**
 * Opens `path` waiting at most `waitMs` on a server that answered STATUS_PENDING (OpenOptions.signal:
 * the CREATE is then cancelled): the handle, or 'held' when the wait ran out (someone's open, ours
 * on a dead connection, keeps it). A stopped job (`signal`) throws as stopped.
 */
export async function openWithin(tree: TransferTree, path: string, opts: OpenOptions, waitMs: number, signal: AbortSignal | undefined): Promise<FileHandle | 'held'> {
  const late = AbortSignal.timeout(waitMs);
  try {
    return await tree.open!(path, { ...opts, signal: signal ? AbortSignal.any([signal, late]) : late });
  } catch (e) {
    signal?.throwIfAborted();
    if (e instanceof SmbStatusError && e.status === NtStatus.STATUS_CANCELLED) return 'held';
    throw e;
  }
}

/** The source opened for reading, waiting out a pending answer up to SOURCE_OPEN_WAIT_MS (then a timeout: the queue retries). */
export async function openHeldSource(tree: TransferTree, path: string, signal: AbortSignal | undefined, waitMs = SOURCE_OPEN_WAIT_MS): Promise<FileHandle> {
  const h = await openWithin(tree, path, { access: 'read', share: 'read', durable: true }, waitMs, signal);
  if (h !== 'held') return h;
  throw new SmbError('timeout', `opening ${path} waited ${waitMs} ms on the server (STATUS_PENDING)`, { operation: 'open', path });
}

/**
 * The read stream of a download's source from `from` on, through a durable open kept in `slot`:
 * the one the last run read through, taken back after a drop, or a new one; without a slot or a
 * tree that opens handles, the tree's own read stream. `reclaimed` is told when it was taken back.
 */
export async function durableReader(tree: TransferTree, path: string, from: number, slot: DurableSlot | undefined, reclaimed: () => void, signal?: AbortSignal): Promise<Readable> {
  if (!slot || !tree.open || refusing.has(tree)) return tree.createReadStream(path, { start: from });
  const kept = slot.get();
  slot.forget();
  let h: FileHandle | undefined;
  if (kept && kept.path === path && kept.noReclaim !== true && tree.reclaim) {
    try {
      h = await reclaimPatiently(tree, kept.durable, signal);
      if (h) reclaimed();
    } catch (e) {
      // The connection broke again: try once more next time; anything else (timed out): open anew.
      if ((e as { code?: string }).code === 'transport') {
        slot.set(kept);
        throw e;
      }
    }
  }
  // A reader shares only reading: a file being written does not stream out half-written.
  h ??= await openHeldSource(tree, path, signal);
  if (h.durable === undefined) {
    refusing.add(tree);
    await h.close();
    return tree.createReadStream(path, { start: from });
  }
  slot.set({ durable: h.durable, path, confirmed: from });
  const file = h;
  // The handle's READ size, as the tree's own stream would choose it (1 MiB on a sealed session).
  return new SmbReadStream(async () => file, h.maxRead, { start: from, chunkSize: h.readChunk });
}
