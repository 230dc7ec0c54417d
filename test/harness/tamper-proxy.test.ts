// The tamper proxy on its own: framing split at every offset, NEGOTIATE rewrites that keep the
// layout of MS-SMB2 2.2.3 / 2.2.4, and one-shot rules against a fake server over real sockets.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  editNegotiateRequest,
  editNegotiateResponse,
  frame,
  FrameSplitter,
  NegotiateContextType,
  Smb2Command,
  splitCompound,
  startTamperProxy,
  type TamperProxy,
} from './tamper-proxy.js';

function header(command: number, opts: { response?: boolean; status?: number; next?: number } = {}): Buffer {
  const h = Buffer.alloc(64);
  h.write('\xfeSMB', 0, 'latin1');
  h.writeUInt16LE(64, 4);
  h.writeUInt32LE(opts.status ?? 0, 8);
  h.writeUInt16LE(command, 12);
  h.writeUInt32LE(opts.response ? 1 : 0, 16);
  h.writeUInt32LE(opts.next ?? 0, 20);
  return h;
}

function context(type: number, dataLength: number): Buffer {
  const c = Buffer.alloc(8 + dataLength, type);
  c.writeUInt16LE(type, 0);
  c.writeUInt16LE(dataLength, 2);
  c.writeUInt32LE(0, 4);
  return c;
}

/** A NEGOTIATE request with the given dialects and context lengths, laid out as MS-SMB2 2.2.3 says. */
function negotiateRequest(dialects: number[], contexts: Buffer[]): Buffer {
  const fixed = Buffer.alloc(36 + 2 * dialects.length);
  fixed.writeUInt16LE(36, 0);
  fixed.writeUInt16LE(dialects.length, 2);
  fixed.fill(0xab, 12, 28); // ClientGuid
  dialects.forEach((d, i) => fixed.writeUInt16LE(d, 36 + 2 * i));
  const parts = [header(Smb2Command.NEGOTIATE), fixed];
  let len = 64 + fixed.length;
  const offset = (len + 7) & ~7;
  for (const c of contexts) {
    const pad = ((len + 7) & ~7) - len;
    parts.push(Buffer.alloc(pad), c);
    len += pad + c.length;
  }
  const msg = Buffer.concat(parts);
  msg.writeUInt32LE(contexts.length > 0 ? offset : 0, 64 + 28);
  msg.writeUInt16LE(contexts.length, 64 + 32);
  return msg;
}

function contextTypes(msg: Buffer, offset: number, count: number): number[] {
  const out: number[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    expect(at % 8).toBe(0);
    out.push(msg.readUInt16LE(at));
    at = (at + 8 + msg.readUInt16LE(at + 2) + 7) & ~7;
  }
  expect(at).toBeGreaterThanOrEqual(msg.length);
  return out;
}

const ALL = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311];
const CONTEXTS = [context(1, 38), context(2, 6), context(8, 4), context(5, 9)];

describe('FrameSplitter', () => {
  it('yields the same messages however the stream is cut', () => {
    const msgs = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(300, 7), Buffer.from('xyz')];
    const stream = Buffer.concat(msgs.map(frame));
    for (let cut = 0; cut <= stream.length; cut++) {
      const s = new FrameSplitter();
      const got = [...s.push(stream.subarray(0, cut)), ...s.push(stream.subarray(cut))];
      expect(got).toEqual(msgs);
    }
  });

  it('refuses a stream that is not NetBIOS session messages', () => {
    expect(() => new FrameSplitter().push(Buffer.from([0x85, 0, 0, 0]))).toThrow(/NetBIOS/);
  });
});

describe('splitCompound', () => {
  it('follows NextCommand through a compound response', () => {
    const a = Buffer.concat([header(Smb2Command.CREATE, { response: true, next: 72 }), Buffer.alloc(8)]);
    const b = header(Smb2Command.READ, { response: true });
    const pdus = splitCompound(Buffer.concat([a, b]));
    expect(pdus.map((p) => [p.command, p.start, p.end, p.isResponse])).toEqual([
      [Smb2Command.CREATE, 0, 72, true],
      [Smb2Command.READ, 72, 136, true],
    ]);
  });
});

