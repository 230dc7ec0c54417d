// The one typed contract between main and every UI (STYLE.md "main/ and app/"): each request's
// name, the validator of its arguments, its result type and its deadline; each event's name and
// payload type. The Electron preload, the `serve` WebSocket bridge, the utility-process bridge and
// the renderer's client are all derived from the two tables below; no channel name is written
// anywhere else. Results travel as data (views.ts Result), never as thrown errors.
import { array, bool, empty, int, obj, oneOf, optional, str, type Validator } from './schema.js';
import type {
  AppInfoView,
  ConflictChoice,
  DriveView,
  EntryView,
  FolderChangesView,
  LocalHandleView,
  ProgressView,
  SavedPasswordView,
  ShareView,
  TransferView,
} from './views.js';

export interface RequestSpec<A, R> {
  readonly validate: Validator<A>;
  /** The request fails with `timeout` after this long, whatever the service is doing. */
  readonly deadlineMs: number;
  /** Phantom: the result type (never set at run time). */
  readonly result?: R;
}

/** `request<ResultType>()(validator, deadline)`: the argument type comes from the validator. */
function request<R>() {
  return <A>(validate: Validator<A>, deadlineMs = DEFAULT_DEADLINE_MS): RequestSpec<A, R> => ({ validate, deadlineMs });
}

export interface EventSpec<P> {
  /** Phantom: the payload type. */
  readonly payload?: P;
}
function event<P>(): EventSpec<P> {
  return {};
}

export const DEFAULT_DEADLINE_MS = 15_000;

// ---- argument pieces ------------------------------------------------------------------------------

const id = str({ min: 1, max: 200 });
/** A share of the drive's server: 1-80 characters (MS-SRVS NNLEN), no separator, not `.` or `..`. */
const shareName = str({ min: 1, max: 80, pattern: /^(?!\.{1,2}$)[^\\/]+$/ });
/** A path inside a share: '/'-separated, no '.' or '..' segment, no backslash ('' is the root). */
const sharePath = str({ max: 2048, pattern: /^(?!.*(^|\/)\.{1,2}(\/|$))[^\\]*$/ });
const conflict = oneOf(['ask', 'skip', 'overwrite', 'keep-both'] as const);
const secret = str({ min: 1, max: 1024, noControl: false });

export const driveInput = obj({
  name: str({ min: 1, max: 100, pattern: /^[^:/\\]+$/ }),
  target: str({ min: 3, max: 1024 }),
  user: optional(str({ max: 256 })),
  domain: optional(str({ max: 256 })),
  alternates: optional(array(str({ min: 1, max: 1024 }), { max: 16 })),
  requireSigning: optional(bool()),
  requireEncryption: optional(bool()),
  allowLegacy: optional(bool()),
  persistent: optional(bool()),
});

const location = { driveId: id, share: shareName, path: sharePath };
/** A Location's checks, for hosts that take one outside a request (serve's HTTP streams). */
export const locationArgs = obj(location);

// ---- the requests -----------------------------------------------------------------------------------

