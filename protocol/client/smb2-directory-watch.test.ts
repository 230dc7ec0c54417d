// Watching a folder against a scripted server: batches per answer, re-armed on demand, "list again"
// answers, hostile names, and every way of ending it (return, abort, handle closed) closing the handle.
import { describe, expect, it } from 'vitest';
import { encodeCloseResponse } from '../smb2/commands/close.js';
import { encodeCreateResponse } from '../smb2/commands/create.js';
import { SMB2_WATCH_TREE, decodeChangeNotifyRequest, encodeChangeNotifyResponse } from '../smb2/commands/change-notify.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, Smb2Command } from '../smb2/constants.js';
import { decodeHeader } from '../smb2/header.js';
import { NtStatus } from '../smb2/nt-status.js';
import { FILE_ACTION_ADDED, FILE_ACTION_MODIFIED_STREAM, FILE_ACTION_REMOVED, FILE_ACTION_RENAMED_NEW_NAME, FILE_ACTION_RENAMED_OLD_NAME, encodeFileNotifyInformation, type FileNotifyInformation } from '../fscc/file-notify-information.js';
import { SESSION, TREE, answer, grant, setup } from '../smb2/scripted-transport.test-helpers.js';
import { Smb2DirectoryWatch } from './smb2-directory-watch.js';
import type { TreeContext } from './tree-context.js';

const FILE_ID = Buffer.alloc(16, 4);
const ASYNC = SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_ASYNC_COMMAND;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server that holds every CHANGE_NOTIFY (STATUS_PENDING) until the test answers it. */
async function serve(opts: { ignoreCancel?: boolean } = {}) {
  const { transport, conn } = setup({ signRequests: false, timeoutMs: 200 });
  await grant(transport, conn, 100);
  const notifies: Buffer[] = [];
  let held: Buffer | undefined;
  let closes = 0;
  let asyncId = 100n;
  const reply = (msg: Buffer, status: number, body: Buffer, async = false) =>
    conn.receive(answer(msg, { flags: async ? ASYNC : SMB2_FLAGS_SERVER_TO_REDIR, status, body, asyncId: BigInt(notifies.length) + 100n }));
  const complete = (status: number, entries?: FileNotifyInformation[]) => {
    const msg = held!;
    held = undefined;
    reply(msg, status, encodeChangeNotifyResponse({ buffer: entries ? encodeFileNotifyInformation(entries) : Buffer.alloc(0) }), true);
  };
  transport.onSend = (msg) => {
    const h = decodeHeader(msg);
    queueMicrotask(() => {
      if (h.command === Smb2Command.CREATE) {
        reply(msg, 0, encodeCreateResponse({ oplockLevel: 0, flags: 0, createAction: 1, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0x10, fileId: FILE_ID, contexts: [] }));
      } else if (h.command === Smb2Command.CHANGE_NOTIFY) {
        notifies.push(msg);
        held = msg;
        asyncId++;
        reply(msg, NtStatus.STATUS_PENDING, Buffer.from([9, 0, 0, 0, 0, 0, 0, 0, 0]), true);
      } else if (h.command === Smb2Command.CANCEL) {
        if (!opts.ignoreCancel && held) complete(NtStatus.STATUS_CANCELLED);
      } else if (h.command === Smb2Command.CLOSE) {
        closes++;
        if (held) complete(NtStatus.STATUS_NOTIFY_CLEANUP); // MS-SMB2 3.3.5.10: a close completes the watch
        reply(msg, 0, encodeCloseResponse({ flags: 0, creationTime: 0n, lastAccessTime: 0n, lastWriteTime: 0n, changeTime: 0n, allocationSize: 0, endOfFile: 0, fileAttributes: 0 }));
      } else reply(msg, 0, Buffer.from([4, 0, 0, 0]));
    });
  };
  const t: TreeContext = { conn, sessionId: SESSION, treeId: TREE, share: 'share', maxRead: 1 << 20, maxWrite: 1 << 20, maxTransact: 1 << 16, dialect: 0x311, encrypt: false, sealed: false };
  const cancels = () => transport.sent.map(decodeHeader).filter((h) => h.command === Smb2Command.CANCEL);
  const waitHeld = async () => {
    for (let i = 0; i < 100 && !held; i++) await sleep(1);
    expect(held).toBeDefined();
  };
  return { t, conn, notifies, complete, waitHeld, cancels, closes: () => closes, asyncId: () => asyncId };
}

