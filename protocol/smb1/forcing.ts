// Internal, test-only switches that drive the older SMB1 forms against a server that offers the
// newer ones (Samba NT1 offers both): the non-extended SESSION_SETUP_ANDX (the challenge in the
// NEGOTIATE response, MS-CIFS 2.2.4.52.2 / 2.2.4.53) and OPEN_ANDX (MS-CIFS 2.2.4.41). Without them
// the form follows the server: extended security when it answers with CAP_EXTENDED_SECURITY
// (MS-SMB 2.2.4.5.2), NT_CREATE_ANDX when it has CAP_NT_SMBS. Drives, the CLI and the UI never set
// them: the key is a symbol, so no option read from JSON can carry it.
import type { ConnectOptions } from '../client/types.js';

export interface Smb1Forcing {
  /**
   * Send NEGOTIATE with SMB_FLAGS2_EXTENDED_SECURITY clear (MS-CIFS 2.2.3.1), so the server answers
   * with an 8-byte challenge and SESSION_SETUP_ANDX carries LM/NTLM (v1 or v2) answers
   * (MS-CIFS 3.1.5.2). A server that answers with extended security anyway fails the connect.
   */
  nonExtendedSecurity?: boolean;
  /** Open files with OPEN_ANDX even when the server offers NT_CREATE_ANDX (CAP_NT_SMBS). */
  openAndX?: boolean;
}

const SMB1_FORCING = Symbol('sharekeeper.smb1Forcing');

type WithForcing = ConnectOptions & { [SMB1_FORCING]?: Smb1Forcing };

/** ConnectOptions with the test-only SMB1 switches set (see above). */
export function withSmb1Forcing(opts: ConnectOptions, forcing: Smb1Forcing): ConnectOptions {
  const o: WithForcing = { ...opts, [SMB1_FORCING]: forcing };
  return o;
}

export function smb1ForcingOf(opts: ConnectOptions): Smb1Forcing {
  return (opts as WithForcing)[SMB1_FORCING] ?? {};
}