export const requests = {
  'app.info': request<AppInfoView>()(empty),
  /** Start at login (the desktop app: XDG autostart entry, login item); serve answers unsupported. */
  'app.autostart': request<{ enabled: boolean }>()(empty),
  'app.setAutostart': request<{ enabled: boolean }>()(obj({ enabled: bool() })),

  'drives.list': request<DriveView[]>()(empty),
  'drives.add': request<DriveView>()(obj({ drive: driveInput, password: optional(secret), savePassword: optional(bool()) }), 30_000),
  'drives.update': request<DriveView>()(obj({ id, drive: driveInput, password: optional(secret), savePassword: optional(bool()) }), 30_000),
  'drives.remove': request<null>()(obj({ id })),
  /** At once, backoff reset; resolves with the state when the attempt settles (or at the deadline). */
  'drives.reconnect': request<DriveView>()(obj({ id }), 20_000),
  'drives.reconnectAll': request<null>()(empty),
  'drives.disconnect': request<DriveView>()(obj({ id })),
  /** The AuthFailed prompt's answer: tried exactly once; resolves with the state it led to. */
  'drives.submitPassword': request<DriveView>()(obj({ id, password: secret, save: bool() }), 30_000),

  'credentials.list': request<SavedPasswordView[]>()(empty),
  'credentials.forget': request<null>()(obj({ driveId: id })),

  /** The shares of a drive's server (srvsvc NetShareEnumAll). */
  'browse.shares': request<ShareView[]>()(obj({ driveId: id }), 20_000),
  /** Starts a listing; entries come as `folder.batch` events, then one `folder.end`. */
  'folder.open': request<{ listingId: string }>()(obj({ ...location, batchSize: optional(int({ min: 1, max: 5000 })) })),
  /** Stops a listing early (the folder was left). */
  'folder.close': request<null>()(obj({ listingId: id })),
  /**
   * Watches a folder for changes on the server (SMB2 CHANGE_NOTIFY): `folder.changes` events follow
   * until `folder.unwatch`, the client goes away, or one arrives with `ended`. A few per client
   * (MAX_WATCHES_PER_CLIENT): a new one past that ends the client's oldest.
   */
  'folder.watch': request<{ watchId: string }>()(obj(location)),
  'folder.unwatch': request<null>()(obj({ watchId: id })),

  'fs.stat': request<EntryView>()(obj(location)),
  'fs.mkdir': request<EntryView>()(obj(location)),
  'fs.rename': request<null>()(obj({ driveId: id, share: shareName, from: sharePath, to: sharePath })),
  /** Files and folders (folders with everything in them). */
  'fs.delete': request<{ deleted: number }>()(obj({ driveId: id, share: shareName, paths: array(sharePath, { min: 1, max: 5000 }) }), 120_000),

  'transfers.list': request<TransferView[]>()(empty),
  /** Downloads to a local folder the person picked (a handle from local.pickFolder). */
  'transfers.download': request<TransferView[]>()(
    obj({ driveId: id, share: shareName, paths: array(sharePath, { min: 1, max: 5000 }), destination: id, conflict: optional(conflict) }),
  ),
  /** Uploads picked or dropped files/folders (handles) into a folder of the share. */
  'transfers.upload': request<TransferView[]>()(
    obj({ driveId: id, share: shareName, folder: sharePath, sources: array(id, { min: 1, max: 5000 }), conflict: optional(conflict) }),
  ),
  'transfers.pause': request<null>()(obj({ id })),
  'transfers.resume': request<null>()(obj({ id })),
  'transfers.cancel': request<null>()(obj({ id })),
  'transfers.retry': request<null>()(obj({ id })),
  /** Answers a conflict; `forAll` applies the same choice to the job's siblings waiting or to come. */
  'transfers.decide': request<null>()(obj({ id, decision: oneOf(['skip', 'overwrite', 'keep-both'] as const), forAll: optional(bool()) })),

  /** The host's folder picker (Electron: the OS dialog; serve: its downloads folder). Null when cancelled. */
  'local.pickFolder': request<LocalHandleView | null>()(empty, 300_000),
  'local.pickFiles': request<LocalHandleView[]>()(empty, 300_000),
  /**
   * Files and folders dropped on the desktop app's window: the preload turns the dropped Files
   * into their paths (webUtils.getPathForFile), so a renderer can hand over only what was dropped;
   * serve refuses it (a web page must not name local paths).
   */
  'local.dropped': request<LocalHandleView[]>()(obj({ paths: array(str({ min: 1, max: 4096, noControl: true }), { min: 1, max: 5000 }) })),
} as const;

// ---- the events ---------------------------------------------------------------------------------------

export const events = {
  /** A drive was added, changed, or moved to another state. */
  'drives.changed': event<DriveView>(),
  'drives.removed': event<{ id: string }>(),
  /** A drive needs a password (none saved, or the saved one was refused). */
  'credentials.needed': event<{ driveId: string; account: string; reason: 'missing' | 'unavailable' | 'rejected' }>(),
  'transfers.changed': event<TransferView>(),
  'transfers.progress': event<ProgressView>(),
  /** Sent only to the client that opened the listing. */
  'folder.batch': event<{ listingId: string; entries: EntryView[] }>(),
  'folder.end': event<{ listingId: string; count: number; error?: import('./views.js').ApiError }>(),
  /** Something changed in a folder (through ShareKeeper): an open view should list it again. */
  'folder.changed': event<{ driveId: string; share: string; path: string }>(),
  /** Sent only to the client that watches the folder: the server reported changes in it. */
  'folder.changes': event<FolderChangesView>(),
} as const;

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type ArgsOf<K extends RequestName> = Requests[K] extends RequestSpec<infer A, unknown> ? A : never;
export type ResultOf<K extends RequestName> = Requests[K] extends RequestSpec<unknown, infer R> ? R : never;

export type Events = typeof events;
export type EventName = keyof Events;
export type PayloadOf<K extends EventName> = Events[K] extends EventSpec<infer P> ? P : never;

export type { ConflictChoice };

export const REQUEST_NAMES = Object.keys(requests) as RequestName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requests, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
