// The multi-protocol NEGOTIATE (MS-SMB2 3.2.4.2.1) over a scripted transport: what we offer, and
// where each kind of answer leads (SMB1 client; SMB2 NEGOTIATE as message 1 after 0x02FF; the held
// 0x0202 answer replayed; an SMB1-only server named when SMB1 is not allowed).
import { describe, expect, it } from 'vitest';
import type { SmbClient } from '../client/api.js';
import type { ConnectOptions } from '../client/types.js';
import { SmbError } from '../errors.js';
import { encodeNegotiateResponse } from '../smb2/commands/negotiate.js';
import { Smb2Command } from '../smb2/constants.js';
import { encodeHeader as encodeSmb2Header } from '../smb2/header.js';
import { ScriptedTransport } from '../smb2/scripted-transport.test-helpers.js';
import type { TransportEvents, TransportFactory } from '../transport/transport.js';
import { DIALECT_NT1, SMB_FLAGS2_EXTENDED_SECURITY } from './constants.js';
import { CHALLENGE, EXTENDED } from './commands/negotiate.test-data.js';
import type { Smb1Client } from './client/smb1-client.js';
import { withSmb1Forcing } from './forcing.js';
import { SMB1_ONLY_MESSAGE, connectAny, type Smb2Starter } from './connect-any.js';

function smb2Negotiate(dialect: number, messageId = 0n): Buffer {
  const header = encodeSmb2Header({ creditCharge: 0, status: 0, command: Smb2Command.NEGOTIATE, credits: 1, flags: 1, nextCommand: 0, messageId, treeId: 0, sessionId: 0n });
  const body = encodeNegotiateResponse({ securityMode: 1, dialect, serverGuid: Buffer.alloc(16, 1), capabilities: 0, maxTransactSize: 65536, maxReadSize: 65536, maxWriteSize: 65536, systemTime: 0n, serverStartTime: 0n, securityBuffer: Buffer.alloc(0), contexts: [] });
  return Buffer.concat([header, body]);
}

/** A transport factory whose server answers the first message with `first`. */
function server(first: Buffer | ((sent: Buffer) => Buffer | undefined)) {
  const transports: ScriptedTransport[] = [];
  let events: TransportEvents | undefined;
  const factory: TransportFactory = async (_o, ev) => {
    const t = new ScriptedTransport();
    transports.push(t);
    events = ev;
    t.onSend = (msg) => {
      const a = typeof first === 'function' ? first(msg) : first;
      if (a) queueMicrotask(() => events?.onFrame(a));
    };
    return t;
  };
  return { factory, transports };
}

const dialectsOffered = (msg: Buffer): string[] => msg.subarray(35).toString('latin1').split('\x02').filter(Boolean).map((d) => d.replace(/\0$/, ''));

