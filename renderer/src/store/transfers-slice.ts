// Transfers: the queue's jobs (kept current by events; progress coalesced to one update per
// frame), and the browser's own streamed uploads and downloads under serve. Actions pick the
// local side through main (handles) or the browser, never by naming a local path.
import type { ApiClient, ApiError, ConflictChoice, EntryView, LocalHandleView, Location, ProgressView, Result, TransferView } from '../../../main/api/types.js';
import { joinPath } from './browser-slice.js';
import type { SliceCreator } from './types.js';

export interface BrowserTransfer {
  id: string;
  direction: 'download' | 'upload';
  name: string;
  bytesDone: number;
  bytesTotal: number;
  /** 'conflict': the name exists on the server; waiting for the person's choice. */
  state: 'running' | 'done' | 'failed' | 'conflict' | 'skipped';
  error?: ApiError;
  startedAt: number;
  rate: number;
}

export interface UploadItem {
  file: Blob;
  /** Path relative to the target folder ('a.txt', 'folder/sub/b.txt' for a dropped folder). */
  relativePath: string;
}

export interface TransfersSlice {
  jobs: Record<string, TransferView>;
  jobOrder: string[];
  browserTransfers: BrowserTransfer[];
  loadTransfers(): Promise<void>;
  upsertJob(view: TransferView): void;
  onProgress(p: ProgressView): void;
  controlJob(id: string, what: 'pause' | 'resume' | 'cancel' | 'retry'): Promise<void>;
  decide(id: string, decision: ConflictChoice, forAll: boolean): Promise<void>;
  download(entries: EntryView[]): Promise<void>;
  downloadWithQueue(entries: EntryView[]): Promise<void>;
  uploadFiles(items: UploadItem[]): Promise<void>;
  uploadPicked(): Promise<void>;
  /** The desktop app: files and folders dropped on the window, uploaded through the queue. */
  uploadDropped(files: readonly File[]): Promise<void>;
  /** The answer to a browser upload whose name exists: skip, overwrite or keep both ("for all" for the rest of that upload). */
  answerUploadConflict(id: string, choice: ConflictChoice, forAll: boolean): void;
}

/** "name.ext" → "name (n).ext", as the queue's keep-both names them. */
export function keepBothName(path: string, n: number): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? `${dir}${base.slice(0, dot)} (${n})${base.slice(dot)}` : `${dir}${base} (${n})`;
}

let browserIds = 0;
/** Uploads waiting for a conflict answer, and the "for all" answer of the upload running now. */
const conflictWaiters = new Map<string, (answer: { choice: ConflictChoice; forAll: boolean }) => void>();
let uploadForAll: ConflictChoice | undefined;

function parseError(res: { status: number; body: string }): ApiError {
  try {
    return (JSON.parse(res.body) as { error: ApiError }).error;
  } catch {
    return { code: 'internal', message: `Upload failed (HTTP ${res.status})` };
  }
}

