// SMB1 signing against Samba with `server signing = mandatory` (MS-CIFS 3.1.5.1): sessions are signed,
// data moves intact, and a response changed on the way (one byte of READ_ANDX data, through a
// proxy) is refused as a security error rather than handed to the caller.
import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SmbClient, type SmbError } from '../../protocol/index.js';
import { startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';

let s: SambaServer;
let plain: SambaServer;

beforeAll(async () => {
  // `server signing = auto`: signing offered (NEGOTIATE_SECURITY_SIGNATURES_ENABLED), not required.
  [s, plain] = await Promise.all([startNt1Samba({ mode: 'signing' }), startNt1Samba({ extra: ['server signing = auto'] })]);
}, 120_000);
afterAll(async () => {
  await Promise.all([s?.stop(), plain?.stop()]);
});

const READ_ANDX = 0x2e;

/** An SMB1 READ_ANDX message (4-byte length prefix, then 0xFF 'SMB' and the command byte). */
const isReadAndx = (frame: Buffer): boolean => frame.readUInt32LE(4) === 0x424d53ff && frame[8] === READ_ANDX;

/**
 * A TCP proxy on 127.0.0.1 to `port`: requests pass as they come; each whole server message
 * (4-byte length prefix) goes to `onResponse`, which writes it to `client` or not. Closing it runs
 * `onClose`, then ends every connection and stops listening.
 */
async function responseProxy(port: number, onResponse: (frame: Buffer, client: Socket) => void, onClose = (): void => undefined): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((client) => {
    const upstream = netConnect(port, '127.0.0.1');
    sockets.push(client, upstream);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const len = pending.readUInt32BE(0) & 0xffffff;
        if (pending.length < 4 + len) break;
        const frame = Buffer.from(pending.subarray(0, 4 + len));
        pending = pending.subarray(4 + len);
        onResponse(frame, client);
      }
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return {
    port: typeof addr === 'object' && addr ? addr.port : 0,
    close: () => new Promise<void>((r) => {
      onClose();
      for (const x of sockets) x.destroy();
      server.close(() => r());
    }),
  };
}

/** A TCP proxy to `port` that, while `tamper.on`, flips the last byte of every SMB1 READ_ANDX answer. */
async function flipProxy(port: number): Promise<{ port: number; tamper: { on: boolean; flipped: number }; close: () => Promise<void> }> {
  const tamper = { on: false, flipped: 0 };
  const proxy = await responseProxy(port, (frame, client) => {
    if (tamper.on && isReadAndx(frame) && frame.length - 4 > 200) {
      frame[frame.length - 1]! ^= 0x01;
      tamper.flipped++;
    }
    client.write(frame);
  });
  return { ...proxy, tamper };
}

/** A TCP proxy to `port` that, while `hold.on`, keeps the next READ_ANDX answer back for `hold.ms`. */
async function holdProxy(port: number): Promise<{ port: number; hold: { on: boolean; ms: number; held: number; released: number }; close: () => Promise<void> }> {
  const hold = { on: false, ms: 0, held: 0, released: 0 };
  const timers: NodeJS.Timeout[] = [];
  const onResponse = (frame: Buffer, client: Socket): void => {
    if (!hold.on || !isReadAndx(frame)) return void client.write(frame);
    hold.on = false;
    hold.held++;
    timers.push(setTimeout(() => {
      hold.released++;
      if (!client.destroyed) client.write(frame);
    }, hold.ms));
  };
  const proxy = await responseProxy(port, onResponse, () => {
    for (const t of timers) clearTimeout(t);
  });
  return { ...proxy, hold };
}

describe('SMB1 signing', () => {
  it('a READ past its deadline fails alone (NT_CANCEL, ECHO): the signed session goes on, its late answer dropped', async () => {
    const proxy = await holdProxy(s.port);
    const c = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, allowSmb1: true, timeoutMs: 700 });
    try {
      const session = await c.login({ kind: 'user', user: s.user, password: s.password });
      expect(session.isSigned).toBe(true);
      const t = await session.connectTree('private');
      await t.writeFile('slow.bin', Buffer.alloc(200_000, 0x42));
      const f = await t.open('slow.bin');
      try {
        Object.assign(proxy.hold, { on: true, ms: 1500 });
        await expect(f.readAt(0, 1000)).rejects.toMatchObject({ code: 'timeout' });
        expect(proxy.hold.held).toBe(1);
        expect(c.closed).toBe(false);
        // Signed requests after the NT_CANCEL verify: the sequence numbers agree with Samba's.
        expect((await f.readAt(100, 50)).equals(Buffer.alloc(50, 0x42))).toBe(true);
        await c.echo();
        // The held answer arrives late and is dropped without harm.
        await new Promise((r) => setTimeout(r, 1000));
        expect(proxy.hold.released).toBe(1);
        expect(c.closed).toBe(false);
        expect((await t.readFile('slow.bin')).equals(Buffer.alloc(200_000, 0x42))).toBe(true);
      } finally {
        await f.close();
      }
    } finally {
      await c.close();
      await proxy.close();
    }
  });

  it('a server that requires signing gets a signed session; data round-trips', async () => {
    const c = await SmbClient.connect({ host: '127.0.0.1', port: s.port, allowSmb1: true });
    try {
      const session = await c.login({ kind: 'user', user: s.user, password: s.password });
      expect(session.isSigned).toBe(true);
      const t = await session.connectTree('private');
      const data = Buffer.alloc(3 * 1024 * 1024 + 17);
      for (let i = 0; i + 4 <= data.length; i += 4) data.writeUInt32LE(i, i);
      await t.writeFile('signed.bin', data);
      expect((await t.readFile('signed.bin')).equals(data)).toBe(true);
      expect(await s.smbstatus(['-b'])).toContain('NT1');
    } finally {
      await c.close();
    }
  });

  it('a READ_ANDX answer changed on the way fails with a security error; nothing altered is returned', async () => {
    const proxy = await flipProxy(s.port);
    const c = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, allowSmb1: true });
    try {
      const session = await c.login({ kind: 'user', user: s.user, password: s.password });
      const t = await session.connectTree('private');
      await t.writeFile('victim.bin', Buffer.alloc(100_000, 0x41));
      proxy.tamper.on = true;
      const e = (await t.readFile('victim.bin').then(() => undefined, (x: unknown) => x)) as SmbError | undefined;
      expect(proxy.tamper.flipped).toBeGreaterThan(0);
      expect(e?.code).toBe('security');
      expect(e?.message).toMatch(/bad signature on SMB_COM_READ_ANDX/);
      expect(c.closed).toBe(true);
    } finally {
      await c.close();
      await proxy.close();
    }
  });

  it('the same change without signing goes unnoticed by SMB1 itself: why signing matters', async () => {
    const proxy = await flipProxy(plain.port);
    const c = await SmbClient.connect({ host: '127.0.0.1', port: proxy.port, allowSmb1: true });
    try {
      const session = await c.login({ kind: 'user', user: plain.user, password: plain.password });
      expect(session.isSigned).toBe(false);
      const t = await session.connectTree('private');
      await t.writeFile('v.bin', Buffer.alloc(100_000, 0x41));
      proxy.tamper.on = true;
      expect((await t.readFile('v.bin')).equals(Buffer.alloc(100_000, 0x41))).toBe(false);
    } finally {
      await c.close();
      await proxy.close();
    }
  });

  it('requireSigning on a server that merely allows it: the session is signed', async () => {
    const c = await SmbClient.connect({ host: '127.0.0.1', port: plain.port, allowSmb1: true, requireSigning: true });
    try {
      const session = await c.login({ kind: 'user', user: plain.user, password: plain.password });
      expect(session.isSigned).toBe(true);
      const t = await session.connectTree('private');
      await t.writeFile('s.txt', Buffer.from('signed on request'));
      expect((await t.readFile('s.txt')).toString()).toBe('signed on request');
    } finally {
      await c.close();
    }
  });

  it('encryption cannot be had on SMB1: refused, never plaintext', async () => {
    const c = await SmbClient.connect({ host: '127.0.0.1', port: plain.port, allowSmb1: true, encrypt: true });
    try {
      await expect(c.login({ kind: 'user', user: plain.user, password: plain.password })).rejects.toMatchObject({ code: 'security' });
    } finally {
      await c.close();
    }
  });
});
