// Files between the browser and a share, streamed in both directions with backpressure (constant
// memory whatever the size): GET download → the share's read stream piped into the response;
// PUT upload → the request body piped into the share's write stream. Arguments are checked with
// the contract's own Location validator; failures answer the contract's ApiError as JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { check, locationArgs, toApiError, type ApiError, type ApiService } from '../../main/index.js';

export const STREAM_ROUTES = { download: '/api/download', upload: '/api/upload' } as const;

const HTTP_STATUS: Partial<Record<ApiError['code'], number>> = {
  'bad-request': 400,
  'not-found': 404,
  'access-denied': 403,
  'name-exists': 409,
  'wrong-password': 401,
  'password-needed': 401,
  unreachable: 502,
  timeout: 504,
};

function location(url: URL) {
  return check(locationArgs, { driveId: url.searchParams.get('driveId'), share: url.searchParams.get('share'), path: url.searchParams.get('path') });
}

function sendError(res: ServerResponse, e: unknown, scrub: (t: string) => string): void {
  const error = toApiError(e);
  error.message = scrub(error.message);
  if (error.detail !== undefined) error.detail = scrub(error.detail);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(HTTP_STATUS[error.code] ?? 500, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: false, error }));
}

/** RFC 6266 / 5987: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export async function handleDownload(api: ApiService, url: URL, res: ServerResponse): Promise<void> {
  const scrub = (t: string) => api.state.scrubber.scrub(t);
  try {
    const loc = location(url);
    const tree = await api.state.trees.tree(await api.state.drive(loc.driveId), loc.share);
    const st = await tree.stat(loc.path);
    if (st.type !== 'file') throw Object.assign(new Error('a folder cannot be downloaded as one file'), { code: 'EISDIR' });
    const stream = tree.createReadStream(loc.path);
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': st.size,
      'Content-Disposition': contentDisposition(loc.path.split('/').pop() ?? 'download'),
      'Cache-Control': 'no-store',
    });
    await pipeline(stream, res);
  } catch (e) {
    sendError(res, e, scrub);
  }
}

export async function handleUpload(api: ApiService, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const scrub = (t: string) => api.state.scrubber.scrub(t);
  let created = false;
  let tree: Awaited<ReturnType<typeof api.state.trees.tree>> | undefined;
  let path = '';
  try {
    const loc = location(url);
    path = loc.path;
    if (path === '') throw Object.assign(new Error('an upload needs a file name'), { code: 'EINVAL' });
    tree = await api.state.trees.tree(await api.state.drive(loc.driveId), loc.share);
    const overwrite = url.searchParams.get('overwrite') === '1';
    const out = tree.createWriteStream(path, { overwrite });
    out.once('open', () => (created = true));
    await pipeline(req, out);
    created = false;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    api.hub.publish('folder.changed', { driveId: loc.driveId, share: loc.share, path: parent });
    const st = await tree.stat(path);
    res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, value: { name: st.name, size: st.size } }));
  } catch (e) {
    // A half-written file never stays under its name.
    if (created && tree !== undefined) await tree.unlink(path).catch(() => undefined);
    req.resume();
    sendError(res, e, scrub);
  }
}
