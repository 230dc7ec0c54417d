// One connection attempt to one target, stage by stage: resolve the name afresh, TCP connect with
// a deadline and NEGOTIATE (SmbClient.connect, MS-SMB2 3.2.4.2.1), SESSION_SETUP (3.2.4.2.3), then
// TREE_CONNECT (3.2.4.2.4). A failure names its stage so the classifier can place it on the ladder.
import type { ConnectOptions, Credentials, LoginOptions, SmbTree } from '../../protocol/index.js';
import { classifyFailure, UNREACHABLE_REASONS, type Diagnosis } from './diagnosis.js';
import type { Resolve } from './resolve-host.js';
import type { SmbTarget } from './target.js';

/** What the supervisor needs of a session. */
export interface SessionLike {
  /** SMB 2/3: the id to name as PreviousSessionId when this drive logs in again after a drop. */
  readonly sessionId?: bigint;
  connectTree(share: string): Promise<SmbTree>;
}

/** What the supervisor needs of SmbClient (the real one, or a fake in unit tests). */
export interface ClientLike {
  readonly dialect: number;
  readonly closed: boolean;
  /** When the server last sent anything (SmbClient.lastReceivedAt), where the client keeps it. */
  readonly lastReceivedAt?: number;
  login(creds: Credentials, opts?: LoginOptions): Promise<SessionLike>;
  echo(timeoutMs?: number): Promise<void>;
  onClose(listener: (e: Error) => void): void;
  close(): Promise<void>;
}

export type Connect = (opts: ConnectOptions) => Promise<ClientLike>;

export interface ProbeDeps {
  resolve: Resolve;
  connect: Connect;
  resolveTimeoutMs: number;
  /** ConnectOptions without host and port (timeoutMs, dialects, signing). */
  connectOptions: Omit<ConnectOptions, 'host' | 'port'>;
  /** At most this many addresses of one name are tried (bounds an attempt's length). */
  maxAddresses: number;
  /** A bare TCP connect (protocol's probeTcp); without it, no reachability probes run. */
  tcpProbe?: (address: string, port: number, timeoutMs: number) => Promise<void>;
}

export type ProbeResult =
  | { ok: true; client: ClientLike; tree: SmbTree; address: string; sessionId: bigint | undefined }
  | { ok: false; diagnosis: Diagnosis };

function where(t: SmbTarget): string {
  return t.port === 445 ? t.host : `${t.host}:${t.port}`;
}

/** TCP + NEGOTIATE to the first address of `target` that answers. */
export async function reach(target: SmbTarget, deps: ProbeDeps): Promise<{ ok: true; client: ClientLike; address: string } | { ok: false; diagnosis: Diagnosis }> {
  let addresses: string[];
  try {
    addresses = (await deps.resolve(target.host, deps.resolveTimeoutMs)).map((a) => a.address);
  } catch (e) {
    return { ok: false, diagnosis: classifyFailure(e, 'resolve', where(target)) };
  }
  let last: Diagnosis = { reason: 'dns', message: `${where(target)} has no address` };
  for (const address of addresses.slice(0, Math.max(1, deps.maxAddresses))) {
    try {
      const client = await deps.connect({ ...deps.connectOptions, host: target.host, address, port: target.port });
      return { ok: true, client, address };
    } catch (e) {
      last = classifyFailure(e, 'connect', where(target));
      // Another address of the same name may work (e.g. IPv6 unroutable, IPv4 fine).
      if (!UNREACHABLE_REASONS.has(last.reason)) break;
    }
  }
  return { ok: false, diagnosis: last };
}

/**
 * Does the server accept TCP connections again? A resolve and a bare connect to its first
 * addresses: no NEGOTIATE, no logon, so it can run every second without hammering the server.
 */
export async function acceptsConnections(target: SmbTarget, deps: ProbeDeps, timeoutMs: number): Promise<boolean> {
  if (!deps.tcpProbe) return false;
  try {
    const addresses = (await deps.resolve(target.host, Math.min(deps.resolveTimeoutMs, timeoutMs))).map((a) => a.address);
    for (const address of addresses.slice(0, Math.max(1, deps.maxAddresses))) {
      if (await deps.tcpProbe(address, target.port, timeoutMs).then(() => true, () => false)) return true;
    }
  } catch {
    /* the name does not resolve (yet) */
  }
  return false;
}

/** Reach the server, log in and connect the share. Closes the client on any failure. */
export async function probeTarget(target: SmbTarget, creds: Credentials, deps: ProbeDeps): Promise<ProbeResult> {
  const reached = await reach(target, deps);
  if (!reached.ok) return reached;
  return finishProbe(target, reached, creds);
}

/**
 * Log in and connect the share on a reached server. Closes the client on any failure.
 * `previousSessionId`: this drive's session on a connection to the same server that dropped, so
 * the server ends it now and lets its durable opens be reclaimed (MS-SMB2 3.2.4.2.3).
 */
export async function finishProbe(
  target: SmbTarget,
  reached: { client: ClientLike; address: string },
  creds: Credentials,
  previousSessionId?: bigint,
): Promise<ProbeResult> {
  const { client, address } = reached;
  let stage: 'login' | 'tree' = 'login';
  try {
    const session = await client.login(creds, previousSessionId !== undefined ? { previousSessionId } : {});
    stage = 'tree';
    const tree = await session.connectTree(target.share);
    return { ok: true, client, tree, address, sessionId: session.sessionId };
  } catch (e) {
    await client.close().catch(() => undefined);
    return { ok: false, diagnosis: classifyFailure(e, stage, where(target), target.share) };
  }
}
