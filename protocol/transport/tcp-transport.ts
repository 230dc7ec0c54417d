// The only file in protocol/ that touches the network. It connects with a deadline, frames
// outgoing messages (MS-SMB2 2.1) and hands complete incoming frames to one listener.
import * as net from 'node:net';
import { collectSealedIfDue } from '../crypto/crypto-garbage.js';
import { SmbError } from '../errors.js';
import { FrameDecoder, frameHeader } from './framing.js';
import { ReceivePacer } from './receive-pacer.js';
import type { Transport, TransportConnectOptions as TcpConnectOptions, TransportEvents } from './transport.js';

export type { Transport, TransportEvents, TransportConnectOptions as TcpConnectOptions, TransportFactory } from './transport.js';

const READ_BUFFER_SIZE = 256 * 1024;

const unreachableCodes = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

function transportError(e: NodeJS.ErrnoException, host: string, port: number): SmbError {
  const code = e.code === 'ETIMEDOUT' ? 'timeout' : 'transport';
  const what = e.code && unreachableCodes.has(e.code) ? e.code : (e.code ?? e.message);
  return new SmbError(code, `cannot reach ${host}:${port}: ${what}`, { operation: 'connect', cause: e });
}

/** The default TransportFactory: TCP to opts.host:opts.port. */
export function connectTcp(opts: TcpConnectOptions, events: TransportEvents): Promise<Transport> {
  return new Promise((resolve, reject) => {
    // Reads land either straight in the frame being assembled (a large READ payload goes from the
    // kernel to its final buffer) or, between frames, in one reused scratch buffer from which the
    // frame decoder copies headers and small frames. No 64 KiB allocation per read.
    const scratch = Buffer.allocUnsafe(READ_BUFFER_SIZE);
    const sink: { transport?: TcpTransport } = {};
    let target: Buffer = scratch;
    const socket = net.connect({
      host: opts.host,
      port: opts.port,
      noDelay: true,
      onread: {
        buffer: () => {
          target = sink.transport?.directTarget() ?? scratch;
          return target;
        },
        callback: (n: number) => {
          sink.transport?.onRead(n, target, target !== scratch);
          return true;
        },
      },
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmbError('timeout', `cannot reach ${opts.host}:${opts.port}: no answer in ${opts.timeoutMs} ms`, { operation: 'connect' }));
    }, opts.timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(transportError(e, opts.host, opts.port));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      const transport = new TcpTransport(socket, opts, events);
      sink.transport = transport;
      resolve(transport);
    });
  });
}

class TcpTransport implements Transport {
  private readonly decoder = new FrameDecoder();
  /** At most one costly (sealed or signed, large) frame handed on per event-loop turn. */
  private readonly pacer = new ReceivePacer((frame) => this.deliver(frame));
  private closeError: SmbError | undefined;
  closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly opts: TcpConnectOptions,
    private readonly events: TransportEvents,
  ) {
    socket.setKeepAlive(true, opts.keepAliveMs ?? 10_000);
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(transportError(e, opts.host, opts.port)));
    socket.on('close', () => this.finish());
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  private readonly written = (): void => {
    if (this.socket.writableLength === 0) collectSealedIfDue();
  };

  send(parts: readonly Buffer[]): void {
    if (this.closed) throw new SmbError('transport', 'connection is closed', { operation: 'send' });
    let length = 0;
    for (const p of parts) length += p.length;
    // cork/uncork turns the header and the parts into one writev without copying the payload.
    this.socket.cork();
    this.socket.write(frameHeader(length));
    // The last write's callback: once it ran, any sealed output sent so far is garbage (crypto-garbage.ts).
    let last = parts.length - 1;
    while (last >= 0 && parts[last]!.length === 0) last--;
    for (let i = 0; i <= last; i++) if (parts[i]!.length > 0) this.socket.write(parts[i]!, i === last ? this.written : undefined);
    this.socket.uncork();
  }

  close(error?: SmbError): void {
    this.closeError ??= error ?? new SmbError('cancelled', 'connection closed by the client', { operation: 'close' });
    this.socket.destroy();
    this.finish();
  }

  recycle(frame: Buffer): void {
    this.decoder.recycle(frame);
  }

  directTarget(): Buffer | undefined {
    return this.closed ? undefined : this.decoder.directTarget();
  }

  onRead(n: number, into: Buffer, direct: boolean): void {
    if (this.closed) return;
    try {
      if (direct) this.decoder.commitDirect(n, (frame) => this.pacer.push(frame));
      else this.decoder.push(into.subarray(0, n), (frame) => this.pacer.push(frame), true);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new SmbError('malformed', String(e), { cause: e }));
    }
  }

  private deliver(frame: Buffer): void {
    if (this.closed) return;
    try {
      this.events.onFrame(frame);
    } catch (e) {
      this.fail(e instanceof SmbError ? e : new SmbError('malformed', String(e), { cause: e }));
    }
  }

  private fail(error: SmbError): void {
    this.closeError ??= error;
    this.socket.destroy();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    // Answers that arrived before the peer closed are still answers; after our own close, or a
    // failure, nothing more is handed on.
    if (this.closeError === undefined) this.pacer.flush();
    this.pacer.stop();
    if (this.closed) return;
    this.closed = true;
    const error =
      this.closeError ?? new SmbError('transport', `connection to ${this.opts.host}:${this.opts.port} closed by the server`, { operation: 'receive' });
    this.events.onClose(error);
  }
}

/**
 * Does anything accept TCP connections at host:port? Connects and closes at once: no SMB, nothing
 * in the server's logs beyond a connection. For cheap reachability checks while a server is down.
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmbError('timeout', `cannot reach ${host}:${port}: no answer in ${timeoutMs} ms`, { operation: 'connect' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(transportError(e, host, port));
    });
  });
}
