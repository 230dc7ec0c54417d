// The entry point of the client: `SmbClient.connect(opts)` returns a connected, negotiated
// SmbClient. Today that is SMB 2/3; the legacy SMB1 implementation joins here (one multi-protocol
// NEGOTIATE picks the dialect, MS-SMB2 3.2.4.2.1), so callers never change.
import type { SmbClient as SmbClientApi } from './api.js';
import { Smb2Client } from './smb2-client.js';
import type { ConnectOptions } from './types.js';

export type SmbClient = SmbClientApi;

export const SmbClient = {
  connect(opts: ConnectOptions): Promise<SmbClient> {
    return Smb2Client.connect(opts);
  },
};
