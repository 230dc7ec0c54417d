// The authenticator's opt-in NTLMv1/LM answers (MS-NLMP 3.3.1) over the 4.2.4.3 CHALLENGE, which
// offers extended session security: 'ntlmv1' gives the 4.2.3 NTLM2-session response, 'ntlmv1-lm'
// the 4.2.2 NTLMv1 + LMv1 pair. Without the option nothing changes (NTLMv2).
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { rc4 } from '../crypto/rc4.js';
import { NtlmFlag, decodeAuthenticateMessage } from './ntlm-messages.js';
import { NtlmSpnegoAuthenticator, type NtlmLegacyResponse } from './ntlm-spnego-authenticator.js';
import * as V from './ntlm-vectors.test-data.js';
import { NTLMSSP_OID, NegState, decodeNegTokenInit, decodeNegTokenResp, encodeNegTokenResp } from './spnego.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const random = (n: number): Buffer => (n === 8 ? V.CLIENT_CHALLENGE : V.RANDOM_SESSION_KEY);
const token = encodeNegTokenResp({ negState: NegState.ACCEPT_INCOMPLETE, supportedMech: NTLMSSP_OID, responseToken: V.CHALLENGE_MESSAGE });

function run(legacyResponse?: NtlmLegacyResponse) {
  const a = new NtlmSpnegoAuthenticator({ user: V.USER, password: V.PASSWORD, domain: V.DOMAIN }, { random, ...(legacyResponse ? { legacyResponse } : {}) });
  const init = decodeNegTokenInit(a.initialToken());
  const reply = decodeNegTokenResp(a.respond(token));
  return { a, negotiateFlags: init.mechToken!.readUInt32LE(12), reply, auth: decodeAuthenticateMessage(reply.responseToken!) };
}

describe('legacy NTLM responses', () => {
  it("'ntlmv1' with a server offering ESS: NTLM2 session response (4.2.3), no MIC, no mechListMIC", () => {
    const { a, auth, reply } = run('ntlmv1');
    expect(auth.ntChallengeResponse).toEqual(h('7537f803ae367128ca458204bde7caf81e97ed2683267232'));
    expect(auth.lmChallengeResponse).toEqual(h('aaaaaaaaaaaaaaaa00000000000000000000000000000000'));
    expect(auth.flags & NtlmFlag.EXTENDED_SESSIONSECURITY).not.toBe(0);
    expect(reply.mechListMIC).toBeUndefined();
    // KEY_EXCH: the random key travels RC4-encrypted under KXKEY (4.2.3.1.3).
    expect(rc4(h('eb93429a8bd952f8b89c55b87f475edc'), auth.encryptedRandomSessionKey)).toEqual(V.RANDOM_SESSION_KEY);
    expect(a.sessionKey).toEqual(V.RANDOM_SESSION_KEY);
  });

  it("'ntlmv1-lm': plain NTLMv1 and the LM response (4.2.2), ESS neither offered nor used", () => {
    const { auth, negotiateFlags } = run('ntlmv1-lm');
    expect(negotiateFlags & NtlmFlag.EXTENDED_SESSIONSECURITY).toBe(0);
    expect(auth.flags & NtlmFlag.EXTENDED_SESSIONSECURITY).toBe(0);
    expect(auth.ntChallengeResponse).toEqual(h('67c43011f30298a2ad35ece64f16331c44bdbed927841f94'));
    expect(auth.lmChallengeResponse).toEqual(h('98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13'));
    expect(rc4(h('d87262b0cde4b1cb7499becccdf10784'), auth.encryptedRandomSessionKey)).toEqual(V.RANDOM_SESSION_KEY);
  });

  it('without the option the answer stays NTLMv2', () => {
    const { auth, reply } = run();
    expect(auth.ntChallengeResponse.length).toBeGreaterThan(24);
    expect(reply.mechListMIC).toBeDefined();
  });

  it('onChallenge can refuse a challenge before any response is computed', () => {
    const a = new NtlmSpnegoAuthenticator(
      { user: V.USER, password: V.PASSWORD },
      {
        onChallenge: () => {
          throw new SmbError('security', 'no');
        },
      },
    );
    a.initialToken();
    expect(() => a.respond(token)).toThrow(/no/);
  });
});
