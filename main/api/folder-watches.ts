// Folder watches for the browser: `folder.watch` arms SmbTree.watchDirectory (SMB2 CHANGE_NOTIFY,
// SMB1 NT_TRANSACT_NOTIFY_CHANGE) on the folder a client has open and forwards each answer to that
// client as `folder.changes`;
// `folder.unwatch`, the client going away, or the service ending stop it (the request is cancelled
// and the folder's handle closed by the protocol layer).
//
// Bounded everywhere: a few watches per client (the oldest ends when a new one passes the limit),
// at most MAX_CHANGES names per event (more become "list again"), at most one re-arm per
// MIN_ANSWER_INTERVAL_MS however fast the server answers, and a watch whose connection
// drops is re-armed with capped backoff at most MAX_REARMS times in a row, each re-arm telling the
// client to list again (changes may have passed meanwhile). A folder that went away, a refusal or
// a server that cannot watch (SMB1 without NT SMBs; one whose request slots other watches hold)
// ends the watch with its error.
import { randomUUID } from 'node:crypto';
import { SmbError, SmbStatusError, type DirectoryChanges, type SmbTree } from '../../protocol/index.js';
import type { CallContext, Handlers } from './dispatcher.js';
import { ApiFailure, toApiError } from './errors.js';
import type { FolderChangesView, Location } from './views.js';

export const MAX_WATCHES_PER_CLIENT = 4;
export const MAX_CHANGES = 1000;
const MAX_REARMS = 20;
/**
 * A watch is re-armed no sooner than this after an answer: the server keeps collecting changes on
 * the open meanwhile (MS-FSA 2.1.5.11), so a burst becomes one answer, and a server that answers
 * at once for ever costs at most a few round trips and events a second.
 */
export const MIN_ANSWER_INTERVAL_MS = 200;

export interface FolderWatchOptions {
  /** The tree a location's share lives on (the drive's own, or another share of its server). */
  treeFor(driveId: string, share: string, signal: AbortSignal): Promise<SmbTree>;
  /** Rejects a location that names no drive (so `folder.watch` fails at once with not-found). */
  checkDrive?: (driveId: string) => Promise<unknown>;
  /** Re-arm backoff after the n-th failure in a row (default 1 s doubling to 30 s). */
  backoffMs?: (n: number) => number;
  /** Least time between two answers' re-arms (default MIN_ANSWER_INTERVAL_MS). */
  minIntervalMs?: number;
}

interface Watch {
  clientId: string;
  controller: AbortController;
  done: Promise<void>;
}

export class FolderWatches {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly opts: FolderWatchOptions) {}

  handlers(): Pick<Handlers, 'folder.watch' | 'folder.unwatch'> {
    return {
      'folder.watch': async (loc, ctx) => {
        await this.opts.checkDrive?.(loc.driveId);
        return { watchId: this.start(loc, ctx) };
      },
      'folder.unwatch': async ({ watchId }, ctx) => {
        const w = this.watches.get(watchId);
        if (w !== undefined && w.clientId === ctx.clientId) await this.stop(watchId, w);
        return null;
      },
    };
  }

  /** How many watches run for a client (all clients when undefined). */
  count(clientId?: string): number {
    return [...this.watches.values()].filter((w) => clientId === undefined || w.clientId === clientId).length;
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.watches].map(([id, w]) => this.stop(id, w)));
  }

  private start(loc: Location, ctx: CallContext): string {
    if (ctx.clientSignal.aborted) throw new ApiFailure('cancelled', 'Cancelled');
    const mine = [...this.watches].filter(([, w]) => w.clientId === ctx.clientId);
    // Map order is insertion order: the first is the oldest.
    for (const [id, w] of mine.slice(0, Math.max(0, mine.length - MAX_WATCHES_PER_CLIENT + 1))) {
      this.send(ctx, { watchId: id, ...loc, overflow: false, changes: [], ended: { code: 'cancelled', message: 'Too many folders watched at once' } });
      void this.stop(id, w);
    }
    const watchId = randomUUID();
    const controller = new AbortController();
    const onClientGone = (): void => controller.abort();
    ctx.clientSignal.addEventListener('abort', onClientGone, { once: true });
    const done = this.run(watchId, loc, ctx, controller.signal).finally(() => {
      ctx.clientSignal.removeEventListener('abort', onClientGone);
      if (this.watches.get(watchId)?.controller === controller) this.watches.delete(watchId);
    });
    this.watches.set(watchId, { clientId: ctx.clientId, controller, done });
    return watchId;
  }

  private async stop(id: string, w: Watch): Promise<void> {
    this.watches.delete(id);
    w.controller.abort();
    await w.done;
  }

  private async run(watchId: string, loc: Location, ctx: CallContext, signal: AbortSignal): Promise<void> {
    let failures = 0;
    const base = { watchId, driveId: loc.driveId, share: loc.share, path: loc.path };
    while (!signal.aborted) {
      try {
        const tree = await this.opts.treeFor(loc.driveId, loc.share, signal);
        if (tree.watchDirectory === undefined) {
          throw new ApiFailure('unsupported', 'This server connection cannot report changes; press F5 to refresh', { detail: 'folder watching needs SMB 2 or later, or an SMB1 server with NT SMBs' });
        }
        const watch = tree.watchDirectory(loc.path, { signal });
        if (failures > 0) this.send(ctx, { ...base, overflow: true, changes: [] }); // changes may have passed while it was down
        for await (const batch of watch) {
          failures = 0;
          this.send(ctx, { ...base, ...view(batch) });
          await pause(this.opts.minIntervalMs ?? MIN_ANSWER_INTERVAL_MS, signal);
        }
        if (signal.aborted) return;
        // Ended without our asking (the handle was closed under it): arm again, after a pause.
        throw new SmbError('transport', 'the watch ended (handle closed)', { operation: 'watch', path: loc.path });
      } catch (e) {
        if (signal.aborted) return;
        failures++;
        if (!rearmable(e) || failures > MAX_REARMS) {
          this.send(ctx, { ...base, overflow: true, changes: [], ended: toApiError(e) });
          return;
        }
        await pause((this.opts.backoffMs ?? defaultBackoff)(failures), signal);
      }
    }
  }

  private send(ctx: CallContext, payload: FolderChangesView): void {
    if (!ctx.clientSignal.aborted) ctx.emit('folder.changes', payload);
  }
}

/** Names with '/' as the contract writes paths; past MAX_CHANGES only "list again". */
function view(batch: DirectoryChanges): Pick<FolderChangesView, 'overflow' | 'changes'> {
  if (batch.overflow || batch.changes.length > MAX_CHANGES) return { overflow: true, changes: [] };
  return { overflow: false, changes: batch.changes.map((c) => ({ action: c.action, name: c.name.split('\\').join('/') })) };
}

/** A dropped connection or a drive that is reconnecting comes back; a refusal or a bad answer does not. */
function rearmable(e: unknown): boolean {
  if (e instanceof ApiFailure) return e.code === 'unreachable' || e.code === 'timeout';
  if (e instanceof SmbStatusError) return false;
  if (e instanceof SmbError) return e.code === 'transport' || e.code === 'timeout';
  return toApiError(e).code === 'unreachable';
}

function defaultBackoff(n: number): number {
  return Math.min(30_000, 1000 * 2 ** (n - 1));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    t.unref?.();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