describe('watching a folder (CHANGE_NOTIFY)', () => {
  it('one batch per answer with the actions named; the next request goes out only when asked', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch(s.t, 'dir');
    const first = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, [
      { action: FILE_ACTION_ADDED, fileName: 'new.txt' },
      { action: FILE_ACTION_REMOVED, fileName: 'old.txt' },
      { action: FILE_ACTION_RENAMED_OLD_NAME, fileName: 'a' },
      { action: FILE_ACTION_RENAMED_NEW_NAME, fileName: 'b' },
      { action: FILE_ACTION_MODIFIED_STREAM, fileName: 'c' },
    ]);
    expect(await first).toEqual({
      done: false,
      value: {
        overflow: false,
        changes: [
          { action: 'added', name: 'new.txt' },
          { action: 'removed', name: 'old.txt' },
          { action: 'renamed-from', name: 'a' },
          { action: 'renamed-to', name: 'b' },
          { action: 'modified', name: 'c' },
        ],
      },
    });
    await sleep(10);
    expect(s.notifies).toHaveLength(1); // not re-armed until the caller asks
    const second = w.next();
    await s.waitHeld();
    expect(s.notifies).toHaveLength(2);
    const req = decodeChangeNotifyRequest(s.notifies[1]!);
    expect(req).toMatchObject({ flags: 0, fileId: FILE_ID, outputBufferLength: 65536 });
    s.complete(NtStatus.STATUS_NOTIFY_ENUM_DIR);
    expect(await second).toEqual({ done: false, value: { overflow: true, changes: [] } });
    const third = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, []); // success listing nothing: the server cannot say
    expect(await third).toEqual({ done: false, value: { overflow: true, changes: [] } });
    await w.return();
    expect(s.closes()).toBe(1);
  });

  it('return() while waiting cancels with the AsyncId, ends the iteration, closes the handle; the connection goes on', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    await expect(w.return()).resolves.toEqual({ done: true, value: undefined });
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(s.cancels()).toHaveLength(1);
    expect(s.cancels()[0]!.asyncId).toBe(101n);
    expect(s.closes()).toBe(1);
    expect(await w.next()).toEqual({ done: true, value: undefined });
    await expect(s.conn.send({ command: Smb2Command.ECHO, body: [Buffer.from([4, 0, 0, 0])] })).resolves.toBeDefined();
  });

  it('aborting the signal ends a for-await loop without an error and closes the handle', async () => {
    const s = await serve();
    const stop = new AbortController();
    const seen: unknown[] = [];
    const loop = (async () => {
      for await (const batch of new Smb2DirectoryWatch(s.t, 'dir', { signal: stop.signal })) seen.push(batch);
    })();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, [{ action: FILE_ACTION_ADDED, fileName: 'x' }]);
    await sleep(5);
    await s.waitHeld(); // re-armed by the loop
    stop.abort();
    await loop;
    expect(seen).toHaveLength(1);
    expect(s.closes()).toBe(1);
  });

  it('a server that ignores the CANCEL still lets return() finish within the deadline', async () => {
    const s = await serve({ ignoreCancel: true });
    const w = new Smb2DirectoryWatch(s.t, 'dir');
    const pending = w.next().catch((e: unknown) => e);
    await s.waitHeld();
    const started = Date.now();
    await w.return();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({ code: 'timeout' });
    expect(s.closes()).toBe(1);
  });

  it('STATUS_NOTIFY_CLEANUP (the handle was closed) ends the iteration', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_NOTIFY_CLEANUP);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(s.closes()).toBe(1);
  });

  it('a CANCELLED nobody asked for and other failures are errors naming the folder', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_CANCELLED);
    await expect(pending).rejects.toMatchObject({ code: 'status', status: NtStatus.STATUS_CANCELLED, path: '\\share\\dir' });
    expect(s.closes()).toBe(1);
    const s2 = await serve();
    const w2 = new Smb2DirectoryWatch(s2.t, 'gone');
    const p2 = w2.next();
    await s2.waitHeld();
    s2.complete(NtStatus.STATUS_DELETE_PENDING);
    await expect(p2).rejects.toMatchObject({ statusName: 'NT_STATUS_DELETE_PENDING' });
  });

  for (const [name, recursive, field] of [
    ['sub\\x', false, 'FileName'],
    ['..', true, 'FileName'],
    ['a\\..\\b', true, 'FileName'],
    ['a\0b', false, 'FileName'],
    ['a/b', true, 'FileName'],
    ['', false, 'FileName'],
  ] as const) {
    it(`a name ${JSON.stringify(name)} in a ${recursive ? 'recursive ' : ''}watch is malformed`, async () => {
      const s = await serve();
      const w = new Smb2DirectoryWatch(s.t, 'dir', { recursive });
      const pending = w.next();
      await s.waitHeld();
      s.complete(NtStatus.STATUS_SUCCESS, [{ action: FILE_ACTION_ADDED, fileName: name }]);
      await expect(pending).rejects.toMatchObject({ code: 'malformed', field });
      expect(s.closes()).toBe(1);
    });
  }

  it('an answer longer than the OutputBufferLength asked for is malformed', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch({ ...s.t, maxTransact: 64 }, 'dir');
    const pending = w.next();
    await s.waitHeld();
    expect(decodeChangeNotifyRequest(s.notifies[0]!).outputBufferLength).toBe(64);
    s.complete(NtStatus.STATUS_SUCCESS, Array.from({ length: 4 }, (_, i) => ({ action: FILE_ACTION_ADDED, fileName: `name-${i}.txt` })));
    await expect(pending).rejects.toMatchObject({ code: 'malformed', field: 'OutputBufferLength' });
    expect(s.closes()).toBe(1);
  });

  it('a recursive watch asks SMB2_WATCH_TREE and takes relative paths', async () => {
    const s = await serve();
    const w = new Smb2DirectoryWatch(s.t, 'dir', { recursive: true });
    const pending = w.next();
    await s.waitHeld();
    expect(decodeChangeNotifyRequest(s.notifies[0]!).flags).toBe(SMB2_WATCH_TREE);
    s.complete(NtStatus.STATUS_SUCCESS, [{ action: FILE_ACTION_ADDED, fileName: 'sub\\x.txt' }]);
    expect((await pending).value).toEqual({ overflow: false, changes: [{ action: 'added', name: 'sub\\x.txt' }] });
    await w.return();
  });
});
