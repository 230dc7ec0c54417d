// The store's shape: one zustand store made of four slices (drives, browser, transfers, ui).
import type { StoreApi } from 'zustand/vanilla';
import type { ApiClient } from '../api/client.js';
import type { BrowserSlice } from './browser-slice.js';
import type { DrivesSlice } from './drives-slice.js';
import type { TransfersSlice } from './transfers-slice.js';
import type { UiSlice } from './ui-slice.js';

export type AppState = DrivesSlice & BrowserSlice & TransfersSlice & UiSlice;

export interface StoreDeps {
  api: ApiClient;
  /** serve: where files stream to and from the browser (undefined in Electron). */
  streams?: { download: string; upload: string } | undefined;
  /** Coalesces high-rate updates to one per frame (requestAnimationFrame; tests pass their own). */
  schedule?: (fn: () => void) => void;
  /** Starts a browser download of a URL (an <a download> click; tests pass their own). */
  startDownload?: (url: string, name: string) => void;
  /** Uploads one file over HTTP with progress (XMLHttpRequest; tests pass their own). */
  putFile?: (url: string, file: Blob, onProgress: (sent: number) => void) => Promise<{ ok: boolean; status: number; body: string }>;
}

export type SliceCreator<T> = (set: StoreApi<AppState>['setState'], get: StoreApi<AppState>['getState'], deps: Required<Pick<StoreDeps, 'api' | 'schedule'>> & StoreDeps) => T;
