import { describe, expect, it } from 'vitest';
import { MalformedMessageError } from '../errors.js';
import { encodeRequest } from './dcerpc-pdu.js';
import { hex, shareEnumResponseStub } from './rpc-test-helpers.js';
import {
  decodeNetShareEnumAllResponse,
  encodeNetShareEnumAllRequest,
  OPNUM_NETR_SHARE_ENUM,
  shareTypeOf,
  STYPE_DISKTREE,
  STYPE_IPC,
  STYPE_SPECIAL,
  werrorName,
} from './srvsvc.js';

const REQUEST_STUB = hex(`
  00 00 02 00               // ServerName: unique pointer, referent id 0x00020000
  06 00 00 00               //   max_count 6 (5 characters + NUL)
  00 00 00 00               //   offset 0
  06 00 00 00               //   actual_count 6
  5c 00 5c 00 73 00 72 00   //   "\\\\sr"
  76 00 00 00               //   "v" NUL          (offset 28: already 4-aligned)
  01 00 00 00               // InfoStruct.Level 1 ([ref] top-level pointer: no referent id)
  01 00 00 00               // ShareInfo union discriminant 1
  04 00 02 00               // ShareInfo.Level1: referent id 0x00020004
  00 00 00 00               //   SHARE_INFO_1_CONTAINER.EntriesRead 0
  00 00 00 00               //   SHARE_INFO_1_CONTAINER.Buffer NULL
  ff ff ff ff               // PreferedMaximumLength MAX_PREFERRED_LENGTH
  08 00 02 00               // ResumeHandle: unique pointer, referent id 0x00020008
  00 00 00 00               //   *ResumeHandle 0
`);

describe('NetrShareEnum request (MS-SRVS 3.1.4.8)', () => {
  it('marshals level 1 with a NULL buffer and a zero resume handle', () => {
    expect(encodeNetShareEnumAllRequest('srv')).toEqual(REQUEST_STUB);
    expect(encodeNetShareEnumAllRequest('\\\\srv')).toEqual(REQUEST_STUB);
  });

  it('travels in one request PDU with opnum 15', () => {
    const [pdu] = encodeRequest({ callId: 2, contextId: 0, opnum: OPNUM_NETR_SHARE_ENUM, stub: REQUEST_STUB });
    expect(pdu).toEqual(
      Buffer.concat([
        hex(`
          05 00 00 03 10 00 00 00   // vers 5.0, request, first|last, drep LE/ASCII/IEEE
          54 00 00 00               // frag_length 84 (24 + 60), auth_length 0
          02 00 00 00               // call_id 2
          3c 00 00 00               // alloc_hint 60
          00 00 0f 00               // p_cont_id 0, opnum 15
        `),
        REQUEST_STUB,
      ]),
    );
  });
});

const THREE_SHARES = hex(`
  01 00 00 00               // InfoStruct.Level 1
  01 00 00 00               // union discriminant 1
  00 00 02 00               // Level1 referent
  03 00 00 00               //   EntriesRead 3
  04 00 02 00               //   Buffer referent
  03 00 00 00               //   conformant array max_count 3
  08 00 02 00 00 00 00 00 0c 00 02 00   // [0] netname ptr, STYPE_DISKTREE, remark ptr
  10 00 02 00 03 00 00 80 14 00 02 00   // [1] netname ptr, STYPE_IPC|STYPE_SPECIAL, remark ptr
  18 00 02 00 00 00 00 00 1c 00 02 00   // [2] netname ptr, STYPE_DISKTREE, remark ptr
  07 00 00 00 00 00 00 00 07 00 00 00   // [0] netname: 7 units
  70 00 75 00 62 00 6c 00 69 00 63 00 00 00   // "public" NUL
  00 00                                       // pad to 4
  0d 00 00 00 00 00 00 00 0d 00 00 00   // [0] remark: 13 units
  50 00 75 00 62 00 6c 00 69 00 63 00 20 00 66 00 69 00 6c 00 65 00 73 00 00 00   // "Public files" NUL
  00 00                                 // pad
  05 00 00 00 00 00 00 00 05 00 00 00   // [1] netname: 5 units
  49 00 50 00 43 00 24 00 00 00         // "IPC$" NUL
  00 00                                 // pad
  0c 00 00 00 00 00 00 00 0c 00 00 00   // [1] remark: 12 units
  49 00 50 00 43 00 20 00 53 00 65 00 72 00 76 00 69 00 63 00 65 00 00 00   // "IPC Service" NUL
  07 00 00 00 00 00 00 00 07 00 00 00   // [2] netname: 7 units
  5a 00 fc 00 72 00 69 00 63 00 68 00 00 00   // "Zürich" NUL
  00 00                                       // pad
  09 00 00 00 00 00 00 00 09 00 00 00   // [2] remark: 9 units (the camera is two)
  46 00 6f 00 74 00 6f 00 73 00 20 00 3d d8 f7 dc 00 00   // "Fotos 📷" NUL (U+1F4F7 as a surrogate pair)
  00 00                                 // pad
  03 00 00 00               // TotalEntries 3
  20 00 02 00               // ResumeHandle referent
  00 00 00 00               //   *ResumeHandle 0
  00 00 00 00               // WERROR: WERR_OK
`);