describe('editNegotiateRequest', () => {
  const original = negotiateRequest(ALL, CONTEXTS);

  it('strips every context and zeroes offset and count', () => {
    const out = editNegotiateRequest(original, { keepContext: () => false });
    expect(out?.length).toBe(64 + 36 + 10);
    expect(out?.readUInt32LE(64 + 28)).toBe(0);
    expect(out?.readUInt16LE(64 + 32)).toBe(0);
    expect(out?.subarray(0, 64 + 28)).toEqual(original.subarray(0, 64 + 28));
  });

  it('drops only the encryption context and keeps the rest aligned', () => {
    const out = editNegotiateRequest(original, { keepContext: (t) => t !== NegotiateContextType.ENCRYPTION_CAPABILITIES });
    if (out === undefined) throw new Error('not rewritten');
    const offset = out.readUInt32LE(64 + 28);
    expect(contextTypes(out, offset, out.readUInt16LE(64 + 32))).toEqual([1, 8, 5]);
  });

  it('rewrites the dialects: without 3.1.1 the contexts go, with it they move', () => {
    const only30 = editNegotiateRequest(original, { dialects: [0x0202, 0x0210, 0x0300] });
    expect(only30?.readUInt16LE(64 + 2)).toBe(3);
    expect(only30?.length).toBe(64 + 36 + 6);
    const two = editNegotiateRequest(original, { dialects: [0x0300, 0x0311] });
    if (two === undefined) throw new Error('not rewritten');
    expect([two.readUInt16LE(100), two.readUInt16LE(102)]).toEqual([0x0300, 0x0311]);
    expect(contextTypes(two, two.readUInt32LE(64 + 28), two.readUInt16LE(64 + 32))).toEqual([1, 2, 8, 5]);
  });

  it('leaves a message that is not a NEGOTIATE request alone', () => {
    expect(editNegotiateRequest(Buffer.alloc(80), {})).toBeUndefined();
  });
});

describe('editNegotiateResponse', () => {
  it('drops contexts after the security buffer of a 3.1.1 response', () => {
    const body = Buffer.alloc(64 + 20);
    body.writeUInt16LE(65, 0);
    body.writeUInt16LE(0x0311, 4);
    body.writeUInt16LE(2, 6);
    body.writeUInt16LE(128, 56); // SecurityBufferOffset: header + 64
    body.writeUInt16LE(20, 58);
    body.writeUInt32LE(152, 60); // 148 aligned up
    const msg = Buffer.concat([header(Smb2Command.NEGOTIATE, { response: true }), body, Buffer.alloc(4), context(1, 38), Buffer.alloc(2), context(2, 4)]);
    const out = editNegotiateResponse(msg, (t) => t !== NegotiateContextType.ENCRYPTION_CAPABILITIES);
    if (out === undefined) throw new Error('not rewritten');
    expect(out.readUInt16LE(64 + 6)).toBe(1);
    expect(contextTypes(out, out.readUInt32LE(64 + 60), 1)).toEqual([1]);
    const none = editNegotiateResponse(msg, () => false);
    expect(none?.length).toBe(148);
    expect(none?.readUInt32LE(64 + 60)).toBe(0);
  });
});

