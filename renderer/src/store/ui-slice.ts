// What is on screen besides the data: the open dialog, the context menu, the transfer panel,
// the last notice, and whether the link to main is up.
import type { ApiError } from '../../../main/api/types.js';
import type { SliceCreator } from './types.js';

export type DialogState =
  | { kind: 'add-drive' }
  | { kind: 'edit-drive'; driveId: string }
  | { kind: 'password'; driveId: string; error?: ApiError }
  | { kind: 'confirm-delete'; names: string[] }
  | { kind: 'rename'; name: string }
  | { kind: 'new-folder' }
  | { kind: 'saved-passwords' };

export interface Notice {
  id: number;
  error: ApiError;
}

export interface UiSlice {
  dialog: DialogState | null;
  contextMenu: { x: number; y: number } | null;
  transfersOpen: boolean;
  notices: Notice[];
  linkUp: boolean;
  mode: 'serve' | 'electron' | undefined;
  localPicker: boolean;
  /** The OS keychain: when it cannot be reached, passwords are asked for each time (never written to a file). */
  keychain: 'available' | 'locked' | 'unavailable' | undefined;
  openDialog(d: DialogState): void;
  closeDialog(): void;
  openContextMenu(x: number, y: number): void;
  closeContextMenu(): void;
  showTransfers(open: boolean): void;
  notify(error: ApiError): void;
  dismissNotice(id: number): void;
  setLink(up: boolean): void;
}

let noticeIds = 0;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  dialog: null,
  contextMenu: null,
  transfersOpen: false,
  notices: [],
  linkUp: true,
  mode: undefined,
  localPicker: false,
  keychain: undefined,
  openDialog: (dialog) => set({ dialog, contextMenu: null }),
  closeDialog: () => set({ dialog: null }),
  openContextMenu: (x, y) => set({ contextMenu: { x, y } }),
  closeContextMenu: () => set({ contextMenu: null }),
  showTransfers: (transfersOpen) => set({ transfersOpen }),
  notify(error) {
    const id = ++noticeIds;
    set({ notices: [...get().notices.slice(-3), { id, error }] });
  },
  dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
  setLink: (linkUp) => set({ linkUp }),
});
