// Ask the kernel for an unused TCP port on 127.0.0.1. There is a window between closing our socket
// and smbd binding the port, so callers retry with a new port when the server reports EADDRINUSE.
import { createServer, connect } from 'node:net';

export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('listen(0) returned no port'));
        return;
      }
      srv.close(() => resolve(addr.port));
    });
  });
}

/** Resolves true when something accepts a TCP connection on host:port within timeoutMs. */
export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}
