// Drives: the list with live status (events keep it current), and the actions that add, edit,
// remove and reconnect them and answer the password prompt.
import type { ApiError, DriveInput, DriveView, Result } from '../../../main/api/types.js';
import type { SliceCreator } from './types.js';

export interface DrivesSlice {
  drives: DriveView[];
  drivesLoaded: boolean;
  /** Drives with a reconnect in flight (the button shows it). */
  reconnecting: Record<string, boolean>;
  loadDrives(): Promise<void>;
  upsertDrive(view: DriveView): void;
  dropDrive(id: string): void;
  addDrive(input: DriveInput, password: string | undefined, save: boolean): Promise<Result<DriveView>>;
  updateDrive(id: string, input: DriveInput, password: string | undefined, save: boolean): Promise<Result<DriveView>>;
  removeDrive(id: string): Promise<Result<null>>;
  reconnect(id: string): Promise<void>;
  reconnectAll(): Promise<void>;
  submitPassword(id: string, password: string, save: boolean): Promise<ApiError | undefined>;
}

export const createDrivesSlice: SliceCreator<DrivesSlice> = (set, get, { api }) => ({
  drives: [],
  drivesLoaded: false,
  reconnecting: {},

  async loadDrives() {
    const r = await api.drives.list();
    if (r.ok) set({ drives: r.value, drivesLoaded: true });
    else get().notify(r.error);
  },

  upsertDrive(view) {
    set((s) => {
      const i = s.drives.findIndex((d) => d.id === view.id);
      if (i < 0) return { drives: [...s.drives, view] };
      const drives = s.drives.slice();
      drives[i] = view;
      return { drives };
    });
  },

  dropDrive(id) {
    set((s) => ({ drives: s.drives.filter((d) => d.id !== id) }));
    if (get().location?.driveId === id) get().closeLocation();
  },

  async addDrive(input, password, save) {
    const r = await api.drives.add({ drive: input, ...(password ? { password, savePassword: save } : {}) });
    if (r.ok) get().upsertDrive(r.value);
    return r;
  },

  async updateDrive(id, input, password, save) {
    const r = await api.drives.update({ id, drive: input, ...(password ? { password, savePassword: save } : {}) });
    if (r.ok) get().upsertDrive(r.value);
    return r;
  },

  async removeDrive(id) {
    const r = await api.drives.remove({ id });
    if (r.ok) get().dropDrive(id);
    return r;
  },

  async reconnect(id) {
    set((s) => ({ reconnecting: { ...s.reconnecting, [id]: true } }));
    const r = await api.drives.reconnect({ id });
    set((s) => {
      const { [id]: _done, ...rest } = s.reconnecting;
      return { reconnecting: rest };
    });
    if (r.ok) get().upsertDrive(r.value);
    else get().notify(r.error);
  },

  async reconnectAll() {
    const r = await api.drives.reconnectAll();
    if (!r.ok) get().notify(r.error);
  },

  /** One attempt per submit; the error (if any) is for the prompt to show. */
  async submitPassword(id, password, save) {
    const r = await api.drives.submitPassword({ id, password, save });
    if (!r.ok) return r.error;
    get().upsertDrive(r.value);
    const k = r.value.status.kind;
    if (k === 'connected') return undefined;
    if (k === 'auth-failed') return { code: 'wrong-password', message: 'Wrong user name or password', detail: r.value.status.message };
    return { code: 'unreachable', message: r.value.status.message };
  },
});
