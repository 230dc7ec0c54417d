// Drives between the registry/supervisor and the contract: what the add/edit dialog sends becomes
// a registry record (smb://, //host/share and \\host\share all accepted), and a record plus its
// supervisor status becomes a DriveView. Neither direction ever carries a password.
import { dialectName } from '../../protocol/index.js';
import { formatSmbTarget, parseHostPort, parseSmbTarget, DriveValidationError, type Drive, type NewDrive } from '../drives/index.js';
import type { DriveState, DriveStatus } from '../supervisor/index.js';
import type { DriveInput, DriveStatusView, DriveView } from './views.js';

/** `\\host\share\path` and `//host/share/path` as smb:// (a UNC path names no port). */
export function toSmbUrl(text: string, field = 'target'): string {
  const t = text.trim();
  if (/^smb:\/\//i.test(t)) return t;
  if (/^(\\\\|\/\/)/.test(t)) return `smb://${t.slice(2).replace(/\\/g, '/')}`;
  throw new DriveValidationError(field, `"${text}" is not an smb:// URL or a \\\\host\\share path`);
}

/** An alternate as the registry keeps it: host[:port]. A whole //host/share must name the same share. */
export function toAlternate(text: string, share: string): string {
  const t = text.trim();
  if (!/^(smb:\/\/|\\\\|\/\/)/i.test(t)) {
    parseHostPort(t, 'alternates');
    return t;
  }
  const alt = parseSmbTarget(toSmbUrl(t, 'alternates'), 'alternates');
  if (alt.share.toLowerCase() !== share.toLowerCase()) {
    throw new DriveValidationError('alternates', `"${text}" names share "${alt.share}", not "${share}" (give just the host)`);
  }
  const host = alt.host.includes(':') ? `[${alt.host}]` : alt.host;
  return alt.port === 445 ? host : `${host}:${alt.port}`;
}

/** The registry record for what the dialog sent (the user may be in the URL or in its own field). */
export function toNewDrive(input: DriveInput, id?: string): NewDrive {
  const parsed = parseSmbTarget(toSmbUrl(input.target));
  const user = blank(input.user) ?? parsed.user;
  const domain = blank(input.domain) ?? parsed.domain;
  if (parsed.user !== undefined && blank(input.user) !== undefined && parsed.user !== blank(input.user)) {
    throw new DriveValidationError('user', 'the user in the address and the user field differ; give it once');
  }
  const drive: NewDrive = {
    name: input.name.trim(),
    target: formatSmbTarget(parsed, false),
    alternates: (input.alternates ?? []).filter((a) => a.trim() !== '').map((a) => toAlternate(a, parsed.share)),
    options: {
      ...(input.requireSigning ? { requireSigning: true } : {}),
      ...(input.requireEncryption ? { requireEncryption: true } : {}),
      ...(input.allowLegacy ? { allowLegacy: true } : {}),
    },
    persistent: input.persistent ?? true,
  };
  if (id !== undefined) drive.id = id;
  if (user !== undefined) drive.user = user;
  if (user !== undefined && domain !== undefined) drive.domain = domain;
  return drive;
}

function blank(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t === undefined || t === '' ? undefined : t;
}

export function statusView(state: DriveState): DriveStatusView {
  const view: DriveStatusView = { kind: state.kind, reason: state.diagnosis.reason, message: state.diagnosis.message, since: state.since };
  if (state.kind === 'reconnecting' || state.kind === 'unavailable') view.attempt = state.attempt;
  if (state.kind === 'unavailable') view.nextAttemptAt = state.nextAttemptAt;
  if (state.kind === 'connected') {
    view.connectedTo = state.target;
    view.dialect = dialectName(state.dialect);
  }
  return view;
}

export function driveView(drive: Drive, status: DriveStatus | undefined, hasSavedPassword: boolean): DriveView {
  const t = parseSmbTarget(drive.target);
  const unc = `\\\\${t.host}\\${t.share}${t.path === '' ? '' : `\\${t.path.replace(/\//g, '\\')}`}`;
  const view: DriveView = {
    id: drive.id,
    name: drive.name,
    target: formatSmbTarget(t, false),
    unc,
    host: t.host,
    port: t.port,
    share: t.share,
    rootPath: t.path,
    alternates: [...drive.alternates],
    options: {
      requireSigning: drive.options.requireSigning === true,
      requireEncryption: drive.options.requireEncryption === true,
      ...(drive.options.allowLegacy === true ? { allowLegacy: true } : {}),
      ...(drive.options.minProtocol === undefined ? {} : { minProtocol: drive.options.minProtocol }),
      ...(drive.options.maxProtocol === undefined ? {} : { maxProtocol: drive.options.maxProtocol }),
    },
    persistent: drive.persistent,
    status: status ? statusView(status.state) : { kind: 'disconnected', reason: 'not-connected', message: 'not supervised', since: Date.now() },
    hasSavedPassword,
  };
  const user = drive.user ?? t.user;
  if (user !== undefined) view.user = user;
  const domain = drive.domain ?? t.domain;
  if (user !== undefined && domain !== undefined) view.domain = domain;
  return view;
}
