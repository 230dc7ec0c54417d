// Helpers for the transfer-queue suites: a cuttable TCP forwarder in front of Samba, a queue
// wired to a drive over our client, and waiting for queue events with a deadline.
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LocalTransferQueue, SimpleTreeProvider, smbShareConnector, type TransferEventName, type TransferEvents, type TransferJob } from '../../main/transfers/index.js';
import type { SambaServer } from '../harness/samba-server.js';
import { userCreds } from './client-helpers.js';

export class TcpForwarder {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Set by holdServerSide(): a client that goes away leaves its Samba connection open and unread. */
  private holding = false;
  private readonly held = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  /** Bytes sent from Samba to the client since the last reset. */
  bytesToClient = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      this.clients.add(client);
      client.on('close', () => this.clients.delete(client));
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      upstream.on('data', (d: Buffer) => (this.bytesToClient += d.length));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => {
        if (!this.holding) return void upstream.destroy();
        // Samba sees nothing: no FIN, no RST, and what it sends piles up unread.
        client.unpipe(upstream);
        upstream.unpipe(client);
        upstream.pause();
        this.held.add(upstream);
      });
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    const addr = server.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
    return this.port;
  }

  /** Drops every connection and stops listening: the drive is unreachable (connection refused). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /**
   * Drops every connection on our side only, as a network that goes away does: Samba keeps its end
   * open (it has not noticed) until releaseServerSide(). Stops listening like cut().
   */
  async cutClientSide(): Promise<void> {
    this.holding = true;
    const server = this.server;
    this.server = undefined;
    for (const s of this.clients) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Closes the Samba connections cutClientSide() kept: the server notices they are gone. */
  releaseServerSide(): void {
    this.holding = false;
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  async restore(): Promise<void> {
    await this.listen();
  }
}

export interface QueueRig {
  queue: LocalTransferQueue;
  provider: SimpleTreeProvider;
  close(): Promise<void>;
}

/**
 * `endsOldSession: false`: each connection logs on without naming the last session
 * (PreviousSessionId), as after a restart of the app, so a server that has not noticed the old
 * connection died keeps it and its opens; the ClientGuid is still the same for every connection.
 */
export async function queueFor(server: SambaServer, configDir: string, opts: { port?: number; progressIntervalMs?: number; endsOldSession?: false } = {}): Promise<QueueRig> {
  const target = { host: server.host, port: opts.port ?? server.port, timeoutMs: 5000, credentials: userCreds(server), share: 'private', clientGuid: randomBytes(16) };
  const connector = opts.endsOldSession === false ? () => smbShareConnector(target)() : smbShareConnector(target);
  const provider = new SimpleTreeProvider({ nas: connector }, { retryIntervalMs: 200 });
  const queue = await LocalTransferQueue.open({ provider, configDir, offlineRetryMs: 2000, progressIntervalMs: opts.progressIntervalMs ?? 100 });
  return {
    queue,
    provider,
    close: async () => {
      await queue.dispose();
      await provider.dispose();
    },
  };
}

/** Resolves with the first event of `name` that `match` accepts; rejects after `ms`. */
export function nextEvent<K extends TransferEventName>(
  queue: LocalTransferQueue,
  name: K,
  match: (e: TransferEvents[K]) => boolean = () => true,
  ms = 60_000,
): Promise<TransferEvents[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${name} event within ${ms} ms`));
    }, ms);
    const off = queue.on(name, (e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Waits until the job reaches one of `states`. */
export async function untilState(queue: LocalTransferQueue, id: string, states: TransferJob['state'][], ms = 60_000): Promise<TransferJob> {
  const now = queue.get(id);
  if (now && states.includes(now.state)) return now;
  return (await nextEvent(queue, 'state', (e) => e.job.id === id && states.includes(e.to), ms)).job;
}
