// Servers that are not SMB servers at all, for the hostile suites: one that accepts TCP and never
// answers, one that sends a frame header announcing 16 MiB - 1 and no body, one that drips a
// valid-looking NEGOTIATE response one byte per second. Each keeps its sockets and ends them on close().
import { createServer, type Server, type Socket } from 'node:net';
import { buildResponse, Smb2Command } from '../harness/mitm/smb2-pdu.js';

export interface RawServer {
  port: number;
  /** TCP connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export type RawBehaviour = 'silent' | 'huge-length' | 'drip';

/** MS-SMB2 2.2.4 NEGOTIATE response for SMB 2.1 with an empty security buffer, framed: what the drip sends. */
function negotiateResponseFrame(): Buffer {
  const body = Buffer.alloc(65 + 7);
  body.writeUInt16LE(65, 0); // StructureSize
  body.writeUInt16LE(0x01, 2); // SecurityMode: signing enabled
  body.writeUInt16LE(0x0210, 4); // DialectRevision
  body.fill(0x42, 8, 24); // ServerGuid
  body.writeUInt32LE(1 << 20, 28); // MaxTransactSize
  body.writeUInt32LE(1 << 20, 32); // MaxReadSize
  body.writeUInt32LE(1 << 20, 36); // MaxWriteSize
  body.writeUInt16LE(128, 56); // SecurityBufferOffset
  const msg = buildResponse({ command: Smb2Command.NEGOTIATE, messageId: 0n, credits: 1 }, body);
  const head = Buffer.alloc(4);
  head.writeUIntBE(msg.length, 1, 3);
  return Buffer.concat([head, msg]);
}

const DRIP_MS = 1000;

export async function startRawServer(behaviour: RawBehaviour): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const server: Server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    s.once('data', () => {
      if (behaviour === 'huge-length') s.write(Buffer.from([0x00, 0xff, 0xff, 0xff]));
      if (behaviour !== 'drip') return;
      const bytes = negotiateResponseFrame();
      let at = 0;
      // One byte a second, never more than the one frame: the client must give up long before.
      const t = setInterval(() => {
        if (s.destroyed || at >= bytes.length) {
          clearInterval(t);
          timers.delete(t);
          return;
        }
        s.write(bytes.subarray(at, at + 1));
        at++;
      }, DRIP_MS);
      timers.add(t);
    });
    // Everything the client sends is read and ignored.
    s.on('data', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const a = server.address();
  if (a === null || typeof a === 'string') throw new Error('raw server has no TCP address');
  let closing: Promise<void> | undefined;
  return {
    port: a.port,
    get connections() {
      return connections;
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
