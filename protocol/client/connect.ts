// The entry point of the client: `SmbClient.connect(opts)` returns a connected, negotiated
// SmbClient: SMB 2/3, or SMB1 when the caller allows it and the server speaks nothing better (one
// multi-protocol NEGOTIATE picks the dialect, MS-SMB2 3.2.4.2.1; see ../smb1/connect-any.ts), so
// callers never change.
import { connectAny } from '../smb1/connect-any.js';
import type { SmbClient as SmbClientApi } from './api.js';
import { Smb2Client } from './smb2-client.js';
import type { ConnectOptions } from './types.js';

export type SmbClient = SmbClientApi;

export const SmbClient = {
  connect(opts: ConnectOptions): Promise<SmbClient> {
    return connectAny(opts, (o, internal) => Smb2Client.connect(o, internal));
  },
};
