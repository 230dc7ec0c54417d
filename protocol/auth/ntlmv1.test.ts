// NTLM v1 and LM against MS-NLMP 4.2.2 (NTLM v1 authentication) and 4.2.3 (NTLM v1 with client
// challenge, i.e. NTLM2 session security), plus well-known LM/NT hash values.
import { describe, expect, it } from 'vitest';
import { rc4 } from '../crypto/rc4.js';
import { computeLmResponse, computeNtlmv1Response, desl, kxkeyV1, lmSessionKey, lmowfv1, ntowfv1 } from './ntlmv1.js';
import { CLIENT_CHALLENGE, PASSWORD, RANDOM_SESSION_KEY, SERVER_CHALLENGE } from './ntlm-vectors.test-data.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('MS-NLMP 4.2.2 NTLM v1', () => {
  it('4.2.2.1.1 LMOWFv1', () => expect(lmowfv1(PASSWORD)).toEqual(h('e52cac67419a9a224a3b108f3fa6cb6d')));
  it('4.2.2.1.2 NTOWFv1', () => expect(ntowfv1(PASSWORD)).toEqual(h('a4f49c406510bdcab6824ee7c30fd852')));

  const r = computeNtlmv1Response({ password: PASSWORD, serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: false, sendLm: true });
  it('4.2.2.1.3 session base key', () => expect(r.sessionBaseKey).toEqual(h('d87262b0cde4b1cb7499becccdf10784')));
  it('4.2.2.2.1 NTLMv1 response', () => expect(r.ntChallengeResponse).toEqual(h('67c43011f30298a2ad35ece64f16331c44bdbed927841f94')));
  it('4.2.2.2.2 LMv1 response', () => expect(r.lmChallengeResponse).toEqual(h('98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13')));
  it('4.2.2.2.3 encrypted session key (KXKEY = SessionBaseKey without LM_KEY)', () => {
    const kx = kxkeyV1({ ...r, serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: false });
    expect(rc4(kx, RANDOM_SESSION_KEY)).toEqual(h('518822b1b3f350c8958682ecbb3e3cb7'));
  });
  it('without sendLm the LM field repeats the NT response (NoLMResponseNTLMv1)', () => {
    const noLm = computeNtlmv1Response({ password: PASSWORD, serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: false });
    expect(noLm.lmChallengeResponse).toEqual(noLm.ntChallengeResponse);
  });
  it('computeLmResponse is the LMv1 response alone', () => {
    expect(computeLmResponse(PASSWORD, SERVER_CHALLENGE)).toEqual(h('98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13'));
  });
});

describe('MS-NLMP 4.2.3 NTLM v1 with client challenge (NTLM2 session security)', () => {
  const r = computeNtlmv1Response({ password: PASSWORD, serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: true, clientChallenge: CLIENT_CHALLENGE });
  it('4.2.3.2.1 LMv1 response is the client challenge and zeros', () => {
    expect(r.lmChallengeResponse).toEqual(h('aaaaaaaaaaaaaaaa 00000000000000000000000000000000'));
  });
  it('4.2.3.2.2 NTLMv1 response', () => expect(r.ntChallengeResponse).toEqual(h('7537f803ae367128ca458204bde7caf81e97ed2683267232')));
  it('4.2.3.1.2 session base key', () => expect(r.sessionBaseKey).toEqual(h('d87262b0cde4b1cb7499becccdf10784')));
  it('4.2.3.1.3 key exchange key', () => {
    expect(kxkeyV1({ ...r, serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: true })).toEqual(h('eb93429a8bd952f8b89c55b87f475edc'));
  });
  it('needs an 8-byte client challenge', () => {
    expect(() => computeNtlmv1Response({ password: 'x', serverChallenge: SERVER_CHALLENGE, extendedSessionSecurity: true })).toThrow(RangeError);
  });
});

describe('LM hash', () => {
  it.each([
    ['', 'aad3b435b51404eeaad3b435b51404ee'], // the well-known empty LM hash
    ['password', 'e52cac67419a9a224a3b108f3fa6cb6d'], // case-insensitive: same as "Password"
    ['PASSWORD', 'e52cac67419a9a224a3b108f3fa6cb6d'],
    ['1234567', '0182bd0bd4444bf8aad3b435b51404ee'], // 7 characters: second half is the empty half
  ])('LMOWFv1(%j) = %s', (pw, hash) => {
    expect(lmowfv1(pw)?.toString('hex')).toBe(hash);
  });
  it('no LM hash past 14 characters or outside the OEM set', () => {
    expect(lmowfv1('123456789012345')).toBeUndefined();
    expect(lmowfv1('12345678901234')).toBeDefined();
    expect(lmowfv1('пароль')).toBeUndefined();
  });
  it('NT hash of "password" is the well-known 8846f7ea...', () => {
    expect(ntowfv1('password').toString('hex')).toBe('8846f7eaee8fb117ad06bdd830b7586c');
  });
  it('LM session key: first half of the LM hash, then zeros', () => {
    expect(lmSessionKey(PASSWORD)).toEqual(h('e52cac67419a9a22 0000000000000000'));
  });
  it('DESL splits the key 7/7/2', () => {
    expect(desl(Buffer.alloc(16), Buffer.alloc(8))).toHaveLength(24);
    expect(() => desl(Buffer.alloc(15), Buffer.alloc(8))).toThrow(RangeError);
  });
});
