// Drive states as people read them.
import type { DriveStatusKind } from '../../../main/api/types.js';

export const STATUS_LABEL: Record<DriveStatusKind, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  disconnected: 'Disconnected',
  reconnecting: 'Reconnecting…',
  unavailable: 'Unavailable',
  'auth-failed': 'Auth failed',
  disabled: 'Off',
};

export function statusTone(kind: DriveStatusKind): 'ok' | 'idle' | 'bad' | 'busy' {
  if (kind === 'connected') return 'ok';
  if (kind === 'unavailable' || kind === 'auth-failed') return 'bad';
  if (kind === 'connecting' || kind === 'reconnecting') return 'busy';
  return 'idle';
}
