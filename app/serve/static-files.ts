// The renderer build from disk: GET/HEAD only, paths resolved inside the build folder (no `..`
// escapes), index.html for any page path (the UI routes itself), strict CSP on every answer.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export async function serveStatic(root: string, pathname: string, req: IncomingMessage, res: ServerResponse, csp: string): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const base = normalize(root + sep);
  let file = normalize(join(root, rel));
  if (!file.startsWith(base) && file !== normalize(root)) {
    res.writeHead(404).end();
    return;
  }
  let st = await stat(file).catch(() => undefined);
  // A page path (no extension) is the app; a missing asset is a 404.
  if (st === undefined || st.isDirectory()) {
    if (extname(rel) !== '') {
      res.writeHead(404).end();
      return;
    }
    file = join(root, 'index.html');
    st = await stat(file).catch(() => undefined);
    if (st === undefined) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('The UI is not built: run `npm run build`.\n');
      return;
    }
  }
  const immutable = file.includes(`${sep}assets${sep}`);
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': st.size,
    'Content-Security-Policy': csp,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(createReadStream(file), res);
}
