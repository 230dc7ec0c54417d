// Long polls on the SMB1 connection (Smb1Request.untilAborted, for NT_TRANSACT_NOTIFY_CHANGE): no
// deadline while the server holds one, NT_CANCEL with its MID once the caller gives up, that
// cancel's answer bounded by the usual deadline, at most half the MaxMpxCount slots held.
import { describe, expect, it } from 'vitest';
import { SmbError } from '../errors.js';
import { ScriptedTransport } from '../smb2/scripted-transport.test-helpers.js';
import { SMB_FLAGS2_NT_STATUS, SMB_FLAGS2_UNICODE, Smb1Command } from './constants.js';
import { Smb1Connection } from './connection.js';
import { decodeHeader } from './header.js';
import { hex, reply } from './smb1.test-helpers.js';

const STATUS_CANCELLED = 0xc0000120;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(maxMpx = 10, timeoutMs = 60) {
  const transport = new ScriptedTransport();
  const conn = new Smb1Connection(transport, { timeoutMs });
  conn.flags2 = SMB_FLAGS2_UNICODE | SMB_FLAGS2_NT_STATUS;
  conn.maxMpx = maxMpx;
  return { transport, conn };
}

/** The answer to a request the client sent, with its MID, PID, UID and TID. */
function answerTo(req: Buffer, status = 0): Buffer {
  const h = decodeHeader(req);
  return reply(h.command, hex('00 0000'), { status, mid: h.mid, pid: h.pid, uid: h.uid, tid: h.tid });
}

const poll = (conn: Smb1Connection, signal: AbortSignal) =>
  conn.send({ command: Smb1Command.NT_TRANSACT, body: [hex('00 0000')], uid: 7, tid: 3, untilAborted: signal, operation: 'watch', path: '\\s\\d' });
const echo = (conn: Smb1Connection) => conn.send({ command: Smb1Command.ECHO, body: [hex('01 0100 0000')] });
const commands = (t: ScriptedTransport) => t.sent.map((m) => decodeHeader(m).command);

describe('a long poll (untilAborted)', () => {
  it('waits well past the deadline without a cancel, and its answer is delivered', async () => {
    const { transport, conn } = setup(10, 30);
    const stop = new AbortController();
    const p = poll(conn, stop.signal);
    await sleep(150); // five deadlines
    expect(commands(transport)).toEqual([Smb1Command.NT_TRANSACT]);
    expect(conn.closed).toBe(false);
    conn.receive(answerTo(transport.sent[0]!));
    expect((await p).status).toBe(0);
  });

  it('on abort sends NT_CANCEL with its MID, UID and TID, and resolves with the STATUS_CANCELLED answer', async () => {
    const { transport, conn } = setup();
    const stop = new AbortController();
    const p = poll(conn, stop.signal);
    stop.abort();
    const [req, cancel] = transport.sent;
    const r = decodeHeader(req!);
    expect(decodeHeader(cancel!)).toMatchObject({ command: Smb1Command.NT_CANCEL, mid: r.mid, uid: 7, tid: 3, pid: r.pid });
    conn.receive(answerTo(req!, STATUS_CANCELLED));
    expect((await p).status).toBe(STATUS_CANCELLED);
    expect(conn.closed).toBe(false);
  });

  it('a server that ignores the cancel: the poll fails as timed out within the deadline, the connection lives if it answers an ECHO', async () => {
    const { transport, conn } = setup(10, 50);
    const stop = new AbortController();
    const p = poll(conn, stop.signal);
    await sleep(20);
    const started = Date.now();
    stop.abort();
    await expect(p).rejects.toMatchObject({ code: 'timeout', operation: 'watch', path: '\\s\\d' });
    expect(Date.now() - started).toBeLessThan(500);
    // NT_CANCEL on abort, again at the timeout, then the ECHO probe.
    expect(commands(transport)).toEqual([Smb1Command.NT_TRANSACT, Smb1Command.NT_CANCEL, Smb1Command.NT_CANCEL, Smb1Command.ECHO]);
    conn.receive(answerTo(transport.sent[3]!));
    // Its late answer is still expected and dropped.
    conn.receive(answerTo(transport.sent[0]!, STATUS_CANCELLED));
    await sleep(1);
    expect(conn.closed).toBe(false);
  });

  it('an already aborted signal sends the request and its cancel at once', async () => {
    const { transport, conn } = setup();
    const stop = new AbortController();
    stop.abort();
    const p = poll(conn, stop.signal);
    expect(commands(transport)).toEqual([Smb1Command.NT_TRANSACT, Smb1Command.NT_CANCEL]);
    conn.receive(answerTo(transport.sent[0]!, STATUS_CANCELLED));
    expect((await p).status).toBe(STATUS_CANCELLED);
  });

  it('the connection ending fails it at once with the connection error', async () => {
    const { conn } = setup();
    const p = poll(conn, new AbortController().signal);
    conn.fail(new SmbError('transport', 'gone'));
    await expect(p).rejects.toMatchObject({ code: 'transport', message: 'gone' });
  });

  it('at most half of MaxMpxCount may wait; ordinary requests keep the rest, and a settled poll frees its place', async () => {
    const { transport, conn } = setup(4);
    const stop = new AbortController();
    const a = poll(conn, stop.signal);
    const b = poll(conn, stop.signal);
    await expect(poll(conn, stop.signal)).rejects.toMatchObject({ code: 'unsupported', command: 'SMB_COM_NT_TRANSACT' });
    const e1 = echo(conn);
    const e2 = echo(conn);
    expect(transport.sent).toHaveLength(4); // two polls, two ECHOs: all in flight
    for (const m of transport.sent.slice(2)) conn.receive(answerTo(m));
    await Promise.all([e1, e2]);
    conn.receive(answerTo(transport.sent[0]!));
    await a;
    const c = poll(conn, stop.signal);
    expect(commands(transport).filter((x) => x === Smb1Command.NT_TRANSACT)).toHaveLength(3);
    stop.abort();
    for (const m of transport.sent.filter((x) => decodeHeader(x).command === Smb1Command.NT_TRANSACT).slice(1)) conn.receive(answerTo(m, STATUS_CANCELLED));
    await Promise.all([b, c]);
  });

  it('a server allowing one request at a time takes no long poll (it would block everything else)', async () => {
    const { transport, conn } = setup(1);
    await expect(poll(conn, new AbortController().signal)).rejects.toMatchObject({ code: 'unsupported' });
    expect(transport.sent).toHaveLength(0);
  });
});
