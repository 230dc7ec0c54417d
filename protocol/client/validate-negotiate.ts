// FSCTL_VALIDATE_NEGOTIATE_INFO (MS-SMB2 3.2.5.14.12 / 2.2.31.4 / 2.2.32.6): for SMB 3.0 and 3.0.2,
// after the first TREE_CONNECT, the client replays what it offered in a signed IOCTL; the server's
// signed answer must match what the client saw in NEGOTIATE. Someone on the path who rewrote the
// dialect list or the security mode is caught here (3.1.1 has preauth integrity instead).
import { SmbError, SmbStatusError } from '../errors.js';
import { SMB2_FILEID_NONE } from '../smb2/commands/body.js';
import { decodeIoctlResponse, encodeIoctlRequest, FSCTL_VALIDATE_NEGOTIATE_INFO, SMB2_0_IOCTL_IS_FSCTL } from '../smb2/commands/ioctl.js';
import { Dialect, SMB2_FLAGS_SIGNED, Smb2Command } from '../smb2/constants.js';
import type { NegotiatedConnection } from '../smb2/negotiate-exchange.js';
import { NtStatus } from '../smb2/nt-status.js';
import type { EstablishedSession } from '../smb2/session-setup-exchange.js';
import { treeCall, type TreeContext } from './tree-context.js';

const RESPONSE_SIZE = 24;

/** Servers that predate the FSCTL answer with these (signed); MS-SMB2 3.2.5.14.12 lets that pass. */
const NOT_IMPLEMENTED = [NtStatus.STATUS_NOT_SUPPORTED, NtStatus.STATUS_INVALID_DEVICE_REQUEST, NtStatus.STATUS_FILE_CLOSED];

export function encodeValidateNegotiateInfo(neg: NegotiatedConnection): Buffer {
  const { offer } = neg;
  const out = Buffer.alloc(24 + 2 * offer.dialects.length);
  out.writeUInt32LE(offer.capabilities >>> 0, 0);
  offer.clientGuid.copy(out, 4);
  out.writeUInt16LE(offer.securityMode, 20);
  out.writeUInt16LE(offer.dialects.length, 22);
  offer.dialects.forEach((d, i) => out.writeUInt16LE(d, 24 + 2 * i));
  return out;
}

/** Any failure ends the connection (MS-SMB2 3.2.5.14.12: "MUST terminate the Connection"). */
export async function validateNegotiate(t: TreeContext, neg: NegotiatedConnection, s: EstablishedSession): Promise<void> {
  if (neg.dialect !== Dialect.SMB3_00 && neg.dialect !== Dialect.SMB3_02) return;
  if (s.isGuest || s.isAnonymous) return; // no key to sign with; MS-SMB2 skips validation then
  try {
    await exchange(t, neg, s);
  } catch (e) {
    // A server that saw a different NEGOTIATE than we sent hangs up (3.3.5.15.12) or denies access:
    // either way the negotiation was not the one we made.
    const err =
      e instanceof SmbError && e.code === 'security'
        ? e
        : fail(e instanceof SmbError ? `the server answered ${e instanceof SmbStatusError ? e.statusName : e.message}` : String(e));
    t.conn.fail(err);
    throw err;
  }
}

async function exchange(t: TreeContext, neg: NegotiatedConnection, s: EstablishedSession): Promise<void> {
  const res = await treeCall(
    t,
    {
      command: Smb2Command.IOCTL,
      body: [
        encodeIoctlRequest({
          ctlCode: FSCTL_VALIDATE_NEGOTIATE_INFO,
          fileId: SMB2_FILEID_NONE,
          input: encodeValidateNegotiateInfo(neg),
          maxOutputResponse: RESPONSE_SIZE,
          flags: SMB2_0_IOCTL_IS_FSCTL,
        }),
      ],
      security: { ...s.security, signRequests: true },
      operation: 'validate negotiate',
    },
    [NtStatus.STATUS_SUCCESS, ...NOT_IMPLEMENTED],
  );
  // The connection verified the signature if there was one; it must be there (or the tree sealed).
  const signed = (res.msg.readUInt32LE(16) & SMB2_FLAGS_SIGNED) !== 0;
  if (!signed && !t.sealed) throw fail('the answer was not signed');
  if (res.header.status !== NtStatus.STATUS_SUCCESS) return;
  const out = decodeIoctlResponse(res.msg).output;
  if (out.length < RESPONSE_SIZE) throw fail(`short answer (${out.length} bytes)`);
  const mismatch =
    out.readUInt32LE(0) !== neg.serverCapabilities >>> 0 ? 'capabilities'
    : !out.subarray(4, 20).equals(neg.serverGuid) ? 'server GUID'
    : out.readUInt16LE(20) !== neg.serverSecurityMode ? 'security mode'
    : out.readUInt16LE(22) !== neg.dialect ? 'dialect'
    : undefined;
  if (mismatch) throw fail(`the server's ${mismatch} differs from what NEGOTIATE said`);
}

function fail(why: string): SmbError {
  return new SmbError('security', `negotiation was tampered with: ${why}`, { operation: 'validate negotiate' });
}
