// Long polls (Smb2Request.untilAborted, used by CHANGE_NOTIFY): no deadline once the server went
// async, but a caller who gives up is never left hanging and the connection stays usable.
import { describe, expect, it } from 'vitest';
import type { SmbError } from '../errors.js';
import type { Smb2Request } from './connection.js';
import { PENDING_LIMIT_FACTOR } from './connection.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, SMB2_FLAGS_SIGNED, Smb2Command } from './constants.js';
import { decodeHeader } from './header.js';
import { NtStatus } from './nt-status.js';
import { SESSION, TREE, answer, setup } from './scripted-transport.test-helpers.js';

const TIMEOUT = 60;
const ASYNC = SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_ASYNC_COMMAND;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const notify = (signal: AbortSignal): Smb2Request => ({
  command: Smb2Command.CHANGE_NOTIFY,
  body: [Buffer.alloc(32)],
  sessionId: SESSION,
  treeId: TREE,
  operation: 'watch',
  untilAborted: signal,
});

/** A server that answers CHANGE_NOTIFY with STATUS_PENDING (AsyncId 42) and ECHO / READ at once. */
function server(opts: { interim?: boolean; onCancel?: (cancel: Buffer, notify: Buffer) => void } = {}) {
  const { transport, conn } = setup({ timeoutMs: TIMEOUT });
  let notifyMsg: Buffer | undefined;
  transport.onSend = (msg) => {
    const h = decodeHeader(msg);
    if (h.command === Smb2Command.CHANGE_NOTIFY) {
      notifyMsg = msg;
      if (opts.interim !== false) queueMicrotask(() => conn.receive(answer(msg, { status: NtStatus.STATUS_PENDING, flags: ASYNC, asyncId: 42n })));
    } else if (h.command === Smb2Command.CANCEL) opts.onCancel?.(msg, notifyMsg!);
    else queueMicrotask(() => conn.receive(answer(msg, { body: Buffer.from([4, 0, 0, 0]) })));
  };
  const finalAnswer = (status: number) => answer(notifyMsg!, { status, flags: ASYNC | SMB2_FLAGS_SIGNED, asyncId: 42n });
  const cancels = () => transport.sent.map(decodeHeader).filter((h) => h.command === Smb2Command.CANCEL);
  return { transport, conn, finalAnswer, cancels };
}

describe('long polls (CHANGE_NOTIFY)', () => {
  it('once async, waits past PENDING_LIMIT_FACTOR times the timeout without a CANCEL, then takes the answer', async () => {
    const { conn, finalAnswer, cancels } = server();
    const pending = conn.send(notify(new AbortController().signal));
    await sleep(TIMEOUT * PENDING_LIMIT_FACTOR + 150);
    expect(cancels()).toHaveLength(0);
    conn.receive(finalAnswer(NtStatus.STATUS_SUCCESS));
    const res = await pending;
    expect(res.header.status).toBe(NtStatus.STATUS_SUCCESS);
    expect(conn.closed).toBe(false);
  });

  it('abort sends CANCEL with the AsyncId; STATUS_CANCELLED ends it and the connection goes on', async () => {
    const { conn, finalAnswer, cancels } = server({ onCancel: (_c) => queueMicrotask(() => conn.receive(finalAnswer(NtStatus.STATUS_CANCELLED))) });
    const stop = new AbortController();
    const pending = conn.send(notify(stop.signal));
    await sleep(10);
    stop.abort();
    const res = await pending;
    expect(res.header.status).toBe(NtStatus.STATUS_CANCELLED);
    const [cancel] = cancels();
    expect(cancel!.flags & SMB2_FLAGS_ASYNC_COMMAND).toBeTruthy();
    expect(cancel!.asyncId).toBe(42n);
    await expect(conn.send({ command: Smb2Command.READ, body: [Buffer.alloc(49)], sessionId: SESSION, treeId: TREE })).resolves.toBeDefined();
  });

  it('a server that ignores the CANCEL cannot hang the caller: it fails as timed out, the connection lives (ECHO answered)', async () => {
    const { conn, cancels } = server();
    const stop = new AbortController();
    const pending = conn.send(notify(stop.signal));
    await sleep(10);
    const started = Date.now();
    stop.abort();
    const err = await pending.catch((e: SmbError) => e);
    expect(err).toMatchObject({ code: 'timeout', command: 'CHANGE_NOTIFY' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT * PENDING_LIMIT_FACTOR);
    expect(cancels().length).toBeGreaterThanOrEqual(1);
    await sleep(20);
    expect(conn.closed).toBe(false);
  });

  it('aborted before the interim answer: CANCEL by MessageId, then again by AsyncId once the server went async', async () => {
    const { conn, transport, finalAnswer, cancels } = server({ interim: false });
    const stop = new AbortController();
    const pending = conn.send(notify(stop.signal));
    await sleep(1); // sent, not yet answered
    stop.abort();
    const first = cancels()[0]!;
    expect(first.flags & SMB2_FLAGS_ASYNC_COMMAND).toBe(0);
    expect(first.messageId).toBe(decodeHeader(transport.sent.find((m) => decodeHeader(m).command === Smb2Command.CHANGE_NOTIFY)!).messageId);
    conn.receive(answer(transport.sent[0]!, { status: NtStatus.STATUS_PENDING, flags: ASYNC, asyncId: 42n }));
    expect(cancels()[1]?.asyncId).toBe(42n);
    conn.receive(finalAnswer(NtStatus.STATUS_CANCELLED));
    expect((await pending).header.status).toBe(NtStatus.STATUS_CANCELLED);
  });

  it('a long poll the server never acknowledges times out like any request', async () => {
    const { conn } = server({ interim: false });
    const started = Date.now();
    await expect(conn.send(notify(new AbortController().signal))).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT * PENDING_LIMIT_FACTOR);
  });

  it('an already aborted signal sends the CANCEL right behind the request', async () => {
    const { conn, finalAnswer, cancels } = server({ onCancel: () => queueMicrotask(() => conn.receive(finalAnswer(NtStatus.STATUS_CANCELLED))) });
    const stop = new AbortController();
    stop.abort();
    const res = await conn.send(notify(stop.signal));
    expect(res.header.status).toBe(NtStatus.STATUS_CANCELLED);
    expect(cancels()).toHaveLength(1);
  });

  it('a connection that ends fails the long poll at once', async () => {
    const { conn } = server();
    const pending = conn.send(notify(new AbortController().signal));
    await sleep(10);
    conn.fail(new (await import('../errors.js')).SmbError('transport', 'gone'));
    await expect(pending).rejects.toMatchObject({ code: 'transport' });
  });
});
