// Helpers for the transfer-queue suites: a cuttable TCP forwarder in front of Samba, a queue
// wired to a drive over our client, and waiting for queue events with a deadline.
import { createServer, connect, type Server, type Socket } from 'node:net';
import { LocalTransferQueue, SimpleTreeProvider, smbShareConnector, type TransferEventName, type TransferEvents, type TransferJob } from '../../main/transfers/index.js';
import type { SambaServer } from '../harness/samba-server.js';
import { userCreds } from './client-helpers.js';

export class TcpForwarder {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  /** Bytes sent from Samba to the client since the last reset. */
  bytesToClient = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      upstream.on('data', (d: Buffer) => (this.bytesToClient += d.length));
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
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

  async restore(): Promise<void> {
    await this.listen();
  }
}

export interface QueueRig {
  queue: LocalTransferQueue;
  provider: SimpleTreeProvider;
  close(): Promise<void>;
}

export async function queueFor(server: SambaServer, configDir: string, opts: { port?: number; progressIntervalMs?: number } = {}): Promise<QueueRig> {
  const connector = smbShareConnector({ host: server.host, port: opts.port ?? server.port, timeoutMs: 5000, credentials: userCreds(server), share: 'private' });
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
