// The entry point of the client: `SmbClient.connect(opts)` returns a connected, negotiated
// SmbClient: SMB 2/3, or SMB1 when the caller allows it and the server speaks nothing better (one
// multi-protocol NEGOTIATE picks the dialect, MS-SMB2 3.2.4.2.1; see ../smb1/connect-any.ts), so
// callers never change.
import type { Smb2Starter } from '../smb1/connect-any.js';
import type { SmbClient as SmbClientApi } from './api.js';
import { Smb2Client } from './smb2-client.js';
import type { ConnectOptions } from './types.js';

export type SmbClient = SmbClientApi;

export const SmbClient = {
  async connect(opts: ConnectOptions): Promise<SmbClient> {
    const smb2: Smb2Starter = (o, internal) => Smb2Client.connect(o, internal);
    // SMB1's code (some 30 modules) is loaded only when SMB1 is allowed or an SMB2 connect failed
    // in a way an SMB1-only server would make it fail: a one-shot command starts that much sooner.
    if (!opts.allowSmb1) {
      try {
        return await smb2(opts, {});
      } catch (e) {
        const { explainSmb2Failure } = await import('../smb1/connect-any.js');
        throw await explainSmb2Failure(opts, e);
      }
    }
    const { connectAny } = await import('../smb1/connect-any.js');
    return connectAny(opts, smb2);
  },
};
