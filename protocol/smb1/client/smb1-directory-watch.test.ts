// Watching a folder on SMB1 against a scripted server that holds every NT_TRANSACT_NOTIFY_CHANGE
// until the test answers it: batches per answer, re-armed on demand, "list again" answers, hostile
// names and counts, and every way of ending it (return, abort, the folder gone, the connection
// gone) closing the handle it opened.
import { describe, expect, it } from 'vitest';
import { MalformedMessageError, SmbStatusError } from '../../errors.js';
import { FILE_ACTION_ADDED, FILE_ACTION_REMOVED, encodeFileNotifyInformation, type FileNotifyInformation } from '../../fscc/file-notify-information.js';
import { NtStatus } from '../../smb2/nt-status.js';
import { ScriptedTransport } from '../../smb2/scripted-transport.test-helpers.js';
import { SMB_FLAGS2_NT_STATUS, SMB_FLAGS2_UNICODE, Smb1Command } from '../constants.js';
import { Smb1Connection } from '../connection.js';
import { decodeHeader } from '../header.js';
import type { Smb1Negotiated } from '../negotiate-exchange.js';
import { hex, reply } from '../smb1.test-helpers.js';
import { decodeNotifyChangeRequest, encodeNotifyChangeResponse } from '../commands/nt-transact-notify-change.js';
import { Smb1DirectoryWatch } from './smb1-directory-watch.js';
import { Smb1Tree } from './smb1-tree.js';
import type { Smb1TreeContext } from './tree-context.js';

const FID = 0x4001;
const UID = 0x64;
const TID = 0x7;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** NT_CREATE_ANDX response Words (MS-CIFS 2.2.4.64.2, WordCount 0x22) for a directory with FID. */
function createAnswer(): Buffer {
  const w = Buffer.alloc(0x22 * 2);
  w.writeUInt8(0xff, 0); // AndXCommand: none
  w.writeUInt16LE(FID, 5);
  w.writeUInt32LE(1, 7); // CreateDisposition FILE_OPEN
  w.writeUInt32LE(0x10, 7 + 4 + 32); // ExtFileAttributes: directory
  w.writeUInt8(1, 0x22 * 2 - 1); // Directory
  return Buffer.concat([Buffer.from([0x22]), w, hex('0000')]);
}

interface ServeOptions {
  ignoreCancel?: boolean;
  createStatus?: number;
  maxMpx?: number;
  openAndX?: boolean;
}

function serve(o: ServeOptions = {}) {
  const transport = new ScriptedTransport();
  const conn = new Smb1Connection(transport, { timeoutMs: 100 });
  conn.flags2 = SMB_FLAGS2_UNICODE | SMB_FLAGS2_NT_STATUS;
  conn.maxMpx = o.maxMpx ?? 10;
  const notifies: Buffer[] = [];
  let held: Buffer | undefined;
  let closes = 0;
  const answer = (req: Buffer, status: number, rest: Buffer) => {
    const h = decodeHeader(req);
    conn.receive(reply(h.command, rest, { status, mid: h.mid, pid: h.pid, uid: h.uid, tid: h.tid }));
  };
  /** Completes the held notify: with entries (success), with raw parameters, or with a status alone. */
  const complete = (status: number, entries?: FileNotifyInformation[] | Buffer) => {
    const req = held!;
    held = undefined;
    const params = Buffer.isBuffer(entries) ? entries : entries ? encodeFileNotifyInformation(entries) : undefined;
    answer(req, status, params ? encodeNotifyChangeResponse(params) : hex('00 0000'));
  };
  transport.onSend = (msg) => {
    const h = decodeHeader(msg);
    queueMicrotask(() => {
      if (h.command === Smb1Command.NT_CREATE_ANDX) answer(msg, o.createStatus ?? 0, o.createStatus ? hex('00 0000') : createAnswer());
      else if (h.command === Smb1Command.NT_TRANSACT) {
        notifies.push(msg);
        held = msg;
      } else if (h.command === Smb1Command.NT_CANCEL) {
        if (!o.ignoreCancel && held) complete(NtStatus.STATUS_CANCELLED);
      } else if (h.command === Smb1Command.CLOSE) {
        closes++;
        if (held) complete(NtStatus.STATUS_NOTIFY_CLEANUP);
        answer(msg, 0, hex('00 0000'));
      } else answer(msg, 0, hex('00 0000'));
    });
  };
  const neg = { openAndX: o.openAndX ?? false, maxMpxCount: conn.maxMpx } as Smb1Negotiated;
  const t: Smb1TreeContext = { conn, uid: UID, tid: TID, share: 'share', neg };
  const sent = (command: number) => transport.sent.filter((m) => decodeHeader(m).command === command);
  const waitHeld = async () => {
    for (let i = 0; i < 200 && !held; i++) await sleep(1);
    expect(held).toBeDefined();
  };
  return { t, conn, transport, notifies, complete, waitHeld, sent, closes: () => closes };
}

