// Whether a drive's edit or a newly given secret changes how its server is reached or logged in
// to. The queue's connections to the server's other shares are closed only then: a rename or a
// mount setting leaves them (and the transfers on them) alone.
import type { Credentials } from '../../protocol/index.js';
import type { Drive, DriveOptions } from '../drives/index.js';
import { toSupervisedDrive } from './supervised-drive.js';

/** Options that say where the drive is mounted, not how it connects. */
const MOUNT_ONLY: ReadonlySet<keyof DriveOptions> = new Set<keyof DriveOptions>(['mount', 'mountPoint']);

export function connectionChanged(previous: Drive, next: Drive): boolean {
  return connectionKey(previous) !== connectionKey(next);
}

/** The target, alternates, user, domain and connect options, spelled one way. */
function connectionKey(drive: Drive): string {
  const s = toSupervisedDrive(drive);
  const options = Object.entries(s.options)
    .filter(([k, v]) => !MOUNT_ONLY.has(k as keyof DriveOptions) && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([s.target, s.alternates, s.user ?? null, s.domain ?? null, options]);
}

export function sameCredentials(a: Credentials | undefined, b: Credentials | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.kind === 'user' && b.kind === 'user') return a.user === b.user && a.password === b.password && a.domain === b.domain;
  if (a.kind === 'guest' && b.kind === 'guest') return a.user === b.user && a.orAnonymous === b.orAnonymous;
  return a.kind === b.kind;
}