describe('NetrShareEnum response (MS-SRVS 3.1.4.8, 2.2.4.23)', () => {
  it('decodes three shares, including IPC$ and Unicode names and comments', () => {
    expect(decodeNetShareEnumAllResponse(THREE_SHARES)).toEqual({
      shares: [
        { name: 'public', type: STYPE_DISKTREE, comment: 'Public files' },
        { name: 'IPC$', type: (STYPE_IPC | STYPE_SPECIAL) >>> 0, comment: 'IPC Service' },
        { name: 'Zürich', type: STYPE_DISKTREE, comment: 'Fotos 📷' },
      ],
      totalEntries: 3,
      resumeHandle: 0,
      result: 0,
    });
  });

  it('matches the test helper that builds stubs the same way', () => {
    const shares = [
      { name: 'public', type: 0, comment: 'Public files' },
      { name: 'IPC$', type: 0x80000003, comment: 'IPC Service' },
      { name: 'Zürich', type: 0, comment: 'Fotos 📷' },
    ];
    expect(decodeNetShareEnumAllResponse(shareEnumResponseStub(shares)).shares).toEqual(shares);
  });

  it('decodes an empty list and a failing WERROR', () => {
    const r = decodeNetShareEnumAllResponse(shareEnumResponseStub([], 5));
    expect(r).toMatchObject({ shares: [], totalEntries: 0, result: 5 });
    expect(werrorName(r.result)).toBe('WERR_ACCESS_DENIED');
    expect(werrorName(0x1234)).toBe('WERR_0x00001234');
  });

  it('rejects a level it did not ask for, a lying count, and truncation', () => {
    const wrongLevel = Buffer.from(THREE_SHARES);
    wrongLevel.writeUInt32LE(2, 0);
    expect(() => decodeNetShareEnumAllResponse(wrongLevel)).toThrow(/Level/);
    const hugeCount = Buffer.from(THREE_SHARES);
    hugeCount.writeUInt32LE(0x10000000, 20);
    hugeCount.writeUInt32LE(0x10000000, 12);
    expect(() => decodeNetShareEnumAllResponse(hugeCount)).toThrow(/cannot fit/);
    for (let cut = 0; cut < THREE_SHARES.length; cut += 7) {
      expect(() => decodeNetShareEnumAllResponse(THREE_SHARES.subarray(0, cut))).toThrow(MalformedMessageError);
    }
  });
});

describe('share types (MS-SRVS 2.2.2.4)', () => {
  it('names the base type and the special/temporary bits', () => {
    expect(shareTypeOf(0)).toEqual({ type: 'disk', special: false });
    expect(shareTypeOf(1)).toEqual({ type: 'printer', special: false });
    expect(shareTypeOf(2)).toEqual({ type: 'device', special: false });
    expect(shareTypeOf(0x80000003)).toEqual({ type: 'ipc', special: true });
    expect(shareTypeOf(0x80000000)).toEqual({ type: 'disk', special: true }); // C$, ADMIN$
    expect(shareTypeOf(0x40000000)).toEqual({ type: 'disk', special: true }); // temporary
    expect(shareTypeOf(0x02000000)).toEqual({ type: 'disk', special: false }); // STYPE_CLUSTER_FS
  });
});
