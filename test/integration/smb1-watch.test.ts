// Watching a folder over SMB1 (NT_TRANSACT_NOTIFY_CHANGE, MS-CIFS 2.2.7.4) against Samba pinned to
// NT1: a file smbclient puts, or one written straight into the share's directory, shows up as a
// batch; the watch outlives the request deadline; return(), an aborted signal and a closed
// connection end it promptly, the first two leaving the connection usable and the folder closed;
// the folder removed by another client fails it with the status.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryChanges, SmbTree } from '../../protocol/index.js';
import { DIALECT_NT1 } from '../../protocol/smb1/constants.js';
import { SMBCLIENT_NT1, startNt1Samba } from '../harness/legacy-servers.js';
import type { SambaServer } from '../harness/samba-server.js';
import { openShare, type Opened } from './client-helpers.js';

let s: SambaServer;
let local: string;

beforeAll(async () => {
  s = await startNt1Samba();
  local = await mkdtemp(join(tmpdir(), 'sk-smb1-watch-'));
  await writeFile(join(local, 'payload.txt'), 'hello');
}, 60_000);
afterAll(async () => {
  await s?.stop();
  if (local) await rm(local, { recursive: true, force: true });
});

async function open(timeoutMs = 20_000): Promise<Opened> {
  const o = await openShare(s, 'private', undefined, { allowSmb1: true, timeoutMs });
  expect(o.client.dialect).toBe(DIALECT_NT1);
  return o;
}

