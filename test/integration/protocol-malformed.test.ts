// A server that talks nonsense must cost us one connection and a typed error, nothing more.
import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import { SmbClient, SmbError, MalformedMessageError } from '../../protocol/index.js';

let server: net.Server | undefined;

async function fakeServer(answer: (request: Buffer, socket: net.Socket) => void): Promise<number> {
  server = net.createServer((socket) => {
    socket.once('data', (d) => answer(d, socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

describe('malformed and unexpected packets', () => {
  it('garbage inside a valid frame is a MalformedMessageError', async () => {
    const port = await fakeServer((_req, s) => s.write(Buffer.from('00000008deadbeefdeadbeef', 'hex')));
    const err = await SmbClient.connect({ host: '127.0.0.1', port, timeoutMs: 3000 }).catch((e) => e);
    expect(err).toBeInstanceOf(MalformedMessageError);
  });

  it('a bad frame header closes the connection with a typed error', async () => {
    const port = await fakeServer((_req, s) => s.write(Buffer.from('ff000004fe534d42', 'hex')));
    const err = await SmbClient.connect({ host: '127.0.0.1', port, timeoutMs: 3000 }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err.code).toBe('malformed');
  });

  it('a response to a message we never sent is rejected', async () => {
    const port = await fakeServer((req, s) => {
      const msg = Buffer.from(req.subarray(4));
      msg.writeUInt32LE(1, 16); // SERVER_TO_REDIR
      msg.writeBigUInt64LE(99n, 24); // a MessageId we did not use
      const frame = Buffer.alloc(4);
      frame.writeUInt32BE(msg.length);
      s.write(Buffer.concat([frame, msg]));
    });
    const err = await SmbClient.connect({ host: '127.0.0.1', port, timeoutMs: 3000 }).catch((e) => e);
    expect(err).toBeInstanceOf(MalformedMessageError);
    expect(err.message).toMatch(/MessageId/);
  });

  it('a server that never answers is a timeout, not a hang', async () => {
    const port = await fakeServer(() => undefined);
    const started = Date.now();
    const err = await SmbClient.connect({ host: '127.0.0.1', port, timeoutMs: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a server that hangs up is a transport error', async () => {
    const port = await fakeServer((_req, s) => s.destroy());
    const err = await SmbClient.connect({ host: '127.0.0.1', port, timeoutMs: 3000 }).catch((e) => e);
    expect(err).toBeInstanceOf(SmbError);
    expect(err.code).toBe('transport');
  });
});
