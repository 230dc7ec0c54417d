// `sharekeeper serve`: the renderer build and the API contract over HTTP + WebSocket on
// 127.0.0.1, for a browser on the same machine (and the e2e tests). The gate (security.ts) runs
// before anything else; the WebSocket speaks main/api's wire protocol, so no request or event
// name is written here; uploads and downloads stream through (stream-routes.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiConnection, MAX_MESSAGE_BYTES, type ApiService } from '../../main/index.js';
import { checkRequest, contentSecurityPolicy, makeToken, sessionCookie } from './security.js';
import { serveStatic } from './static-files.js';
import { handleDownload, handleUpload, STREAM_ROUTES } from './stream-routes.js';

export interface ServeOptions {
  api: ApiService;
  /** The renderer build (index.html and assets/). */
  staticDir: string;
  /** 0 (default): a free port chosen by the system. */
  port?: number;
  token?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const WS_PATH = '/api/ws';

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? makeToken();
  const log = opts.log ?? (() => undefined);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const gate = (req: IncomingMessage, stateChanging: boolean) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    return {
      url,
      verdict: checkRequest({ host: req.headers.host, origin: req.headers.origin, cookie: req.headers.cookie, urlToken: url.searchParams.get('token') }, port, token, stateChanging),
    };
  };

  const server: Server = createServer((req, res) => {
    const upload = req.method === 'PUT' || req.method === 'POST';
    const { url, verdict } = gate(req, upload);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    if (!verdict.ok) {
      log(`refused ${req.method} ${url.pathname}: ${verdict.reason}`);
      res.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
      return;
    }
    if (verdict.viaUrl && req.method === 'GET') {
      // Move the token from the URL into the cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, { 'Set-Cookie': sessionCookie(token, port), Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-store' }).end();
      return;
    }
    void route(req, res, url).catch((e: unknown) => {
      log(`${req.method} ${url.pathname} failed: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === STREAM_ROUTES.download && req.method === 'GET') return handleDownload(opts.api, url, res);
    if (url.pathname === STREAM_ROUTES.upload && req.method === 'PUT') return handleUpload(opts.api, url, req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    await serveStatic(opts.staticDir, url.pathname, req, res, contentSecurityPolicy(port));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { url, verdict } = gate(req, true);
    if (!verdict.ok || url.pathname !== WS_PATH) {
      log(`refused WebSocket ${url.pathname}: ${verdict.ok ? 'unknown path' : verdict.reason}`);
      socket.end(`HTTP/1.1 ${verdict.ok ? 404 : verdict.status} Refused\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const conn = new ApiConnection(opts.api.dispatcher, opts.api.hub, { send: (m) => ws.send(JSON.stringify(m)) }, { streams: STREAM_ROUTES });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      conn.receive(data.toString('utf8'));
    });
    ws.on('close', () => conn.close());
    ws.on('error', () => conn.close());
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
  const url = `http://127.0.0.1:${port}/?token=${token}`;
  return {
    url,
    port,
    token,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
