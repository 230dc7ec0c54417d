// NTLMv2 computations (MS-NLMP 3.3.2), key derivation (3.4.5.1-3.4.5.3), MIC (3.1.5.1.2) and the
// message signature with extended session security (3.4.4.2). Pure functions over buffers.
import { createHash, createHmac } from 'node:crypto';
import { md4 } from '../crypto/md4.js';
import { Rc4 } from '../crypto/rc4.js';
import { NtlmFlag } from './ntlm-messages.js';

export const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return h.digest();
};

const md5 = (...data: Buffer[]): Buffer => {
  const h = createHash('md5');
  for (const d of data) h.update(d);
  return h.digest();
};

/** NTOWFv2 = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(ConcatenationOf(Uppercase(User), UserDom))). */
export function ntowfv2(password: string, user: string, domain: string): Buffer {
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

/**
 * temp = Responserversion (1) || HiResponserversion (1) || Z(6) || Time || ClientChallenge || Z(4)
 *        || ServerName (the AV pair list, EOL included) || Z(4)     (MS-NLMP 3.3.2, 2.2.2.7)
 */
export function ntlmv2ClientChallenge(time: bigint, clientChallenge: Buffer, targetInfo: Buffer): Buffer {
  const temp = Buffer.alloc(28 + targetInfo.length + 4);
  temp[0] = 1;
  temp[1] = 1;
  temp.writeBigUInt64LE(time, 8);
  clientChallenge.copy(temp, 16);
  targetInfo.copy(temp, 28);
  return temp;
}

export interface Ntlmv2Responses {
  ntProofStr: Buffer;
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

/** MS-NLMP 3.3.2 ComputeResponse for NTLMv2. `zeroLm` sends Z(24) as LmChallengeResponse (3.1.5.1.2: when the server sent MsvAvTimestamp). */
export function computeNtlmv2Response(p: {
  responseKey: Buffer;
  serverChallenge: Buffer;
  clientChallenge: Buffer;
  time: bigint;
  targetInfo: Buffer;
  zeroLm?: boolean;
}): Ntlmv2Responses {
  const temp = ntlmv2ClientChallenge(p.time, p.clientChallenge, p.targetInfo);
  const ntProofStr = hmacMd5(p.responseKey, p.serverChallenge, temp);
  const lmChallengeResponse = p.zeroLm
    ? Buffer.alloc(24)
    : Buffer.concat([hmacMd5(p.responseKey, p.serverChallenge, p.clientChallenge), p.clientChallenge]);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse,
    sessionBaseKey: hmacMd5(p.responseKey, ntProofStr),
  };
}

export type NtlmMode = 'client' | 'server';

/** MS-NLMP 3.4.5.2 SIGNKEY (extended session security). */
export function signKey(exportedSessionKey: Buffer, mode: NtlmMode): Buffer {
  const dir = mode === 'client' ? 'client-to-server' : 'server-to-client';
  return md5(exportedSessionKey, Buffer.from(`session key to ${dir} signing key magic constant\0`, 'latin1'));
}

/** MS-NLMP 3.4.5.3 SEALKEY (extended session security): key weakened per the 128/56 flags. */
export function sealKey(exportedSessionKey: Buffer, flags: number, mode: NtlmMode): Buffer {
  let key = exportedSessionKey;
  if (flags & NtlmFlag.NEGOTIATE_128) key = exportedSessionKey;
  else if (flags & NtlmFlag.NEGOTIATE_56) key = exportedSessionKey.subarray(0, 7);
  else key = exportedSessionKey.subarray(0, 5);
  const dir = mode === 'client' ? 'client-to-server' : 'server-to-client';
  return md5(key, Buffer.from(`session key to ${dir} sealing key magic constant\0`, 'latin1'));
}

/**
 * MS-NLMP 3.4.4.2 MAC with extended session security: Version (1) || Checksum (8) || SeqNum (4), where
 * Checksum = HMAC_MD5(SigningKey, SeqNum || Message)[0..7], RC4-encrypted with the sealing handle
 * when KEY_EXCH was negotiated.
 */
export function ntlmMac(signingKey: Buffer, sealHandle: Rc4 | undefined, seqNum: number, message: Buffer): Buffer {
  const seq = Buffer.alloc(4);
  seq.writeUInt32LE(seqNum >>> 0, 0);
  let checksum = hmacMd5(signingKey, seq, message).subarray(0, 8);
  if (sealHandle) checksum = sealHandle.update(checksum);
  const out = Buffer.alloc(16);
  out.writeUInt32LE(1, 0);
  checksum.copy(out, 4);
  seq.copy(out, 12);
  return out;
}

/** MS-NLMP 3.1.5.1.2: MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE with MIC zeroed). */
export function computeMic(exportedSessionKey: Buffer, negotiate: Buffer, challenge: Buffer, authenticate: Buffer): Buffer {
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticate);
}
