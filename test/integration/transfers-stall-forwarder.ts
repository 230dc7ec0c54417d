// A TCP forwarder in front of Samba that, once told to (or once enough bytes went by), keeps
// accepting connections and completing the handshake but never answers anything else: the server
// of issue 7 that "accepts TCP and then stops answering". It reads the NetBIOS framing
// (MS-SMB2 2.1: a zero byte and a 3-byte length) of the server's side, so it can drop whole
// responses and still forward NEGOTIATE, SESSION_SETUP and TREE_CONNECT answers on new connections.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** SMB2 commands (MS-SMB2 2.2.1.2) whose responses still go through once stalled. */
const HANDSHAKE = new Set([0x0000 /* NEGOTIATE */, 0x0001 /* SESSION_SETUP */, 0x0003 /* TREE_CONNECT */]);

export class StallingForwarder {
  port = 0;
  /** Bytes of responses forwarded to the client. */
  bytesToClient = 0;
  /** Connections accepted so far. */
  accepted = 0;
  /** Once stalled: responses dropped (anything but the handshake). */
  dropped = 0;
  private stalled = false;
  private stallAt = Infinity;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const addr = server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
    return this.port;
  }

  /** From now on only handshake responses reach the client, on old and new connections alike. */
  stall(): void {
    this.stalled = true;
  }

  /** Stalls by itself once this many response bytes have been forwarded. */
  stallAfter(bytes: number): void {
    this.stallAt = bytes;
  }

  get isStalled(): boolean {
    return this.stalled;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  private accept(client: Socket): void {
    this.accepted++;
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream);
    let pending: Buffer = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const size = pending.readUInt32BE(0) & 0x00ffffff;
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(0, 4 + size);
        pending = pending.subarray(4 + size);
        this.forward(client, frame);
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private forward(client: Socket, frame: Buffer): void {
    if (!this.stalled && this.bytesToClient >= this.stallAt) this.stalled = true;
    if (this.stalled && !isHandshake(frame)) {
      this.dropped++;
      return;
    }
    this.bytesToClient += frame.length;
    if (!client.destroyed) client.write(frame);
  }
}

/** A plain SMB2 header (0xFE 'SMB') whose Command (offset 12) is part of the handshake. */
function isHandshake(frame: Buffer): boolean {
  if (frame.length < 4 + 64 || frame.readUInt32BE(4) !== 0xfe534d42) return false;
  return HANDSHAKE.has(frame.readUInt16LE(4 + 12));
}
