// Property tests: whatever bytes arrive, the rpc/ decoders only ever throw our typed errors, and valid
// messages survive any fragmentation and any way the pipe chunks them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { peekFragLength } from './dcerpc-header.js';
import { decodeBindAck, decodeResponseFragment, encodeRequest, ResponseAssembler } from './dcerpc-pdu.js';
import { NdrReader } from './ndr.js';
import { FakePipe, fragmentResponse, shareEnumResponseStub, SRVSVC_BIND_ACK } from './rpc-test-helpers.js';
import { listSharesOverPipe } from './share-enum.js';
import { decodeNetShareEnumAllResponse, encodeNetShareEnumAllRequest } from './srvsvc.js';

const RUNS = { numRuns: 300 };

function onlySmbErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof SmbError)) throw e;
  }
}

async function onlySmbErrorsAsync(f: () => Promise<unknown>): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof SmbError)) throw e;
  }
}

const VALID_RESPONSE_STUB = shareEnumResponseStub([
  { name: 'public', type: 0, comment: 'Public files' },
  { name: 'IPC$', type: 0x80000003, comment: 'IPC Service' },
]);
const VALID_RESPONSE = fragmentResponse(2, VALID_RESPONSE_STUB, 32);

/** A valid message with a few bytes overwritten and maybe cut short. */
function mutated(base: Buffer): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(base.length))
    .map(([edits, cut]) => {
      const b = Buffer.from(base);
      for (const [at, v] of edits) b[at] = v;
      return b.subarray(0, cut === 0 ? b.length : cut);
    });
}

const randomBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
/** Random bytes behind a plausible header, so the fuzz reaches past the version checks. */
const headerThenRandom = fc
  .tuple(fc.constantFrom(0, 2, 3, 12, 13), fc.nat(3), fc.uint8Array({ maxLength: 200 }))
  .map(([ptype, flags, rest]) => {
    const b = Buffer.concat([Buffer.from([5, 0, ptype, flags, 0x10, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0]), Buffer.from(rest)]);
    b.writeUInt16LE(b.length, 8);
    return b;
  });

describe('decoders only throw SmbError', () => {
  const inputs = (base: Buffer): fc.Arbitrary<Buffer> => fc.oneof(randomBytes, headerThenRandom, mutated(base));

  it('decodeBindAck', () => {
    fc.assert(fc.property(inputs(SRVSVC_BIND_ACK), (b) => onlySmbErrors(() => decodeBindAck(b))), RUNS);
  });

  it('decodeResponseFragment and ResponseAssembler', () => {
    fc.assert(
      fc.property(fc.array(inputs(VALID_RESPONSE[0] as Buffer), { minLength: 1, maxLength: 4 }), (frags) => {
        onlySmbErrors(() => decodeResponseFragment(frags[0] as Buffer));
        const a = new ResponseAssembler(2);
        onlySmbErrors(() => frags.forEach((f) => a.push(f)));
      }),
      RUNS,
    );
  });

  it('peekFragLength', () => {
    fc.assert(fc.property(randomBytes, (b) => onlySmbErrors(() => peekFragLength(b))), RUNS);
  });

  it('decodeNetShareEnumAllResponse', () => {
    fc.assert(fc.property(fc.oneof(randomBytes, mutated(VALID_RESPONSE_STUB)), (b) => onlySmbErrors(() => decodeNetShareEnumAllResponse(b))), RUNS);
  });

  it('NdrReader.wideString', () => {
    fc.assert(fc.property(randomBytes, (b) => onlySmbErrors(() => new NdrReader(b, 'fuzz').wideString('s'))), RUNS);
  });

  it('listSharesOverPipe against a server sending damaged bytes', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(SRVSVC_BIND_ACK), mutated(Buffer.concat(VALID_RESPONSE)), fc.integer({ min: 1, max: 200 }), async (ack, resp, chunk) => {
        await onlySmbErrorsAsync(() => listSharesOverPipe(new FakePipe([ack, resp], chunk), 'srv'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('fragmentation properties', () => {
  const share = fc.record({
    name: fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\0')),
    type: fc.constantFrom(0, 1, 2, 3, 0x80000000, 0x80000003, 0x40000000),
    comment: fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')),
  });

  it('any share list, any response fragment size, any pipe chunking: same shares out', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(share, { maxLength: 8 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 500 }), async (shares, fragStub, chunk) => {
        const stream = Buffer.concat(fragmentResponse(2, shareEnumResponseStub(shares), fragStub));
        const got = await listSharesOverPipe(new FakePipe([SRVSVC_BIND_ACK, stream], chunk), 'srv');
        expect(got.map(({ name, type, comment }) => ({ name, type, comment }))).toEqual(shares);
      }),
      { numRuns: 100 },
    );
  });

  it('request fragments carry the whole stub in order, each within max_xmit_frag', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 32, max: 2000 }), (stub, max) => {
        const frags = encodeRequest({ callId: 1, contextId: 0, opnum: 15, stub: Buffer.from(stub), maxXmitFrag: max });
        expect(frags.every((f) => f.length <= max && f.readUInt16LE(8) === f.length)).toBe(true);
        expect(Buffer.concat(frags.map((f) => f.subarray(24)))).toEqual(Buffer.from(stub));
        expect(frags.map((f) => (f[3] ?? 0) & 3)).toEqual(frags.length === 1 ? [3] : [1, ...Array<number>(frags.length - 2).fill(0), 2]);
      }),
      RUNS,
    );
  });

  it('the request stub for any server name decodes back through NDR', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\0')), (host) => {
        const r = new NdrReader(encodeNetShareEnumAllRequest(host), 'req');
        expect(r.pointer('ServerName')).not.toBe(0);
        expect(r.wideString('ServerName')).toBe(host.startsWith('\\\\') ? host : `\\\\${host}`);
      }),
      RUNS,
    );
  });
});
