// The DriveRegistry service: the list of configured drives, and events when it changes.
import type { Drive, DrivePatch, NewDrive } from './drive.js';
import type { DriveStoreCorruptError } from './drive-errors.js';

export type DriveRegistryEvent =
  | { type: 'added'; drive: Drive }
  | { type: 'updated'; drive: Drive; previous: Drive }
  | { type: 'removed'; drive: Drive }
  /** The stored file could not be read; it was moved aside and the list starts empty. */
  | { type: 'corrupt'; error: DriveStoreCorruptError };

export type DriveRegistryListener = (event: DriveRegistryEvent) => void;

export interface DriveRegistry {
  list(): Promise<Drive[]>;
  get(id: string): Promise<Drive | undefined>;
  /** Validates, makes an id when none is given, saves. Throws DriveValidationError / 'duplicate'. */
  add(drive: NewDrive): Promise<Drive>;
  /** Applies the patch, validates the result, saves. Throws 'not-found' for an unknown id. */
  update(id: string, patch: DrivePatch): Promise<Drive>;
  /** False when no drive had that id. */
  remove(id: string): Promise<boolean>;
  /** Returns the function that unsubscribes. */
  onDidChange(listener: DriveRegistryListener): () => void;
}