describe('startTamperProxy over sockets', () => {
  let fake: Server | undefined;
  let proxy: TamperProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await new Promise<void>((r) => (fake ? fake.close(() => r()) : r()));
  });

  /** A server that answers each request with a READ response whose body is 16 bytes of 0x11. */
  async function startFake(): Promise<number> {
    fake = createServer((s) => {
      const split = new FrameSplitter();
      s.on('data', (c: Buffer) => {
        for (const m of split.push(c)) s.write(frame(Buffer.concat([header(m.readUInt16LE(12), { response: true }), Buffer.alloc(16, 0x11)])));
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', () => r()));
    const a = fake.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  }

  function exchange(sock: Socket, count: number): Promise<Buffer[]> {
    const split = new FrameSplitter();
    const got: Buffer[] = [];
    return new Promise((resolve) => {
      sock.on('data', (c: Buffer) => {
        got.push(...split.push(c));
        if (got.length === count) resolve(got);
      });
      for (let i = 0; i < count; i++) sock.write(frame(header(Smb2Command.READ)));
    });
  }

  it('flips one byte in the Nth response of a command only, counts, and closes both sides', async () => {
    const port = await startFake();
    proxy = await startTamperProxy({ host: '127.0.0.1', port });
    proxy.flipByteInResponse({ command: Smb2Command.READ, nth: 2, offset: 70 });
    const sock = createConnection({ host: '127.0.0.1', port: proxy.port });
    const got = await exchange(sock, 3);
    expect(got.map((m) => m[70])).toEqual([0x11, 0xee, 0x11]);
    const c = proxy.counters();
    expect(c).toMatchObject({ connections: 1, requests: 3, responses: 3, tampered: 1 });
    expect(c.responsesByCommand['READ']).toBe(3);
    const closed = new Promise((r) => sock.on('close', r));
    await proxy.close();
    await closed;
  });
});

describe('hooks over sockets', () => {
  let echo: Server | undefined;
  let proxy: TamperProxy | undefined;
  const seenByServer: number[] = [];
  afterEach(async () => {
    await proxy?.close();
    await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
    seenByServer.length = 0;
  });

  /** Answers each request with a response of the same command and MessageId, body = 8 bytes of the id. */
  async function startEcho(): Promise<number> {
    echo = createServer((s) => {
      const split = new FrameSplitter();
      s.on('data', (c: Buffer) => {
        for (const m of split.push(c)) {
          const id = m.readBigUInt64LE(24);
          seenByServer.push(Number(id));
          const res = Buffer.concat([header(m.readUInt16LE(12), { response: true }), Buffer.alloc(8)]);
          res.writeBigUInt64LE(id, 24);
          res.writeBigUInt64LE(id, 64);
          s.write(frame(res));
        }
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => echo?.listen(0, '127.0.0.1', () => r()));
    const a = echo.address();
    return typeof a === 'object' && a !== null ? a.port : 0;
  }

  function request(command: number, id: number): Buffer {
    const h = header(command);
    h.writeBigUInt64LE(BigInt(id), 24);
    return frame(h);
  }

  /** Collects responses until `count` arrived or `ms` passed. */
  function collect(sock: Socket, count: number, ms = 2000): Promise<Buffer[]> {
    const split = new FrameSplitter();
    const got: Buffer[] = [];
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(got), ms);
      sock.on('data', (c: Buffer) => {
        got.push(...split.push(c));
        if (got.length >= count) {
          clearTimeout(timer);
          resolve(got);
        }
      });
    });
  }

  it('a response hook sees the request it answers and can replace, drop or double a response', async () => {
    proxy = await startTamperProxy({ host: '127.0.0.1', port: await startEcho() });
    const seen: string[] = [];
    proxy.onResponse((pdu, ctx) => {
      seen.push(`${ctx.request?.command}:${ctx.request?.messageId}:${ctx.nth}`);
      if (ctx.header.messageId === 1n) return 'drop';
      if (ctx.header.messageId === 2n) return [pdu, pdu];
      if (ctx.header.messageId !== 3n) return undefined;
      pdu[64] = 0x77;
      return pdu;
    });
    const sock = createConnection({ host: '127.0.0.1', port: proxy.port });
    const got = collect(sock, 3);
    for (const id of [1, 2, 3]) sock.write(request(Smb2Command.READ, id));
    const msgs = await got;
    expect(msgs.map((m) => [m.readBigUInt64LE(24), m[64]])).toEqual([
      [2n, 2],
      [2n, 2],
      [3n, 0x77],
    ]);
    expect(seen).toEqual([`${Smb2Command.READ}:1:1`, `${Smb2Command.READ}:2:2`, `${Smb2Command.READ}:3:3`]);
    sock.destroy();
  });

  it('a request hook answers a request itself (never forwarded) and injects later messages until the connection closes', async () => {
    proxy = await startTamperProxy({ host: '127.0.0.1', port: await startEcho() });
    let ticks = 0;
    proxy.onRequest((_pdu, ctx) => {
      if (ctx.header.command !== Smb2Command.QUERY_DIRECTORY) return undefined;
      ctx.every(20, () => void ticks++);
      ctx.toClient(Buffer.concat([header(Smb2Command.ECHO, { response: true }), Buffer.alloc(4)]), 30);
      return ctx.respond(0x80000006, Buffer.alloc(9));
    });
    const sock = createConnection({ host: '127.0.0.1', port: proxy.port });
    const got = collect(sock, 3);
    sock.write(request(Smb2Command.QUERY_DIRECTORY, 5));
    sock.write(request(Smb2Command.READ, 6));
    const msgs = await got;
    expect(msgs.map((m) => [m.readUInt16LE(12), m.readBigUInt64LE(24), m.readUInt32LE(8)])).toEqual([
      [Smb2Command.QUERY_DIRECTORY, 5n, 0x80000006],
      [Smb2Command.READ, 6n, 0],
      [Smb2Command.ECHO, 0n, 0],
    ]);
    expect(seenByServer).toEqual([6]);
    const closed = new Promise((r) => sock.on('close', r));
    sock.destroy();
    await closed;
    await new Promise((r) => setTimeout(r, 60));
    const after = ticks;
    await new Promise((r) => setTimeout(r, 100));
    expect(ticks).toBe(after);
    expect(after).toBeGreaterThan(0);
  });

  it('a compound response is split for the hooks and chained again, 8-byte aligned', async () => {
    echo = createServer((s) => {
      s.on('data', () => {
        const a = Buffer.concat([header(Smb2Command.CREATE, { response: true, next: 72 }), Buffer.alloc(8, 1)]);
        const b = Buffer.concat([header(Smb2Command.READ, { response: true }), Buffer.alloc(3, 2)]);
        s.write(frame(Buffer.concat([a, b])));
      });
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => echo?.listen(0, '127.0.0.1', () => r()));
    const a = echo.address();
    proxy = await startTamperProxy({ host: '127.0.0.1', port: typeof a === 'object' && a !== null ? a.port : 0 });
    // The CREATE grows by 3 bytes: the READ must move to the next 8-byte boundary.
    proxy.onResponse((pdu, ctx) => (ctx.header.command === Smb2Command.CREATE ? Buffer.concat([pdu, Buffer.alloc(3, 9)]) : undefined));
    const sock = createConnection({ host: '127.0.0.1', port: proxy.port });
    const got = collect(sock, 1);
    sock.write(request(Smb2Command.CREATE, 1));
    const [msg] = await got;
    if (msg === undefined) throw new Error('no response');
    expect(splitCompound(msg).map((p) => [p.command, p.start, p.end])).toEqual([
      [Smb2Command.CREATE, 0, 80],
      [Smb2Command.READ, 80, 147],
    ]);
    sock.destroy();
  });
});
