// The one store: four slices over one client, and the subscriptions that keep it current.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createBrowserSlice } from './browser-slice.js';
import { createDrivesSlice } from './drives-slice.js';
import { createTransfersSlice } from './transfers-slice.js';
import type { AppState, StoreDeps } from './types.js';
import { createUiSlice } from './ui-slice.js';

export type { AppState, StoreDeps };
export type AppStore = StoreApi<AppState>;

const frame = (fn: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => fn());
  else setTimeout(fn, 16);
};

export function createAppStore(deps: StoreDeps): AppStore {
  const full = { schedule: frame, ...deps };
  return createStore<AppState>()((set, get) => ({
    ...createDrivesSlice(set, get, full),
    ...createBrowserSlice(set, get, full),
    ...createTransfersSlice(set, get, full),
    ...createUiSlice(set, get, full),
  }));
}

/** Events from main into the store; returns the function that unsubscribes them all. */
export function wireEvents(store: AppStore, api: StoreDeps['api']): () => void {
  const s = () => store.getState();
  const offs = [
    api.on.drives.changed((d) => s().upsertDrive(d)),
    api.on.drives.removed(({ id }) => s().dropDrive(id)),
    api.on.transfers.changed((j) => s().upsertJob(j)),
    api.on.transfers.progress((p) => s().onProgress(p)),
    api.on.folder.batch((b) => s().onBatch(b)),
    api.on.folder.end((e) => s().onEnd(e)),
    api.on.folder.changed((c) => s().onFolderChanged(c)),
    api.on.folder.changes((c) => s().onFolderChanges(c)),
  ];
  return () => offs.forEach((off) => off());
}

/** Everything the first screen needs. */
export async function loadAll(store: AppStore, api: StoreDeps['api']): Promise<void> {
  const info = await api.app.info();
  if (info.ok) store.setState({ mode: info.value.mode, localPicker: info.value.localPicker, keychain: info.value.keychain });
  await Promise.all([store.getState().loadDrives(), store.getState().loadTransfers()]);
}
