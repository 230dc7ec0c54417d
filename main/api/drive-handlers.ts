// The drives and credentials requests: add/edit/remove through the registry (the services follow
// it into the supervisor), reconnect, and the AuthFailed prompt's answer, tried exactly once.
import { randomUUID } from 'node:crypto';
import type { Drive } from '../drives/index.js';
import type { ApiState } from './api-state.js';
import type { Handlers } from './dispatcher.js';
import { toNewDrive } from './drive-views.js';
import { ApiFailure } from './errors.js';
import type { DriveInput } from './views.js';

type DriveHandlers = Pick<
  Handlers,
  | 'drives.list'
  | 'drives.add'
  | 'drives.update'
  | 'drives.remove'
  | 'drives.reconnect'
  | 'drives.reconnectAll'
  | 'drives.disconnect'
  | 'drives.submitPassword'
  | 'credentials.list'
  | 'credentials.forget'
>;

/** The drive options the add/edit dialog shows (and so sets or clears on every save). */
const DIALOG_OPTIONS = ['requireSigning', 'requireEncryption', 'allowLegacy'] as const;

function withoutDialogOptions(options: Drive['options']): Drive['options'] {
  const rest = { ...options };
  for (const k of DIALOG_OPTIONS) delete rest[k];
  return rest;
}

/** How long add/reconnect/submit wait for the attempt before answering with the state so far. */
const SETTLE_MS = 12_000;

export function driveHandlers(state: ApiState): DriveHandlers {
  const { services } = state;

  async function nameTaken(name: string, except?: string): Promise<void> {
    const taken = (await services.registry.list()).find((d) => d.id !== except && d.name.toLowerCase() === name.trim().toLowerCase());
    if (taken) throw new ApiFailure('name-exists', `A drive named "${taken.name}" already exists`, { path: 'drive.name' });
  }

  /** The password that came with add/edit: used now, saved when asked. Returns whether it was saved. */
  async function takePassword(drive: Drive, password: string | undefined, save: boolean | undefined): Promise<void> {
    if (password === undefined) return;
    const account = state.account(drive);
    if (account === undefined) throw new ApiFailure('bad-request', 'A password needs a user name', { path: 'drive.user' });
    state.usePassword(drive, password);
    if (!save) return;
    try {
      await services.keychain.set(account, password);
      state.markSaved(account, true);
    } catch {
      // The keychain is locked or missing: the password works for this run and the view says it
      // was not saved (hasSavedPassword stays false), so the UI can tell the person.
      state.markSaved(account, false);
    }
  }

  function draft(input: DriveInput, id: string): Drive {
    const d = toNewDrive(input, id);
    return { ...d, id, alternates: d.alternates ?? [], options: d.options ?? {}, persistent: d.persistent ?? true };
  }

  return {
    async 'drives.list'() {
      const drives = await services.registry.list();
      return Promise.all(drives.map((d) => state.view(d, true)));
    },

    async 'drives.add'({ drive: input, password, savePassword }, ctx) {
      await nameTaken(input.name);
      const id = randomUUID();
      const candidate = draft(input, id);
      // Before the registry add: the services start supervising (and connecting) at once.
      await takePassword(candidate, password, savePassword);
      const saved = await services.registry.add(candidate);
      await state.settled(saved.id, SETTLE_MS, ctx.signal);
      return state.view(saved);
    },

    async 'drives.update'({ id, drive: input, password, savePassword }, ctx) {
      const before = await state.drive(id);
      await nameTaken(input.name, id);
      const drafted = draft(input, id);
      const next = { ...drafted, options: { ...withoutDialogOptions(before.options), ...drafted.options } };
      await takePassword(next, password, savePassword);
      const { id: _id, ...fields } = next;
      // The dialog sends the whole form: a user or domain it left empty is cleared (undefined removes
      // the field), and the options it does not show (protocol range, mount) are kept.
      const saved = await services.registry.update(before.id, { user: undefined, domain: undefined, ...fields });
      await state.trees.forget(id);
      await state.settled(id, SETTLE_MS, ctx.signal);
      return state.view(saved, true);
    },

    async 'drives.remove'({ id }) {
      const drive = await state.drive(id);
      const account = state.account(drive);
      await services.registry.remove(id);
      await state.trees.forget(id);
      state.forgetPassword(id);
      // The keychain entry goes too, unless another drive logs in with the same account.
      const others = (await services.registry.list()).filter((d) => state.account(d) === account);
      if (account !== undefined && others.length === 0) {
        await services.keychain.delete(account).catch(() => false);
        state.markSaved(account, false);
      }
      return null;
    },

    async 'drives.reconnect'({ id }, ctx) {
      const drive = await state.drive(id);
      if (state.status(id) === undefined) throw new ApiFailure('not-found', 'This drive is not active', { detail: `drive ${id} is not supervised` });
      services.supervisor.reconnect(id);
      await state.trees.forget(id);
      await state.settled(id, SETTLE_MS, ctx.signal);
      return state.view(drive);
    },

    async 'drives.reconnectAll'() {
      for (const s of services.supervisor.list()) {
        if (s.state.kind === 'disabled' || s.state.kind === 'auth-failed') continue;
        services.supervisor.reconnect(s.drive.id);
      }
      return null;
    },

    async 'drives.disconnect'({ id }) {
      const drive = await state.drive(id);
      await services.supervisor.disconnect(id);
      await state.trees.forget(id);
      return state.view(drive);
    },

    async 'drives.submitPassword'({ id, password, save }, ctx) {
      const drive = await state.drive(id);
      if (state.account(drive) === undefined) throw new ApiFailure('bad-request', 'This drive logs in without a user name', { path: 'id' });
      await takePassword(drive, password, save);
      await state.trees.forget(id);
      // One attempt with the new password; the answer is the state it led to.
      await services.supervisor.updateCredentials(id);
      await state.settled(id, SETTLE_MS, ctx.signal);
      return state.view(drive);
    },

    async 'credentials.list'() {
      const drives = await services.registry.list();
      const out = [];
      for (const d of drives) {
        const account = state.account(d);
        if (account === undefined) continue;
        out.push({ driveId: d.id, driveName: d.name, account, saved: await state.hasSaved(d, true) });
      }
      return out;
    },

    async 'credentials.forget'({ driveId }) {
      const drive = await state.drive(driveId);
      const account = state.account(drive);
      if (account === undefined) return null;
      try {
        await services.keychain.delete(account);
      } catch (e) {
        throw new ApiFailure('keychain', 'The OS keychain could not be reached', { detail: e instanceof Error ? e.message : String(e) });
      }
      state.markSaved(account, false);
      state.hub.publish('drives.changed', state.viewNow(drive));
      return null;
    },
  };
}
