// The diagnosis ladder: every drive state says why, as one of a few reasons a person can act on,
// plus a sentence. classifyFailure() maps an error from one stage of a connection attempt onto
// the ladder; it looks at the stable SmbError code and the errno in its cause, never at the
// wording of messages except as a last resort for errno names.
import { SmbError, SmbStatusError } from '../../protocol/index.js';

export type Reason =
  // Failures, from the bottom of the stack up.
  | 'dns' // the name does not resolve
  | 'no-route' // no path to the address (EHOSTUNREACH, ENETUNREACH, network down)
  | 'tcp-refused' // nothing listens on the port
  | 'tcp-timeout' // no answer to the TCP handshake in time
  | 'negotiate-failed' // TCP works but SMB NEGOTIATE did not (no common dialect, reset, garbage)
  | 'auth-rejected' // SESSION_SETUP refused the credentials
  | 'credentials-missing' // nothing to log in with: ask the user
  | 'share-refused' // TREE_CONNECT refused (no such share, access denied)
  | 'security' // a signing/encryption requirement cannot be met
  | 'keepalive-timeout' // an ECHO got no answer in time
  | 'connection-lost' // reset or closed while in use
  | 'idle-disconnect' // the server closed an idle connection: normal, reconnect on access
  // Not failures: why a state was entered.
  | 'connected'
  | 'not-connected' // added, not used yet
  | 'startup' // a persistent drive connects when added
  | 'access' // first access to a disconnected drive
  | 'retry' // backoff timer
  | 'network-change'
  | 'wake'
  | 'credentials-changed'
  | 'user' // the user asked (reconnect, disconnect, disable, enable)
  | 'unknown';

export interface Diagnosis {
  reason: Reason;
  /** One sentence for people. */
  message: string;
}

/** Where in an attempt an error came from. */
export type Stage = 'resolve' | 'connect' | 'login' | 'tree' | 'session';

/** Failures that say "this address cannot be reached": try the next address or alternate target. */
export const UNREACHABLE_REASONS: ReadonlySet<Reason> = new Set<Reason>([
  'dns',
  'no-route',
  'tcp-refused',
  'tcp-timeout',
  'negotiate-failed',
  'connection-lost',
  'keepalive-timeout',
]);

const NO_ROUTE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA', 'ESERVFAIL', 'ENONAME', 'EBADNAME', 'ENOTIMP', 'EREFUSED']);
const ERRNO_NAME = /\b(E[A-Z_]{3,})\b/g;
const KNOWN_ERRNO = new Set([...NO_ROUTE, ...DNS, 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

/** The errno name behind an error: its own code, its cause's, or one named in the message. */
export function errnoOf(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 4; depth++) {
    if (typeof cur !== 'object') break;
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  // The transport names the errno in its message ("cannot reach h:445: ECONNREFUSED"); only known
  // names count, so a command name such as ECHO in a message is not taken for one.
  const message = e instanceof Error ? e.message : String(e);
  for (const m of message.matchAll(ERRNO_NAME)) if (m[1] !== undefined && KNOWN_ERRNO.has(m[1])) return m[1];
  return undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function classifyErrno(errno: string | undefined): Reason | undefined {
  if (errno === undefined) return undefined;
  if (errno === 'ECONNREFUSED') return 'tcp-refused';
  if (errno === 'ETIMEDOUT') return 'tcp-timeout';
  if (NO_ROUTE.has(errno)) return 'no-route';
  if (DNS.has(errno)) return 'dns';
  if (errno === 'ECONNRESET' || errno === 'EPIPE') return 'connection-lost';
  return undefined;
}

function diag(reason: Reason, message: string): Diagnosis {
  return { reason, message };
}

function classifyConnect(e: unknown, where: string): Diagnosis {
  const errno = errnoOf(e);
  const byErrno = classifyErrno(errno);
  const smb = e instanceof SmbError ? e : undefined;
  const tcpStage = smb === undefined || smb.operation === 'connect';
  if (byErrno === 'tcp-refused') return diag('tcp-refused', `${where} refused the connection (nothing listens on the SMB port)`);
  if (byErrno === 'no-route') return diag('no-route', `no network route to ${where} (${errno})`);
  if (byErrno === 'dns') return diag('dns', `${where} does not resolve (${errno})`);
  if (tcpStage && (byErrno === 'tcp-timeout' || smb?.code === 'timeout')) {
    return diag('tcp-timeout', `${where} did not answer in time (TCP connect timed out)`);
  }
  // A policy refusal at NEGOTIATE (an SMB1-only server without the legacy switch, a downgrade):
  // the same security failure a login or tree refusal is, so the same state and exit code (5).
  if (smb?.code === 'security') return diag('security', `${where}: ${smb.message}`);
  return diag('negotiate-failed', `${where} accepted TCP but SMB negotiation failed: ${messageOf(e)}`);
}

function classifyLogin(e: unknown, where: string): Diagnosis {
  if (e instanceof SmbError && e.code === 'auth') {
    const status = e instanceof SmbStatusError ? ` (${e.statusName})` : '';
    return diag('auth-rejected', `${where} rejected the user name or password${status}`);
  }
  if (e instanceof SmbError && e.code === 'security') return diag('security', `${where}: ${e.message}`);
  return classifyInUse(e, where);
}

function classifyTree(e: unknown, where: string, share: string): Diagnosis {
  if (e instanceof SmbStatusError) return diag('share-refused', `${where} refused share "${share}" (${e.statusName})`);
  if (e instanceof SmbError && e.code === 'security') return diag('security', `share "${share}" on ${where}: ${e.message}`);
  return classifyInUse(e, where);
}

/** Errors on an established connection: a timeout or a reset means the path or server went away. */
function classifyInUse(e: unknown, where: string): Diagnosis {
  if (e instanceof SmbError && e.code === 'timeout') return diag('keepalive-timeout', `${where} stopped answering (${e.message})`);
  const byErrno = classifyErrno(errnoOf(e));
  if (byErrno === 'no-route') return diag('no-route', `lost the route to ${where}`);
  if (e instanceof SmbError && (e.code === 'malformed' || e.code === 'security')) return diag('connection-lost', `${where}: ${e.message}`);
  return diag('connection-lost', `connection to ${where} was lost (${messageOf(e)})`);
}

/** Maps an error raised at `stage` of an attempt on `where` (host[:port]) onto the ladder. */
export function classifyFailure(e: unknown, stage: Stage, where: string, share = ''): Diagnosis {
  switch (stage) {
    case 'resolve': {
      const errno = errnoOf(e);
      return diag('dns', `${where} does not resolve${errno ? ` (${errno})` : ''}`);
    }
    case 'connect':
      return classifyConnect(e, where);
    case 'login':
      return classifyLogin(e, where);
    case 'tree':
      return classifyTree(e, where, share);
    case 'session':
      return classifyInUse(e, where);
  }
}

/**
 * A close the server made on purpose while we were idle: a plain end of stream (FIN), no reset, no
 * timeout, no error of ours. Samba's `deadtime` and Windows' autodisconnect do this (the idle
 * connection timer, MS-CIFS 3.3.6.2, kept by SMB2 servers); it is not a failure.
 */
export function isQuietClose(e: unknown): boolean {
  if (!(e instanceof SmbError) || e.code !== 'transport') return false;
  return errnoOf(e) === undefined;
}
