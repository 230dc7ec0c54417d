// The browser's requests: share list, folder listings streamed as batches of events (first rows
// on screen while the rest are still coming), and the file operations. A listing answers its
// request at once with an id; a dead server then shows as an error in `folder.end`, never as a
// request that hangs the UI.
import { randomUUID } from 'node:crypto';
import type { DirEntry, SmbTree } from '../../protocol/index.js';
import type { ApiState } from './api-state.js';
import type { CallContext, Handlers } from './dispatcher.js';
import { ApiFailure, toApiError } from './errors.js';
import type { EntryView } from './views.js';

type FileHandlers = Pick<Handlers, 'browse.shares' | 'folder.open' | 'folder.close' | 'fs.stat' | 'fs.mkdir' | 'fs.rename' | 'fs.delete'>;

const FILE_ATTRIBUTE_HIDDEN = 0x2;
/** A listing with no batch for this long ends with a timeout (a server gone silent). */
export const LISTING_STALL_MS = 20_000;
const DEFAULT_BATCH = 1000;

export function entryView(e: DirEntry): EntryView {
  return { name: e.name, type: e.type, size: e.type === 'directory' ? 0 : e.size, modified: e.modified.getTime(), hidden: (e.attributes & FILE_ATTRIBUTE_HIDDEN) !== 0 || e.name.startsWith('.') };
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function fileHandlers(state: ApiState): FileHandlers {
  const listings = new Map<string, { controller: AbortController; clientId: string }>();

  async function treeFor(driveId: string, share: string): Promise<SmbTree> {
    const drive = await state.drive(driveId);
    return state.trees.tree(drive, share);
  }

  function changed(driveId: string, share: string, path: string): void {
    state.hub.publish('folder.changed', { driveId, share, path });
  }

  async function runListing(listingId: string, args: { driveId: string; share: string; path: string; batchSize?: number }, ctx: CallContext, controller: AbortController): Promise<void> {
    const size = args.batchSize ?? DEFAULT_BATCH;
    let count = 0;
    let stall: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(new ApiFailure('timeout', 'The server stopped answering', { detail: `no entries for ${LISTING_STALL_MS} ms` })), LISTING_STALL_MS);
    };
    const stopWithClient = (): void => controller.abort(new Error('client went away'));
    ctx.clientSignal.addEventListener('abort', stopWithClient, { once: true });
    try {
      arm();
      const tree = await abortable(treeFor(args.driveId, args.share), controller.signal);
      for await (const batch of tree.listDirectory(args.path, { signal: controller.signal })) {
        arm();
        for (let i = 0; i < batch.length; i += size) {
          const entries = batch.slice(i, i + size).map(entryView);
          count += entries.length;
          ctx.emit('folder.batch', { listingId, entries });
        }
      }
      ctx.emit('folder.end', { listingId, count });
    } catch (e) {
      const reason = controller.signal.aborted ? controller.signal.reason : e;
      if (!ctx.clientSignal.aborted) ctx.emit('folder.end', { listingId, count, error: toApiError(reason instanceof ApiFailure ? reason : e) });
    } finally {
      clearTimeout(stall);
      ctx.clientSignal.removeEventListener('abort', stopWithClient);
      listings.delete(listingId);
    }
  }

  return {
    async 'browse.shares'({ driveId }) {
      const drive = await state.drive(driveId);
      const shares = await state.trees.listShares(drive);
      return shares.map((s) => ({ name: s.name, type: s.type, comment: s.comment, special: s.special }));
    },

    async 'folder.open'(args, ctx) {
      await state.drive(args.driveId);
      const listingId = randomUUID();
      const controller = new AbortController();
      listings.set(listingId, { controller, clientId: ctx.clientId });
      // Not awaited: the answer is the id; entries follow as events.
      void runListing(listingId, args, ctx, controller);
      return { listingId };
    },

    async 'folder.close'({ listingId }, ctx) {
      const l = listings.get(listingId);
      if (l !== undefined && l.clientId === ctx.clientId) l.controller.abort(new ApiFailure('cancelled', 'Cancelled'));
      return null;
    },

    async 'fs.stat'({ driveId, share, path }, ctx) {
      const tree = await abortable(treeFor(driveId, share), ctx.signal);
      return entryView(await tree.stat(path));
    },

    async 'fs.mkdir'({ driveId, share, path }, ctx) {
      if (path === '') throw new ApiFailure('bad-request', 'A folder needs a name', { path: 'path' });
      const tree = await abortable(treeFor(driveId, share), ctx.signal);
      await tree.mkdir(path);
      changed(driveId, share, parentOf(path));
      return entryView(await tree.stat(path));
    },

    async 'fs.rename'({ driveId, share, from, to }, ctx) {
      if (from === '' || to === '') throw new ApiFailure('bad-request', 'The share itself cannot be renamed', { path: 'from' });
      const tree = await abortable(treeFor(driveId, share), ctx.signal);
      await tree.rename(from, to, { replace: false });
      changed(driveId, share, parentOf(from));
      if (parentOf(to) !== parentOf(from)) changed(driveId, share, parentOf(to));
      return null;
    },

    async 'fs.delete'({ driveId, share, paths }, ctx) {
      if (paths.includes('')) throw new ApiFailure('bad-request', 'The share itself cannot be deleted', { path: 'paths' });
      const tree = await abortable(treeFor(driveId, share), ctx.signal);
      let deleted = 0;
      for (const p of paths) {
        deleted += await deleteTree(tree, p, ctx.signal);
        changed(driveId, share, parentOf(p));
      }
      return { deleted };
    },
  };
}

/** Deletes a file, or a folder with everything in it; returns how many items went. */
export async function deleteTree(tree: SmbTree, path: string, signal: AbortSignal): Promise<number> {
  if (signal.aborted) throw new ApiFailure('cancelled', 'Cancelled');
  const st = await tree.stat(path);
  if (st.type === 'file') {
    await tree.unlink(path);
    return 1;
  }
  const children: DirEntry[] = [];
  for await (const batch of tree.listDirectory(path, { signal })) children.push(...batch);
  let n = 0;
  for (const c of children) {
    const child = `${path}/${c.name}`;
    if (c.type === 'directory') n += await deleteTree(tree, child, signal);
    else {
      if (signal.aborted) throw new ApiFailure('cancelled', 'Cancelled');
      await tree.unlink(child);
      n++;
    }
  }
  await tree.rmdir(path);
  return n + 1;
}

/** Rejects as soon as the signal aborts, whatever the promise does. */
export function abortable<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new ApiFailure('cancelled', 'Cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason instanceof Error ? signal.reason : new ApiFailure('cancelled', 'Cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
