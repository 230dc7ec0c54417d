// How the drive commands show a drive's state: a row of a table, a JSON object, one line, and the
// exit code a state stands for (0 connected, 3 unreachable, 4 credentials refused, 5 security).
import { escapeForTerminal, type Drive, type DriveState, type DriveStateKind, type DriveStatus } from '../../../main/index.js';
import { ExitCode } from '../exit-codes.js';

export interface DriveReport {
  name: string;
  id: string;
  target: string;
  alternates: string[];
  user?: string;
  status: DriveStateKind;
  reason: string;
  message: string;
  /** ISO-8601 UTC. */
  since: string;
  /** Present (true) when the drive allows SMB1 and NTLMv1/LM logons (issue 11). */
  allowLegacy?: true;
}

/** What `drives` says under the table about a drive that allows legacy logons (issue 11: plainly). */
export const LEGACY_DRIVE_NOTE =
  'allows the legacy protocol and logons (SMB1, NTLMv1/LM): if the server refuses NTLMv2, the password is sent as an NTLMv1 or LM answer, which anyone who captures the traffic can turn back into the password';

/** One line per drive with allowLegacy, escaped (a drive name is the user's text). */
export function legacyNotes(drives: readonly { name: string; options: { allowLegacy?: boolean } }[]): string {
  return drives
    .filter((d) => d.options.allowLegacy === true)
    .map((d) => `${escapeForTerminal(`warning: ${d.name} ${LEGACY_DRIVE_NOTE}`)}\n`)
    .join('');
}

const LABELS: Record<DriveStateKind, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  disconnected: 'Disconnected',
  reconnecting: 'Reconnecting',
  unavailable: 'Unavailable',
  'auth-failed': 'Auth failed',
  disabled: 'Disabled',
};

export function stateLabel(kind: DriveStateKind): string {
  return LABELS[kind];
}

export function driveReport(drive: Drive, status: DriveStatus): DriveReport {
  const r: DriveReport = {
    name: drive.name,
    id: drive.id,
    target: drive.target,
    alternates: [...drive.alternates],
    status: status.state.kind,
    reason: status.state.diagnosis.reason,
    message: status.state.diagnosis.message,
    since: new Date(status.state.since).toISOString(),
  };
  if (drive.user !== undefined) r.user = drive.domain === undefined ? drive.user : `${drive.domain}\\${drive.user}`;
  if (drive.options.allowLegacy === true) r.allowLegacy = true;
  return r;
}

/**
 * `NAME  STATUS  TARGET  SINCE  REASON`, columns padded to the widest cell. Cells are escaped: a
 * diagnosis message quotes the server. Widths by a loop, never a spread of every row.
 */
export function drivesTable(reports: readonly DriveReport[]): string {
  const rows = [
    ['NAME', 'STATUS', 'TARGET', 'SINCE', 'REASON'],
    ...reports.map((r) => [r.name, stateLabel(r.status), r.target, r.since.replace('T', ' ').slice(0, 19), `${r.reason}: ${r.message}`].map(escapeForTerminal)),
  ];
  const widths = [0, 0, 0, 0, 0];
  for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n') + '\n';
}

/** `Team: Connected (connected to nas:445 with SMB 3.1.1)`, escaped for the terminal. */
export function stateLine(name: string, state: DriveState): string {
  return escapeForTerminal(`${name}: ${stateLabel(state.kind)} (${state.diagnosis.message})`);
}

export function exitCodeForState(state: Pick<DriveState, 'kind' | 'diagnosis'>): number {
  if (state.kind === 'connected') return ExitCode.OK;
  if (state.kind === 'auth-failed') return ExitCode.AUTH;
  if (state.diagnosis.reason === 'security') return ExitCode.SECURITY;
  if (state.diagnosis.reason === 'share-refused') return ExitCode.REFUSED;
  return ExitCode.UNREACHABLE;
}
