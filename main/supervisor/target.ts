// Drive targets are read by the one target parser (main/drives/smb-target.ts); the supervisor only
// adds how it groups attempts by server.
import type { SmbTarget } from '../drives/smb-target.js';

export { parseSmbTarget as parseTarget, type SmbTarget } from '../drives/smb-target.js';

/** Key for "one attempt at a time per server". */
export function serverKey(t: Pick<SmbTarget, 'host' | 'port'>): string {
  return `${t.host.toLowerCase()}:${t.port}`;
}

/** A target as log lines and diagnoses name it: the host, and the port only when it is not 445. */
export function where(t: Pick<SmbTarget, 'host' | 'port'>): string {
  return t.port === 445 ? t.host : `${t.host}:${t.port}`;
}
