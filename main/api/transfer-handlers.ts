// The transfer requests over the persistent queue (main/transfers): download to a folder the
// person picked, upload picked or dropped files, pause/resume/cancel/retry, and conflict answers
// ("for all" remembered per folder job). Local paths come only from handles main issued.
import { stat } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import { parseSmbTarget } from '../drives/index.js';
import { isShareName, safeLocalName, type ConflictDecision, type JobError, type ProgressEvent, type TransferJob } from '../transfers/index.js';
import type { ApiState } from './api-state.js';
import type { Handlers } from './dispatcher.js';
import { ApiFailure, errorForJob } from './errors.js';
import type { TransferView } from './views.js';

type TransferHandlers = Pick<
  Handlers,
  'transfers.list' | 'transfers.download' | 'transfers.upload' | 'transfers.pause' | 'transfers.resume' | 'transfers.cancel' | 'transfers.retry' | 'transfers.decide' | 'local.pickFolder' | 'local.pickFiles' | 'local.dropped'
>;

export function transferView(job: TransferJob, progress?: ProgressEvent): TransferView {
  const view: TransferView = {
    id: job.id,
    direction: job.direction,
    kind: job.kind,
    driveId: job.driveId,
    remotePath: job.remotePath,
    localName: basename(job.targetPath !== undefined && job.direction === 'download' ? job.targetPath : job.localPath),
    state: job.state,
    bytesDone: progress?.bytesDone ?? job.bytesDone,
    bytesTotal: progress?.bytesTotal ?? job.bytesTotal,
    rate: job.state === 'running' ? (progress?.rate ?? 0) : 0,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
  if (job.state === 'running' && progress?.etaSeconds !== undefined) view.etaSeconds = progress.etaSeconds;
  if (job.share !== undefined) view.share = job.share;
  if (job.parentId !== undefined) view.parentId = job.parentId;
  if (job.pauseReason !== undefined) view.pauseReason = job.pauseReason;
  if (job.notice !== undefined) view.notice = job.notice;
  if (job.error !== undefined) view.error = errorForJob(job.error as JobError);
  if (job.conflictInfo !== undefined) {
    const c = job.conflictInfo;
    view.conflict = { path: c.path, existingSize: c.existing.size, existingModified: c.existing.modified, incomingSize: c.incoming.size, incomingModified: c.incoming.modified };
  }
  return view;
}

/** Subscribes the queue's events to the hub; returns the function that stops it. */
export function forwardQueueEvents(state: ApiState, decisions: Map<string, ConflictDecision>): () => void {
  const q = state.services.queue;
  const last = new Map<string, ProgressEvent>();
  const offs = [
    q.on('added', ({ job }) => state.hub.publish('transfers.changed', transferView(job))),
    q.on('state', ({ job, to }) => {
      if (to !== 'running') last.delete(job.id);
      // A conflict the person already answered "for all" for this folder is answered again here.
      const remembered = to === 'waiting-for-decision' ? decisions.get(job.parentId ?? '') : undefined;
      if (remembered !== undefined) {
        try {
          q.decide(job.id, remembered);
          return;
        } catch {
          // fall through: show the question
        }
      }
      state.hub.publish('transfers.changed', transferView(job, last.get(job.id)));
    }),
    q.on('progress', (p) => {
      last.set(p.id, p);
      state.hub.publish('transfers.progress', { id: p.id, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, rate: p.rate, ...(p.etaSeconds === undefined ? {} : { etaSeconds: p.etaSeconds }) });
    }),
  ];
  return () => offs.forEach((off) => off());
}

export function transferHandlers(state: ApiState, decisions: Map<string, ConflictDecision>): TransferHandlers {
  const q = () => state.services.queue;

  /**
   * The share a job names: none for the drive's own share (so its jobs look as before), else the
   * other share of the drive's server, which the queue connects on its own (main/services).
   */
  async function jobShare(driveId: string, share: string): Promise<{ share?: string }> {
    const drive = await state.drive(driveId);
    const own = parseSmbTarget(drive.target).share;
    if (own.toLowerCase() === share.toLowerCase()) return {};
    // The contract checked the name already; the queue checks it again (it has other callers).
    if (!isShareName(share)) throw new ApiFailure('bad-request', 'That is not a share name', { path: 'share' });
    return { share };
  }

  const control = (fn: (id: string) => unknown) => async ({ id }: { id: string }) => {
    if (q().get(id) === undefined) throw new ApiFailure('not-found', 'There is no such transfer', { detail: id });
    await fn(id);
    return null;
  };

  return {
    async 'transfers.list'() {
      return q().list().map((j) => transferView(j));
    },

    async 'transfers.download'({ driveId, share, paths, destination, conflict }) {
      const on = await jobShare(driveId, share);
      const dest = state.handles.resolve(destination, 'folder');
      if (dest === undefined) throw new ApiFailure('bad-request', 'Pick the folder to download to first', { path: 'destination' });
      return paths.map((p) => {
        const name = safeLocalName(p.split('/').pop() ?? p);
        return transferView(q().enqueue({ direction: 'download', driveId, ...on, remotePath: p, localPath: join(dest.path, name), conflict: conflict ?? 'ask' }));
      });
    },

    async 'transfers.upload'({ driveId, share, folder, sources, conflict }) {
      const on = await jobShare(driveId, share);
      const local = sources.map((id, i) => {
        const h = state.handles.resolve(id);
        if (h === undefined) throw new ApiFailure('bad-request', 'Pick or drop the files to upload first', { path: `sources[${i}]` });
        return h;
      });
      return local.map((h) => {
        const remotePath = folder === '' ? basename(h.path) : `${folder}/${basename(h.path)}`;
        return transferView(q().enqueue({ direction: 'upload', driveId, ...on, remotePath, localPath: h.path, conflict: conflict ?? 'ask' }));
      });
    },

    'transfers.pause': control((id) => q().pause(id)),
    'transfers.resume': control((id) => q().resume(id)),
    'transfers.cancel': control((id) => q().cancel(id)),
    'transfers.retry': control((id) => q().retry(id)),

    async 'transfers.decide'({ id, decision, forAll }) {
      const job = q().get(id);
      if (job === undefined) throw new ApiFailure('not-found', 'There is no such transfer', { detail: id });
      if (job.state !== 'waiting-for-decision') throw new ApiFailure('bad-request', 'This transfer is not waiting for an answer');
      q().decide(id, decision);
      if (forAll) {
        decisions.set(job.parentId ?? '', decision);
        for (const other of q().list()) {
          if (other.id !== id && other.state === 'waiting-for-decision' && (other.parentId ?? '') === (job.parentId ?? '')) q().decide(other.id, decision);
        }
      }
      return null;
    },

    async 'local.pickFolder'() {
      const picked = await state.host.pickFolder?.();
      return picked === undefined ? null : state.handles.issue(picked, 'folder');
    },

    async 'local.pickFiles'() {
      const picked = (await state.host.pickFiles?.()) ?? [];
      return picked.map((p) => state.handles.issue(p, 'file'));
    },

    async 'local.dropped'({ paths }) {
      if (state.host.acceptsDroppedPaths !== true) throw new ApiFailure('unsupported', 'Dropped files reach ShareKeeper through the desktop app or the page upload');
      const kinds: ('file' | 'folder')[] = [];
      for (const [i, p] of paths.entries()) {
        if (!isAbsolute(p)) throw new ApiFailure('bad-request', 'A dropped item has no place on this computer', { path: `paths[${i}]` });
        const st = await stat(p).catch(() => undefined);
        if (st === undefined || !(st.isFile() || st.isDirectory())) throw new ApiFailure('not-found', 'A dropped item is gone or is not a file or folder', { path: `paths[${i}]`, detail: basename(p) });
        kinds.push(st.isDirectory() ? 'folder' : 'file');
      }
      return paths.map((p, i) => state.handles.issue(p, kinds[i] ?? 'file'));
    },
  };
}
