// Files between the browser and a share, streamed in both directions with backpressure (constant
// memory whatever the size): GET download → the share's read stream piped into the response;
// PUT upload → the request body through the copy engine's stream upload (main/transfers/upload-stream.ts:
// a partial on the share, renamed into place when complete). Arguments are checked with
// the contract's own Location validator; failures answer the contract's ApiError as JSON.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { check, locationArgs, toApiError, uploadStream, type ApiError, type ApiService } from '../../main/index.js';

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
  // The browser going away (tab closed, upload cancelled) stops the copy; its partial is removed.
  const gone = new AbortController();
  const onClose = (): void => {
    if (!req.complete) gone.abort(new Error('the upload was interrupted'));
  };
  req.once('close', onClose);
  try {
    const loc = location(url);
    if (loc.path === '') throw Object.assign(new Error('an upload needs a file name'), { code: 'EINVAL' });
    const tree = await api.state.trees.tree(await api.state.drive(loc.driveId), loc.share);
    const length = req.headers['content-length'];
    // Through the copy engine's one upload path: a partial on the share, renamed into place only
    // when complete and size-checked; nothing under the final name before that.
    await uploadStream(tree, req, loc.path, {
      overwrite: url.searchParams.get('overwrite') === '1',
      signal: gone.signal,
      ...(length !== undefined && /^\d+$/.test(length) ? { expectedSize: Number(length) } : {}),
    });
    const parent = loc.path.includes('/') ? loc.path.slice(0, loc.path.lastIndexOf('/')) : '';
    api.hub.publish('folder.changed', { driveId: loc.driveId, share: loc.share, path: parent });
    const st = await tree.stat(loc.path);
    res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ ok: true, value: { name: st.name, size: st.size } }));
  } catch (e) {
    req.resume();
    sendError(res, e, scrub);
  } finally {
    req.off('close', onClose);
  }
}
