import { describe, expect, it } from 'vitest';
import { Rc4, rc4 } from '../crypto/rc4.js';
import { NtlmFlag } from './ntlm-messages.js';
import * as V from './ntlm-vectors.test-data.js';
import { computeNtlmv2Response, ntlmMac, ntowfv2, sealKey, signKey } from './ntlmv2.js';

describe('NTLMv2 (MS-NLMP 4.2.4)', () => {
  const r = computeNtlmv2Response({
    responseKey: ntowfv2(V.PASSWORD, V.USER, V.DOMAIN),
    serverChallenge: V.SERVER_CHALLENGE,
    clientChallenge: V.CLIENT_CHALLENGE,
    time: V.TIME,
    targetInfo: V.TARGET_INFO,
  });

  it('4.2.4.1.1 NTOWFv2', () => {
    expect(ntowfv2(V.PASSWORD, V.USER, V.DOMAIN).equals(V.NTOWFV2)).toBe(true);
  });

  it('uppercases the user but not the domain', () => {
    expect(ntowfv2(V.PASSWORD, 'user', V.DOMAIN).equals(V.NTOWFV2)).toBe(true);
    expect(ntowfv2(V.PASSWORD, V.USER, 'DOMAIN').equals(V.NTOWFV2)).toBe(false);
  });

  it('4.2.4.1.2 session base key', () => {
    expect(r.sessionBaseKey.equals(V.SESSION_BASE_KEY)).toBe(true);
  });

  it('4.2.4.2.1 LMv2 response', () => {
    expect(r.lmChallengeResponse.equals(V.LMV2_RESPONSE)).toBe(true);
  });

  it('4.2.4.2.2 NTLMv2 response (NTProofStr and the whole 84 bytes as in 4.2.4.3)', () => {
    expect(r.ntProofStr.equals(V.NT_PROOF_STR)).toBe(true);
    expect(r.ntChallengeResponse.length).toBe(84);
    expect(r.ntChallengeResponse.equals(V.AUTHENTICATE_MESSAGE.subarray(0x84, 0x84 + 84))).toBe(true);
  });

  it('4.2.4.2.3 encrypted session key', () => {
    expect(rc4(r.sessionBaseKey, V.RANDOM_SESSION_KEY).equals(V.ENCRYPTED_SESSION_KEY)).toBe(true);
  });

  it('zeroes the LM response when asked (server sent MsvAvTimestamp)', () => {
    const z = computeNtlmv2Response({
      responseKey: V.NTOWFV2,
      serverChallenge: V.SERVER_CHALLENGE,
      clientChallenge: V.CLIENT_CHALLENGE,
      time: V.TIME,
      targetInfo: V.TARGET_INFO,
      zeroLm: true,
    });
    expect(z.lmChallengeResponse.equals(Buffer.alloc(24))).toBe(true);
  });

  it('4.2.4.4 GSS_WrapEx: signing key, sealing key handle and signature', () => {
    const flags = NtlmFlag.NEGOTIATE_128 | NtlmFlag.KEY_EXCH | NtlmFlag.EXTENDED_SESSIONSECURITY;
    expect(signKey(V.RANDOM_SESSION_KEY, 'client').equals(V.CLIENT_SIGN_KEY)).toBe(true);
    const handle = new Rc4(sealKey(V.RANDOM_SESSION_KEY, flags, 'client'));
    expect(handle.update(V.WRAP_PLAINTEXT).equals(V.WRAP_SEALED)).toBe(true);
    const sig = ntlmMac(V.CLIENT_SIGN_KEY, handle, 0, V.WRAP_PLAINTEXT);
    expect(sig.equals(V.WRAP_SIGNATURE)).toBe(true);
  });
});
