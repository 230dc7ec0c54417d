import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { DerReader, decodeOidValue, derLength, derTlv, encodeOidValue } from './der.js';
import {
  NTLMSSP_OID,
  NegState,
  decodeNegTokenInit,
  decodeNegTokenResp,
  encodeMechTypeList,
  encodeNegTokenInit,
  encodeNegTokenResp,
} from './spnego.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// A Windows 10 SESSION_SETUP NegTokenInit, from Microsoft's "SMB 3.1.1 Pre-authentication integrity"
// example: mechTypes [NTLMSSP] and a 40-byte NTLM NEGOTIATE_MESSAGE.
const WINDOWS_NEGOTIATE = hex('4E544C4D5353500001000000978208E2000000000000000000000000000000000603802500 00000F');
const WINDOWS_INIT = Buffer.concat([
  hex('604806062B0601050502A03E303CA00E300C060A2B06010401823702020AA22A0428'),
  WINDOWS_NEGOTIATE,
]);

describe('DER', () => {
  it('encodes lengths in short and long form', () => {
    expect(derLength(5).toString('hex')).toBe('05');
    expect(derLength(0x80).toString('hex')).toBe('8180');
    expect(derLength(0x1a6).toString('hex')).toBe('8201a6');
  });

  it('round-trips OIDs', () => {
    expect(encodeOidValue(NTLMSSP_OID).toString('hex')).toBe('2b06010401823702020a');
    fc.assert(
      fc.property(fc.nat(2), fc.nat(39), fc.array(fc.nat(2 ** 40), { maxLength: 6 }), (a, b, rest) => {
        const oid = [a, b, ...rest].join('.');
        expect(decodeOidValue(encodeOidValue(oid), 'test')).toBe(oid);
      }),
    );
  });

  it('round-trips TLVs of any length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70000 }), fc.nat(255), (len, tag) => {
        const t = (tag & 0x1f) === 0x1f ? 0x04 : tag;
        const body = Buffer.alloc(len, 7);
        const node = new DerReader(derTlv(t, body), 'test').next('x');
        expect(node.tag).toBe(t);
        expect(node.value.equals(body)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });
});

describe('SPNEGO', () => {
  it('encodes the NegTokenInit exactly as Windows does', () => {
    const ours = encodeNegTokenInit({ mechTypes: [NTLMSSP_OID], mechToken: WINDOWS_NEGOTIATE });
    expect(ours.toString('hex')).toBe(WINDOWS_INIT.toString('hex'));
    const back = decodeNegTokenInit(ours);
    expect(back.mechTypes).toEqual([NTLMSSP_OID]);
    expect(back.mechToken?.equals(WINDOWS_NEGOTIATE)).toBe(true);
  });

  it('decodes a server NegTokenResp carrying a challenge (Windows example)', () => {
    const token = hex(
      'A181B03081ADA0030A0101A10C060A2B06010401823702020AA281970481944E544C4D53535000020000000C000C0038' +
        '00000015828AE20D1D8BA31179D008000000000000000050005000440000000A0092270000000F53' +
        '005500540033003100310002000C0053005500540033003100310001000C00530055005400330031' +
        '00310004000C0053005500540033003100310003000C0053005500540033003100310007000800A1' +
        'A1F5ADCBAED00100000000',
    );
    const r = decodeNegTokenResp(token);
    expect(r.negState).toBe(NegState.ACCEPT_INCOMPLETE);
    expect(r.supportedMech).toBe(NTLMSSP_OID);
    expect(r.responseToken?.length).toBe(0x94);
  });

  it('round-trips NegTokenResp', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat(3), { nil: undefined }),
        fc.option(fc.uint8Array({ maxLength: 600 }), { nil: undefined }),
        fc.option(fc.uint8Array({ minLength: 16, maxLength: 16 }), { nil: undefined }),
        fc.boolean(),
        (negState, token, mic, withMech) => {
          const resp = {
            ...(negState === undefined ? {} : { negState }),
            ...(withMech ? { supportedMech: NTLMSSP_OID } : {}),
            ...(token ? { responseToken: Buffer.from(token) } : {}),
            ...(mic ? { mechListMIC: Buffer.from(mic) } : {}),
          };
          expect(decodeNegTokenResp(encodeNegTokenResp(resp))).toEqual(resp);
        },
      ),
    );
  });

  it('MechTypeList DER is the mechListMIC input', () => {
    expect(encodeMechTypeList([NTLMSSP_OID]).toString('hex')).toBe('300c060a2b06010401823702020a');
  });

  it('decoders only ever throw SmbError on random and mutated input', () => {
    const seeds = [WINDOWS_INIT, encodeNegTokenResp({ negState: 1, supportedMech: NTLMSSP_OID, responseToken: Buffer.alloc(300), mechListMIC: Buffer.alloc(16) })];
    const mutated = fc
      .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 6 }), fc.nat())
      .map(([seed, edits, cut]) => {
        const b = Buffer.from(seed);
        for (const [at, v] of edits) b[at % b.length] = v;
        return b.subarray(0, cut % (b.length + 1));
      });
    const input = fc.oneof(fc.uint8Array({ maxLength: 120 }).map((u) => Buffer.from(u)), mutated);
    fc.assert(
      fc.property(input, (buf) => {
        for (const decode of [decodeNegTokenInit, decodeNegTokenResp]) {
          try {
            decode(buf);
          } catch (e) {
            expect(e).toBeInstanceOf(SmbError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});
