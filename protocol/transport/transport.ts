// What the SMB connection needs of a transport: send framed messages, deliver whole frames, close.
// TCP (tcp-transport.ts) is the default; tests and proxies pass their own factory
// (ConnectOptions.transport), so nothing above this layer touches a socket.
import type { SmbError } from '../errors.js';

export interface TransportEvents {
  onFrame(frame: Buffer): void;
  /** Called once, with the reason when the close was not asked for. */
  onClose(error: SmbError | undefined): void;
}

export interface Transport {
  send(parts: readonly Buffer[]): void;
  /** Hands back a received frame whose bytes are no longer needed (see FrameDecoder.recycle). */
  recycle(frame: Buffer): void;
  close(error?: SmbError): void;
  readonly closed: boolean;
  readonly remoteAddress: string | undefined;
}

export interface TransportConnectOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** Keepalive probes notice a silently dead peer on an idle connection. */
  keepAliveMs?: number;
}

/** Opens a transport; frames arrive through `events` from then on. */
export type TransportFactory = (opts: TransportConnectOptions, events: TransportEvents) => Promise<Transport>;