describe('connectAny', () => {
  it('allowSmb1: one NEGOTIATE offers NT LM 0.12, SMB 2.002 and SMB 2.???; an SMB1 answer gives an SMB1 client', async () => {
    const s = server(EXTENDED);
    const smb2: Smb2Starter = () => Promise.reject(new Error('not SMB2'));
    const c = await connectAny({ host: 'h', allowSmb1: true, transport: s.factory }, smb2);
    expect(c.dialect).toBe(DIALECT_NT1);
    expect(dialectsOffered(s.transports[0]!.sent[0]!)).toEqual(['NT LM 0.12', 'SMB 2.002', 'SMB 2.???']);
    await c.close();
  });

  it("allowSmb1 'only' offers NT LM 0.12 alone; a narrowed SMB2 range leaves out what it excludes", async () => {
    const only = server(EXTENDED);
    await (await connectAny({ host: 'h', allowSmb1: 'only', transport: only.factory }, () => Promise.reject(new Error()))).close();
    expect(dialectsOffered(only.transports[0]!.sent[0]!)).toEqual(['NT LM 0.12']);
    const min21 = server(EXTENDED);
    await (await connectAny({ host: 'h', allowSmb1: true, minDialect: 0x0210, transport: min21.factory }, () => Promise.reject(new Error()))).close();
    expect(dialectsOffered(min21.transports[0]!.sent[0]!)).toEqual(['NT LM 0.12', 'SMB 2.???']);
  });

  it('an SMB2 answer with 0x02FF: the SMB2 client takes over the same connection from message 1', async () => {
    const s = server(smb2Negotiate(0x02ff));
    let seen: { opts: ConnectOptions; firstMessageId: bigint | undefined } | undefined;
    const fake = { dialect: 0x0311 } as SmbClient;
    const c = await connectAny({ host: 'h', allowSmb1: true, transport: s.factory }, async (opts, internal) => {
      seen = { opts, firstMessageId: internal.firstMessageId };
      const t = await opts.transport!({ host: 'h', port: 445, timeoutMs: 1000 }, { onFrame: () => undefined, onClose: () => undefined });
      expect(t).toBe(s.transports[0]);
      return fake;
    });
    expect(c).toBe(fake);
    expect(seen?.firstMessageId).toBe(1n);
    expect(s.transports).toHaveLength(1);
  });

  it('an SMB2 answer with 0x0202 is the SMB 2.0.2 NEGOTIATE answer: replayed for the client\'s own NEGOTIATE, not sent on', async () => {
    const s = server((msg) => (msg[0] === 0xff ? smb2Negotiate(0x0202) : undefined));
    const fake = { dialect: 0x0202 } as SmbClient;
    const c = await connectAny({ host: 'h', allowSmb1: true, transport: s.factory }, async (opts) => {
      const frames: Buffer[] = [];
      const t = await opts.transport!({ host: 'h', port: 445, timeoutMs: 1000 }, { onFrame: (f) => frames.push(f), onClose: () => undefined });
      const negotiate = encodeSmb2Header({ creditCharge: 0, status: 0, command: Smb2Command.NEGOTIATE, credits: 1, flags: 0, nextCommand: 0, messageId: 0n, treeId: 0, sessionId: 0n });
      t.send([negotiate, Buffer.alloc(36)]);
      await new Promise((r) => setTimeout(r, 0));
      expect(frames).toHaveLength(1);
      expect(frames[0]!.readBigUInt64LE(24)).toBe(0n);
      expect(frames[0]!.readUInt16LE(64 + 4)).toBe(0x0202);
      t.send([Buffer.from('next')]);
      return fake;
    });
    expect(c).toBe(fake);
    expect(s.transports[0]!.sent.map((m) => m[0])).toEqual([0xff, 'n'.charCodeAt(0)]); // the SMB2 NEGOTIATE never left
  });

  it('test-only forcing: NEGOTIATE without SMB_FLAGS2_EXTENDED_SECURITY; an extended answer anyway fails; OPEN_ANDX on request', async () => {
    const plain = server(CHALLENGE);
    const c = await connectAny(withSmb1Forcing({ host: 'h', allowSmb1: 'only', transport: plain.factory }, { nonExtendedSecurity: true }), () => Promise.reject(new Error()));
    expect(plain.transports[0]!.sent[0]!.readUInt16LE(10) & SMB_FLAGS2_EXTENDED_SECURITY).toBe(0);
    expect((c as Smb1Client).negotiated).toMatchObject({ extendedSecurity: false, openAndX: false });
    await c.close();
    const ordinary = server(EXTENDED);
    const o = await connectAny(withSmb1Forcing({ host: 'h', allowSmb1: 'only', transport: ordinary.factory }, { openAndX: true }), () => Promise.reject(new Error()));
    expect(ordinary.transports[0]!.sent[0]!.readUInt16LE(10) & SMB_FLAGS2_EXTENDED_SECURITY).toBe(SMB_FLAGS2_EXTENDED_SECURITY);
    expect((o as Smb1Client).negotiated).toMatchObject({ extendedSecurity: true, openAndX: true });
    await o.close();
    const insists = server(EXTENDED);
    await expect(connectAny(withSmb1Forcing({ host: 'h', allowSmb1: 'only', transport: insists.factory }, { nonExtendedSecurity: true }), () => Promise.reject(new Error()))).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('without allowSmb1 a server that hangs up on SMB2 but answers SMB1 is named: security', async () => {
    const s = server(EXTENDED);
    const smb2: Smb2Starter = () => Promise.reject(new SmbError('transport', 'connection closed by the server', { operation: 'receive' }));
    await expect(connectAny({ host: 'h', transport: s.factory }, smb2)).rejects.toMatchObject({ code: 'security', message: SMB1_ONLY_MESSAGE });
    expect(dialectsOffered(s.transports[0]!.sent[0]!)).toEqual(['NT LM 0.12']);
  });

  it('without allowSmb1 a server that refuses the SMB2 NEGOTIATE (impacket) but answers SMB1 is named too', async () => {
    const s = server(EXTENDED);
    const smb2: Smb2Starter = () => Promise.reject(new SmbError('unsupported', 'server refused to negotiate: NT_STATUS_NOT_SUPPORTED', { operation: 'negotiate' }));
    await expect(connectAny({ host: 'h', transport: s.factory }, smb2)).rejects.toMatchObject({ code: 'security', message: SMB1_ONLY_MESSAGE });
  });

  it('without allowSmb1 other failures stay what they are, and an unreachable server is not asked twice', async () => {
    const s = server(EXTENDED);
    await expect(connectAny({ host: 'h', transport: s.factory }, () => Promise.reject(new SmbError('timeout', 'slow')))).rejects.toMatchObject({ code: 'timeout' });
    await expect(connectAny({ host: 'h', transport: s.factory }, () => Promise.reject(new SmbError('transport', 'refused', { operation: 'connect' })))).rejects.toMatchObject({ code: 'transport' });
    expect(s.transports).toHaveLength(0);
    const smb2only = server(smb2Negotiate(0x0311));
    await expect(connectAny({ host: 'h', transport: smb2only.factory }, () => Promise.reject(new SmbError('transport', 'closed')))).rejects.toMatchObject({ code: 'transport' });
  });
});