/** smbclient, another client (on NT1 too), puts a file into `folder` of the private share. */
async function putFromElsewhere(folder: string, name: string): Promise<void> {
  const r = await s.smbclient(['//127.0.0.1/private', ...SMBCLIENT_NT1, '-c', `cd ${folder}; put ${join(local, 'payload.txt')} ${name}`]);
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
    if (next.value.changes.some((c) => c.name === name)) return seen;
  }
  throw new Error(`no change naming ${name} within ${ms} ms: ${JSON.stringify(seen)}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The batch `first` resolved to and, unless it names `name`, the batches after it until one does. */
async function startingWith(watch: AsyncIterator<DirectoryChanges>, first: IteratorResult<DirectoryChanges>, name: string): Promise<DirectoryChanges[]> {
  if (first.done) throw new Error('the watch ended instead of reporting a change');
  return first.value.changes.some((c) => c.name === name) ? [first.value] : [first.value, ...(await until(watch, name))];
}

/**
 * The first next() still unanswered after 300 ms (those answered before it are dropped; at most 20),
 * boxed: an async function returning the promise itself would wait for it.
 */
async function waiting(watch: AsyncIterator<DirectoryChanges>): Promise<{ next: Promise<IteratorResult<DirectoryChanges>> }> {
  for (let i = 0; i < 20; i++) {
    const next = watch.next();
    const late = await Promise.race([next.then(() => false), sleep(300).then(() => true)]);
    if (late) return { next };
  }
  throw new Error('the watch never went quiet');
}

const watchOf = (tree: SmbTree) => {
  expect(tree.watchDirectory).toBeTypeOf('function');
  return tree.watchDirectory!.bind(tree);
};

describe('watching a folder over SMB1 (Samba NT1)', () => {
  it('a file smbclient creates in the watched folder arrives as a batch naming it added', async () => {
    const o = await open();
    try {
      await o.tree.mkdir('w1');
      const watch = watchOf(o.tree)('w1');
      const first = watch.next();
      await sleep(200);
      await putFromElsewhere('w1', 'from-smbclient.txt');
      const batch = await first;
      expect(batch.done).toBe(false);
      const all = await startingWith(watch, batch, 'from-smbclient.txt');
      expect(all.flatMap((b) => b.changes)).toContainEqual({ action: 'added', name: 'from-smbclient.txt' });
      await watch.return!();
    } finally {
      await o.close();
    }
  });

  it('a file written straight into the share directory arrives too, and the re-armed watch reports the next one', async () => {
    const o = await open();
    try {
      await o.tree.mkdir('w2');
      const watch = watchOf(o.tree)('w2');
      const first = watch.next();
      await sleep(200);
      await writeFile(join(s.shareDir('private'), 'w2', 'local-1.txt'), 'x', { mode: 0o666 });
      const b1 = await first;
      const seen1 = await startingWith(watch, b1, 'local-1.txt');
      expect(seen1.flatMap((b) => b.changes)).toContainEqual({ action: 'added', name: 'local-1.txt' });
      // Between answers the server keeps collecting: a change made now is in the next batch.
      await writeFile(join(s.shareDir('private'), 'w2', 'local-2.txt'), 'y', { mode: 0o666 });
      const seen2 = await until(watch, 'local-2.txt');
      expect(seen2.flatMap((b) => b.changes)).toContainEqual({ action: 'added', name: 'local-2.txt' });
      await watch.return!();
    } finally {
      await o.close();
    }
  });

  it('return() while waiting ends the watch at once; the connection goes on and the folder is closed', async () => {
    const o = await open();
    try {
      await o.tree.mkdir('w3');
      const watch = watchOf(o.tree)('w3');
      const pending = watch.next();
      await sleep(300);
      const started = Date.now();
      await watch.return!();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(Date.now() - started).toBeLessThan(2000);
      await o.tree.writeFile('w3/after.txt', Buffer.from('x'));
      await o.tree.unlink('w3/after.txt');
      await o.tree.rmdir('w3'); // our handle on it was closed
      expect(o.client.closed).toBe(false);
    } finally {
      await o.close();
    }
  });

  it('an aborted signal ends a for-await loop promptly, past many request deadlines', async () => {
    const timeoutMs = 300;
    const o = await open(timeoutMs);
    try {
      await o.tree.mkdir('w4');
      const stop = new AbortController();
      const seen: DirectoryChanges[] = [];
      const loop = (async () => {
        for await (const batch of watchOf(o.tree)('w4', { signal: stop.signal })) seen.push(batch);
      })();
      // Any other request would have timed out six times over: a watch has no deadline while it waits.
      await sleep(timeoutMs * 6);
      expect(o.client.closed).toBe(false);
      await putFromElsewhere('w4', 'late.txt');
      for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(50);
      expect(seen.flatMap((b) => b.changes)).toContainEqual({ action: 'added', name: 'late.txt' });
      const started = Date.now();
      stop.abort();
      await loop;
      expect(Date.now() - started).toBeLessThan(timeoutMs * 3);
      expect(o.client.closed).toBe(false);
      await o.tree.stat('w4');
    } finally {
      await o.close();
    }
  });

  it('a recursive watch reports a file in a subfolder by its relative path', async () => {
    const o = await open();
    try {
      await o.tree.mkdir('w5');
      await o.tree.mkdir('w5/sub');
      const watch = watchOf(o.tree)('w5', { recursive: true });
      const first = watch.next();
      await sleep(200);
      await putFromElsewhere('w5/sub', 'deep.txt');
      const b = await first;
      const all = await startingWith(watch, b, 'sub\\deep.txt');
      expect(all.flatMap((x) => x.changes)).toContainEqual({ action: 'added', name: 'sub\\deep.txt' });
      await watch.return!();
    } finally {
      await o.close();
    }
  });

  it('closing the connection while a watch waits fails it at once with a typed error', async () => {
    const o = await open();
    await o.tree.mkdir('w6');
    const watch = watchOf(o.tree)('w6');
    const pending = watch.next().catch((e: unknown) => e);
    await sleep(300);
    const started = Date.now();
    await o.close();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome).toMatchObject({ name: expect.stringMatching(/SmbError/) });
  });

  it('the folder removed by another client fails the watch with the server status, promptly', async () => {
    const o = await open();
    try {
      await o.tree.mkdir('w7');
      const watch = watchOf(o.tree)('w7');
      const pending = watch.next().catch((e: unknown) => e);
      await sleep(300);
      const r = await s.smbclient(['//127.0.0.1/private', ...SMBCLIENT_NT1, '-c', 'rmdir w7']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const started = Date.now();
      expect(await pending).toMatchObject({ statusName: 'NT_STATUS_DELETE_PENDING', operation: 'watch', path: '\\private\\w7' });
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await watch.next()).toEqual({ done: true, value: undefined });
      expect(o.client.closed).toBe(false);
    } finally {
      await o.close();
    }
  });

  it('a folder that does not exist fails with the server status', async () => {
    const o = await open();
    try {
      await expect(watchOf(o.tree)('no-such-folder').next()).rejects.toMatchObject({ statusName: 'NT_STATUS_OBJECT_NAME_NOT_FOUND' });
    } finally {
      await o.close();
    }
  });
});

describe('watching over a signed SMB1 session (server signing = mandatory)', () => {
  let signed: SambaServer;
  beforeAll(async () => {
    signed = await startNt1Samba({ mode: 'signing' });
  }, 60_000);
  afterAll(async () => {
    await signed?.stop();
  });

  it('a batch, then a cancel (one sequence number, no answer of its own): later answers still verify', async () => {
    const o = await openShare(signed, 'private', undefined, { allowSmb1: true });
    try {
      expect(o.session.isSigned).toBe(true);
      await o.tree.mkdir('ws');
      const watch = watchOf(o.tree)('ws');
      const first = watch.next();
      await sleep(200);
      await o.tree.writeFile('ws/one.txt', Buffer.from('1')); // our own change, seen by our own watch
      const b = await first;
      const all = await startingWith(watch, b, 'one.txt');
      expect(all.flatMap((x) => x.changes)).toContainEqual({ action: 'added', name: 'one.txt' });
      const pending = await waiting(watch); // later batches (the write's own "modified") drained
      await watch.return!(); // NT_CANCEL, STATUS_CANCELLED signed with the notify's own number + 1
      expect(await pending.next).toEqual({ done: true, value: undefined });
      expect((await o.tree.readFile('ws/one.txt')).toString()).toBe('1');
      await o.tree.unlink('ws/one.txt');
      await o.tree.rmdir('ws');
      expect(o.client.closed).toBe(false);
    } finally {
      await o.close();
    }
  });
});