describe('watching a folder on SMB1 (NT_TRANSACT_NOTIFY_CHANGE)', () => {
  it('one batch per answer; the request names the folder FID and asks for a 0xFF00 buffer; re-armed only when asked', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const first = w.next();
    await s.waitHeld();
    expect(decodeHeader(s.notifies[0]!)).toMatchObject({ uid: UID, tid: TID });
    expect(decodeNotifyChangeRequest(s.notifies[0]!)).toEqual({ fid: FID, completionFilter: 0x1f, watchTree: false, maxParameterCount: 0xff00 });
    s.complete(NtStatus.STATUS_SUCCESS, [
      { action: FILE_ACTION_ADDED, fileName: 'new.txt' },
      { action: FILE_ACTION_REMOVED, fileName: 'old.txt' },
    ]);
    expect(await first).toEqual({ done: false, value: { overflow: false, changes: [{ action: 'added', name: 'new.txt' }, { action: 'removed', name: 'old.txt' }] } });
    await sleep(10);
    expect(s.notifies).toHaveLength(1);
    const second = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_NOTIFY_ENUM_DIR);
    expect(await second).toEqual({ done: false, value: { overflow: true, changes: [] } });
    const third = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, Buffer.alloc(0)); // success listing nothing: the server cannot say
    expect(await third).toEqual({ done: false, value: { overflow: true, changes: [] } });
    expect(s.sent(Smb1Command.NT_CREATE_ANDX)).toHaveLength(1); // the folder is opened once
    await w.return();
    expect(s.closes()).toBe(1);
  });

  it('return() while waiting sends NT_CANCEL with the MID, ends the iteration and closes the folder', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    await expect(w.return()).resolves.toEqual({ done: true, value: undefined });
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    expect(decodeHeader(s.sent(Smb1Command.NT_CANCEL)[0]!).mid).toBe(decodeHeader(s.notifies[0]!).mid);
    expect(s.closes()).toBe(1);
    expect(s.conn.closed).toBe(false);
    expect(await w.next()).toEqual({ done: true, value: undefined });
  });

  it('aborting the signal ends a for-await loop without an error', async () => {
    const s = serve();
    const stop = new AbortController();
    const seen: unknown[] = [];
    const loop = (async () => {
      for await (const batch of new Smb1DirectoryWatch(s.t, 'dir', { signal: stop.signal })) seen.push(batch);
    })();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, [{ action: FILE_ACTION_ADDED, fileName: 'a' }]);
    await s.waitHeld();
    stop.abort();
    await loop;
    expect(seen).toHaveLength(1);
    expect(s.closes()).toBe(1);
  });

  it('a server that ignores the cancel: return() is bounded by the deadline, the folder is still closed', async () => {
    const s = serve({ ignoreCancel: true });
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next().catch((e: unknown) => e);
    await s.waitHeld();
    const started = Date.now();
    await w.return();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await pending).toMatchObject({ code: 'timeout' });
    expect(s.sent(Smb1Command.CLOSE)).toHaveLength(1);
  });

  it('a cancel by someone else (STATUS_CANCELLED we did not ask for) fails the watch with the status', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_CANCELLED);
    await expect(pending).rejects.toMatchObject({ status: NtStatus.STATUS_CANCELLED, command: 'SMB_COM_NT_TRANSACT', operation: 'watch', path: '\\share\\dir' });
    expect(s.closes()).toBe(1);
  });

  it('a folder that does not exist fails the first next() with the server status', async () => {
    const s = serve({ createStatus: NtStatus.STATUS_OBJECT_NAME_NOT_FOUND });
    const w = new Smb1DirectoryWatch(s.t, 'gone');
    await expect(w.next()).rejects.toBeInstanceOf(SmbStatusError);
    expect(s.notifies).toHaveLength(0);
    expect(await w.next()).toEqual({ done: true, value: undefined });
  });

  it('an error answer (the folder went away) fails the watch and closes the handle', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_DELETE_PENDING);
    await expect(pending).rejects.toMatchObject({ status: NtStatus.STATUS_DELETE_PENDING });
    expect(s.closes()).toBe(1);
  });

  it.each([
    ['a path in a watch of one folder', [{ action: FILE_ACTION_ADDED, fileName: 'sub\\x' }]],
    ['a parent-folder name', [{ action: FILE_ACTION_ADDED, fileName: '..' }]],
    ['an empty name', [{ action: FILE_ACTION_ADDED, fileName: '' }]],
  ])('%s is malformed; the handle is closed', async (_, entries) => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, entries);
    await expect(pending).rejects.toBeInstanceOf(MalformedMessageError);
    expect(s.closes()).toBe(1);
  });

  it('a recursive watch sets WatchTree and takes relative paths', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir', { recursive: true });
    const first = w.next();
    await s.waitHeld();
    expect(decodeNotifyChangeRequest(s.notifies[0]!).watchTree).toBe(true);
    s.complete(NtStatus.STATUS_SUCCESS, [{ action: FILE_ACTION_ADDED, fileName: 'sub\\deep.txt' }]);
    expect(await first).toEqual({ done: false, value: { overflow: false, changes: [{ action: 'added', name: 'sub\\deep.txt' }] } });
    await w.return();
  });

  it('an answer longer than the buffer asked for ends the connection with a typed error, and the watch with it', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next();
    await s.waitHeld();
    s.complete(NtStatus.STATUS_SUCCESS, Buffer.alloc(0xff04, 0));
    await expect(pending).rejects.toBeInstanceOf(MalformedMessageError);
    expect(s.conn.closed).toBe(true);
  });

  it('the connection ending while it waits fails it at once', async () => {
    const s = serve();
    const w = new Smb1DirectoryWatch(s.t, 'dir');
    const pending = w.next().catch((e: unknown) => e);
    await s.waitHeld();
    s.conn.fail(new MalformedMessageError('test', 'cut', 'connection gone'));
    expect(await pending).toBeInstanceOf(MalformedMessageError);
    expect(s.sent(Smb1Command.CLOSE)).toHaveLength(0); // nothing can be sent any more
  });

  it('the tree offers watchDirectory with NT_CREATE_ANDX, not on a server opened with OPEN_ANDX', () => {
    expect(new Smb1Tree(serve().t).watchDirectory).toBeTypeOf('function');
    expect(new Smb1Tree(serve({ openAndX: true }).t).watchDirectory).toBeUndefined();
  });
});