export const createTransfersSlice: SliceCreator<TransfersSlice> = (set, get, deps) => {
  const { api, schedule } = deps;
  let progress = new Map<string, ProgressView>();
  let scheduled = false;

  const flushProgress = (): void => {
    scheduled = false;
    const batch = progress;
    progress = new Map();
    set((s) => {
      const jobs = { ...s.jobs };
      for (const p of batch.values()) {
        const j = jobs[p.id];
        if (j) jobs[p.id] = { ...j, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, rate: p.rate, ...(p.etaSeconds === undefined ? {} : { etaSeconds: p.etaSeconds }) };
      }
      return { jobs };
    });
  };

  const updateBrowser = (id: string, patch: Partial<BrowserTransfer>): void =>
    set((s) => ({ browserTransfers: s.browserTransfers.map((t) => (t.id === id ? { ...t, ...patch } : t)) }));

  /** Handles main issued (picked or dropped) into the open folder, through the queue. */
  const uploadHandles = async (loc: Location, handles: Result<LocalHandleView[]>): Promise<void> => {
    if (!handles.ok) return get().notify(handles.error);
    if (handles.value.length === 0) return;
    const r = await api.transfers.upload({ driveId: loc.driveId, share: loc.share, folder: loc.path, sources: handles.value.map((h) => h.id) });
    if (!r.ok) return get().notify(r.error);
    r.value.forEach((j) => get().upsertJob(j));
    get().showTransfers(true);
  };

  return {
    jobs: {},
    jobOrder: [],
    browserTransfers: [],

    async loadTransfers() {
      const r = await api.transfers.list();
      if (!r.ok) return get().notify(r.error);
      const jobs: Record<string, TransferView> = {};
      for (const j of r.value) jobs[j.id] = j;
      set({ jobs, jobOrder: r.value.map((j) => j.id) });
    },

    upsertJob(view) {
      set((s) => ({ jobs: { ...s.jobs, [view.id]: view }, jobOrder: s.jobOrder.includes(view.id) ? s.jobOrder : [...s.jobOrder, view.id] }));
    },

    onProgress(p) {
      progress.set(p.id, p);
      if (!scheduled) {
        scheduled = true;
        schedule(flushProgress);
      }
    },

    async controlJob(id, what) {
      const r = await api.transfers[what]({ id });
      if (!r.ok) get().notify(r.error);
    },

    async decide(id, decision, forAll) {
      const r = await api.transfers.decide({ id, decision, forAll });
      if (!r.ok) get().notify(r.error);
    },

    async download(entries) {
      const loc = get().location;
      if (loc === null || entries.length === 0) return;
      const files = entries.filter((e) => e.type === 'file');
      if (deps.streams === undefined || files.length < entries.length) {
        // Folders (and every download in Electron) go through the queue into a picked folder.
        return get().downloadWithQueue(deps.streams === undefined ? entries : entries.filter((e) => e.type === 'directory'));
      }
      for (const f of files) {
        const q = new URLSearchParams({ driveId: loc.driveId, share: loc.share, path: joinPath(loc.path, f.name) });
        deps.startDownload?.(`${deps.streams.download}?${q.toString()}`, f.name);
        set((s) => ({ browserTransfers: [...s.browserTransfers, { id: `b${++browserIds}`, direction: 'download', name: f.name, bytesDone: f.size, bytesTotal: f.size, state: 'done', startedAt: Date.now(), rate: 0 }] }));
      }
      if (files.length < entries.length) await get().downloadWithQueue(entries.filter((e) => e.type === 'directory'));
    },

    async downloadWithQueue(entries) {
      const loc = get().location;
      if (loc === null || entries.length === 0) return;
      const picked = await api.local.pickFolder();
      if (!picked.ok) return get().notify(picked.error);
      if (picked.value === null) return;
      const r = await api.transfers.download({ driveId: loc.driveId, share: loc.share, paths: entries.map((e) => joinPath(loc.path, e.name)), destination: picked.value.id });
      if (!r.ok) return get().notify(r.error);
      r.value.forEach((j) => get().upsertJob(j));
      get().showTransfers(true);
    },

    async uploadFiles(items) {
      const loc = get().location;
      if (loc === null || items.length === 0 || deps.streams === undefined || deps.putFile === undefined) return;
      get().showTransfers(true);
      // Folders first (a dropped folder's structure), then each file streamed with its progress.
      const folders = new Set<string>();
      for (const it of items) {
        const parts = it.relativePath.split('/').slice(0, -1);
        for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
      }
      for (const f of [...folders].sort((a, b) => a.split('/').length - b.split('/').length)) {
        const r = await api.fs.mkdir({ ...loc, path: joinPath(loc.path, f) });
        if (!r.ok && r.error.code !== 'name-exists') return get().notify(r.error);
      }
      uploadForAll = undefined;
      for (const it of items) {
        const id = `b${++browserIds}`;
        const started = Date.now();
        set((s) => ({ browserTransfers: [...s.browserTransfers, { id, direction: 'upload', name: it.relativePath, bytesDone: 0, bytesTotal: it.file.size, state: 'running', startedAt: started, rate: 0 }] }));
        const put = (relativePath: string, overwrite: boolean) => {
          const q = new URLSearchParams({ driveId: loc.driveId, share: loc.share, path: joinPath(loc.path, relativePath), ...(overwrite ? { overwrite: '1' } : {}) });
          return (deps.putFile as NonNullable<typeof deps.putFile>)(`${deps.streams?.upload}?${q.toString()}`, it.file, (sent) => {
            const secs = Math.max(0.001, (Date.now() - started) / 1000);
            updateBrowser(id, { bytesDone: sent, rate: sent / secs });
          });
        };
        let res = await put(it.relativePath, false);
        let error = res.ok ? undefined : parseError(res);
        if (error?.code === 'name-exists') {
          // The name exists: ask (once per file, or once for all of this upload), then act on it.
          let choice: ConflictChoice | undefined = uploadForAll;
          if (choice === undefined) {
            updateBrowser(id, { state: 'conflict', bytesDone: 0 });
            const answer = await new Promise<{ choice: ConflictChoice; forAll: boolean }>((resolve) => conflictWaiters.set(id, resolve));
            choice = answer.choice;
            if (answer.forAll) uploadForAll = choice;
            updateBrowser(id, { state: 'running' });
          }
          if (choice === 'skip') {
            updateBrowser(id, { state: 'skipped', bytesDone: 0 });
            continue;
          }
          if (choice === 'overwrite') res = await put(it.relativePath, true);
          else for (let n = 1; n <= 50; n++) {
            const name = keepBothName(it.relativePath, n);
            res = await put(name, false);
            if (res.ok) updateBrowser(id, { name });
            if (res.ok || parseError(res).code !== 'name-exists') break;
          }
          error = res.ok ? undefined : parseError(res);
        }
        if (error === undefined) updateBrowser(id, { state: 'done', bytesDone: it.file.size });
        else updateBrowser(id, { state: 'failed', error });
      }
      get().onFolderChanged({ driveId: loc.driveId, share: loc.share, path: loc.path });
    },

    answerUploadConflict(id, choice, forAll) {
      conflictWaiters.get(id)?.({ choice, forAll });
      conflictWaiters.delete(id);
    },

    async uploadPicked() {
      const loc = get().location;
      if (loc === null) return;
      await uploadHandles(loc, await api.local.pickFiles());
    },

    async uploadDropped(files) {
      const loc = get().location;
      if (loc === null || files.length === 0) return;
      // The preload's local.dropped takes the Files themselves and asks main with their paths
      // (webUtils.getPathForFile); the renderer never names a path, so the contract's argument
      // type (paths) is not what is passed here.
      const dropped = api.local.dropped as unknown as (a: { files: readonly File[] }) => ReturnType<ApiClient['local']['dropped']>;
      await uploadHandles(loc, await dropped({ files }));
    },
  };
};
