// From the registry's Drive (what the user configured) to the supervisor's SupervisedDrive, and
// the keychain account a drive's password lives under. The registry allows a user inside the
// target (smb://bob@nas/share) and alternates as host[:port]; the supervisor wants plain
// smb://host[:port]/share[/path] URLs for the primary and each alternate, and the user apart.
import { credentialAccount } from '../credentials/index.js';
import { formatSmbTarget, parseSmbTarget, withHost, type Drive } from '../drives/index.js';
import type { SupervisedDrive } from '../supervisor/index.js';

export function toSupervisedDrive(drive: Drive): SupervisedDrive {
  const primary = parseSmbTarget(drive.target);
  const out: SupervisedDrive = {
    id: drive.id,
    name: drive.name,
    target: formatSmbTarget(primary, false),
    alternates: drive.alternates.map((a) => formatSmbTarget(withHost(primary, a), false)),
    options: { ...drive.options },
    persistent: drive.persistent,
  };
  const user = drive.user ?? primary.user;
  const domain = drive.domain ?? primary.domain;
  if (user !== undefined) out.user = user;
  if (user !== undefined && domain !== undefined) out.domain = domain;
  return out;
}

/**
 * The keychain account of a drive's password ('user@host' of its primary target; alternates reach
 * the same server, so they share it), or undefined for a drive without a user (anonymous logon).
 */
export function driveAccount(drive: Pick<SupervisedDrive, 'target' | 'user' | 'domain'>): string | undefined {
  const t = parseSmbTarget(drive.target);
  const user = drive.user ?? t.user;
  if (user === undefined) return undefined;
  return credentialAccount(user, t.host, drive.domain ?? t.domain);
}
