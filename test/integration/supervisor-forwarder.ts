// A TCP forwarder 127.0.0.1:port → Samba that a test can break like a network does: cut (stop
// listening, close every connection), blackhole (keep connections, drop their bytes, refuse new
// ones), close idle clients (a server-side idle disconnect), and restore on the same port.
import { createServer, connect, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class TcpForwarder {
  /** Connections accepted since start (each is one SMB connection of the client). */
  accepted = 0;
  private readonly pairs = new Set<Pair>();
  private server: Server | undefined;
  private blackholed = false;

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async start(targetPort: number, port = 0): Promise<TcpForwarder> {
    const f = new TcpForwarder(port, targetPort);
    const bound = await f.listen(port);
    (f as { port: number }).port = bound;
    return f;
  }

  /** The outage: nothing listens, every connection is closed (FIN). */
  async cut(): Promise<void> {
    await this.unlisten();
    for (const p of this.pairs) this.destroy(p);
  }

  /** A blackholed path: connections stay open but carry nothing; new connections are refused. */
  async blackhole(): Promise<void> {
    this.blackholed = true;
    await this.unlisten();
  }

  /** The server closes idle connections; the port keeps listening. */
  closeClients(): void {
    for (const p of this.pairs) this.destroy(p);
  }

  async restore(): Promise<void> {
    this.blackholed = false;
    for (const p of this.pairs) this.destroy(p);
    if (!this.server) await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.unlisten();
    for (const p of this.pairs) this.destroy(p);
  }

  private listen(port: number): Promise<number> {
    const server = createServer((client) => this.accept(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting at once; close()'s callback would wait for every open connection to end. */
  private async unlisten(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    s?.close();
  }

  private accept(client: Socket): void {
    this.accepted++;
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const forward = (from: Socket, to: Socket) => (chunk: Buffer) => {
      if (!this.blackholed && !to.destroyed) to.write(chunk);
    };
    client.on('data', forward(client, upstream));
    upstream.on('data', forward(upstream, client));
    const end = (): void => this.destroy(pair);
    for (const s of [client, upstream]) {
      s.on('error', end);
      s.on('close', end);
    }
  }

  private destroy(p: Pair): void {
    this.pairs.delete(p);
    p.client.destroy();
    p.upstream.destroy();
  }
}
