// Browser uploads (PUT /api/upload) over real HTTP into an in-memory share: nothing appears
// under the final name until the whole body has arrived, and an upload the browser abandons
// leaves neither a file under that name nor a partial, and an existing file untouched.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiService } from '../../main/index.js';
import { FakeTree } from '../../main/transfers/fake-tree.test-helpers.js';
import { handleUpload } from './stream-routes.js';

let tree: FakeTree;
let server: Server;
let port: number;
let handled: Promise<void>[];

const isPartial = (n: string): boolean => n.includes('.sharekeeper-partial-');

beforeEach(async () => {
  tree = new FakeTree();
  handled = [];
  const api = {
    state: { scrubber: { scrub: (t: string) => t }, drive: async () => ({}), trees: { tree: async () => tree } },
    hub: { publish: () => undefined },
  } as unknown as ApiService;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    handled.push(handleUpload(api, url, req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function put(path: string, size: number, query = ''): { req: ReturnType<typeof request>; answer: Promise<{ status: number; body: string }> } {
  let req!: ReturnType<typeof request>;
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request({ host: '127.0.0.1', port, method: 'PUT', path: `/api/upload?driveId=d&share=s&path=${encodeURIComponent(path)}${query}`, headers: { 'Content-Length': size } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined);
  return { req, answer };
}

const receivedSome = (): boolean => tree.names().some((n) => (tree.files.get(n)?.length ?? 0) > 0);

describe('browser upload', () => {
  it('an abandoned upload leaves no file under its name and no partial', async () => {
    const { req } = put('docs/report.pdf', 1024 * 1024);
    tree.mkdirp('docs');
    req.write(Buffer.alloc(256 * 1024, 7));
    await until(receivedSome, 'the first bytes on the share');
    // While the body is still coming, the final name is not there.
    expect(tree.names()).not.toContain('docs/report.pdf');
    req.destroy();
    await until(() => handled.length === 1, 'the request');
    await handled[0];
    expect(tree.names()).toEqual([]);
  });

  it('an abandoned overwrite leaves the existing file as it was', async () => {
    tree.addFile('a.txt', 'the old text');
    const { req } = put('a.txt', 1024 * 1024, '&overwrite=1');
    req.write(Buffer.alloc(128 * 1024, 1));
    await until(() => tree.names().some((n) => isPartial(n) && (tree.files.get(n)?.length ?? 0) > 0), 'bytes in the partial');
    req.destroy();
    await until(() => handled.length === 1, 'the request');
    await handled[0];
    expect(tree.names()).toEqual(['a.txt']);
    expect(tree.files.get('a.txt')?.toString()).toBe('the old text');
  });

  it('a complete upload lands under its name with its bytes, nothing else left', async () => {
    const data = Buffer.from('x'.repeat(300_000));
    const { req, answer } = put('b.bin', data.length);
    req.end(data);
    const r = await answer;
    expect(r.status).toBe(201);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { name: 'b.bin', size: data.length } });
    expect(tree.names()).toEqual(['b.bin']);
    expect(tree.files.get('b.bin')?.equals(data)).toBe(true);
  });

  it('a taken name answers 409 name-exists (the renderer then asks) and keeps the file', async () => {
    tree.addFile('c.txt', 'mine');
    const { req, answer } = put('c.txt', 4);
    req.end('new!');
    const r = await answer;
    expect(r.status).toBe(409);
    expect(JSON.parse(r.body).error.code).toBe('name-exists');
    expect(tree.names()).toEqual(['c.txt']);
    expect(tree.files.get('c.txt')?.toString()).toBe('mine');
  });

  it('overwrite=1 replaces the file once the body is complete', async () => {
    tree.addFile('d.txt', 'old');
    const { req, answer } = put('d.txt', 3, '&overwrite=1');
    req.end('new');
    expect((await answer).status).toBe(201);
    expect(tree.names()).toEqual(['d.txt']);
    expect(tree.files.get('d.txt')?.toString()).toBe('new');
  });
});
