// Watching a folder (SMB2 CHANGE_NOTIFY) against a real Samba: a file another client creates shows
// up as an event, the watch outlives the pending limit, cancelling and closing end it promptly and
// leave the connection usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DirectoryChanges, SmbTree } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

let server: SambaServer;
let local: string;

beforeAll(async () => {
  server = await startSamba();
  local = await mkdtemp(join(tmpdir(), 'sk-watch-'));
  await writeFile(join(local, 'payload.txt'), 'hello');
});
afterAll(async () => {
  await server?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

/** smbclient, another client, puts a file into `folder` of the private share. */
async function putFromElsewhere(folder: string, name: string): Promise<void> {
  const r = await server.smbclient(['//127.0.0.1/private', '-c', `cd ${folder}; put ${join(local, 'payload.txt')} ${name}`]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

/** Batches until one names `name` (bounded: a real server answers in well under the deadline). */
async function until(watch: AsyncIterator<DirectoryChanges>, name: string, ms = 10_000): Promise<DirectoryChanges[]> {
  const seen: DirectoryChanges[] = [];
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), deadline - Date.now()).unref());
    const next = await Promise.race([watch.next(), timer]);
    if (next === 'late' || next.done) break;
    seen.push(next.value);
    if (next.value.overflow || next.value.changes.some((c) => c.name === name)) return seen;
  }
  throw new Error(`no change naming ${name} within ${ms} ms: ${JSON.stringify(seen)}`);
}

const watchOf = (tree: SmbTree) => tree.watchDirectory!.bind(tree);

describe.each([
  ['plain', {}],
  ['encrypted', { encrypt: true }],
] as const)('watching a folder (%s session)', (kind, opts) => {
  it('a file created by smbclient in the watched folder is reported as added', async () => {
    const o = await openShare(server, 'private', undefined, opts);
    const folder = `watch-${kind}-1`;
    try {
      await o.tree.mkdir(folder);
      const watch = watchOf(o.tree)(folder);
      const first = watch.next(); // arms the watch
      await new Promise((r) => setTimeout(r, 200));
      await putFromElsewhere(folder, 'from-smbclient.txt');
      const batch = await first;
      const rest = batch.done || batch.value.changes.some((c) => c.name === 'from-smbclient.txt') ? [] : await until(watch, 'from-smbclient.txt');
      const all = [...(batch.done ? [] : [batch.value]), ...rest];
      expect(all.flatMap((b) => b.changes)).toContainEqual({ action: 'added', name: 'from-smbclient.txt' });
      await watch.return!();
    } finally {
      await o.close();
    }
  });

  it('return() while waiting ends the watch at once and the connection goes on', async () => {
    const o = await openShare(server, 'private', undefined, opts);
    const folder = `watch-${kind}-2`;
    try {
      await o.tree.mkdir(folder);
      const watch = watchOf(o.tree)(folder);
      const pending = watch.next();
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      await watch.return!();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(Date.now() - started).toBeLessThan(2000);
      // The same connection still works, and the folder can go (our handle on it was closed).
      await o.tree.writeFile(`${folder}/after.txt`, Buffer.from('x'));
      await o.tree.unlink(`${folder}/after.txt`);
      await o.tree.rmdir(folder);
      expect(o.client.closed).toBe(false);
    } finally {
      await o.close();
    }
  });
});

describe('a watch is a long poll', () => {
  it('it waits past the pending limit of a short request timeout and still reports the change', async () => {
    const timeoutMs = 300;
    const o = await openShare(server, 'private', undefined, { timeoutMs });
    try {
      await o.tree.mkdir('watch-long');
      const stop = new AbortController();
      const watch = watchOf(o.tree)('watch-long', { signal: stop.signal });
      const first = watch.next();
      // Other requests give up after 4x their timeout of STATUS_PENDING (PENDING_LIMIT_FACTOR); wait 6x.
      await new Promise((r) => setTimeout(r, timeoutMs * 6));
      expect(o.client.closed).toBe(false);
      await putFromElsewhere('watch-long', 'late.txt');
      const batch = await first;
      expect(batch.done).toBe(false);
      stop.abort();
      expect(await watch.next()).toEqual({ done: true, value: undefined });
      expect(o.client.closed).toBe(false);
      await o.tree.stat('watch-long'); // still usable
    } finally {
      await o.close();
    }
  });

  it('closing the connection while a watch waits fails it at once with a typed error', async () => {
    const o = await openShare(server, 'private');
    await o.tree.mkdir('watch-close');
    const watch = watchOf(o.tree)('watch-close');
    const pending = watch.next().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    await o.close();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({ name: expect.stringMatching(/SmbError/) });
  });

  it('a recursive watch reports a file in a subfolder with its relative path', async () => {
    const o = await openShare(server, 'private');
    try {
      await o.tree.mkdir('watch-tree');
      await o.tree.mkdir('watch-tree/sub');
      const watch = watchOf(o.tree)('watch-tree', { recursive: true });
      const first = watch.next();
      await new Promise((r) => setTimeout(r, 200));
      await putFromElsewhere('watch-tree/sub', 'deep.txt');
      const b = await first;
      const all = [...(b.done ? [] : [b.value]), ...(b.done || b.value.changes.some((c) => c.name === 'sub\\deep.txt') ? [] : await until(watch, 'sub\\deep.txt'))];
      expect(all.flatMap((x) => x.changes)).toContainEqual({ action: 'added', name: 'sub\\deep.txt' });
      await watch.return!();
    } finally {
      await o.close();
    }
  });
});
