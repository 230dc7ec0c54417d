// The SMB1 connection against a scripted server: answers matched to their request by MID and
// checked (command, PID, UID, TID, signature with the request's own sequence number + 1), at most
// MaxMpxCount in flight, transaction answers in several messages, deadlines, DOS statuses read
// through the table.
import { describe, expect, it } from 'vitest';
import { MalformedMessageError, SmbError, SmbStatusError } from '../errors.js';
import { ScriptedTransport } from '../smb2/scripted-transport.test-helpers.js';
import { SMB_FLAGS2_NT_STATUS, SMB_FLAGS2_SMB_SECURITY_SIGNATURE, SMB_FLAGS2_UNICODE, SMB_FLAGS_REPLY, Smb1Command } from './constants.js';
import { Smb1Connection } from './connection.js';
import { decodeHeader, encodeHeader } from './header.js';
import { signSmb1, verifySmb1 } from './signing.js';
import { hex } from './smb1.test-helpers.js';

const ECHO_BODY = hex('01 0100 0000');
const KEY = hex('00112233445566778899aabbccddeeff');

function setup(maxMpx = 10, timeoutMs = 2000) {
  const transport = new ScriptedTransport();
  const conn = new Smb1Connection(transport, { timeoutMs });
  conn.flags2 = SMB_FLAGS2_UNICODE | SMB_FLAGS2_NT_STATUS;
  conn.maxMpx = maxMpx;
  return { transport, conn };
}

interface Answer {
  command?: number;
  status?: number;
  flags?: number;
  flags2?: number;
  mid?: number;
  uid?: number;
  tid?: number;
  pid?: number;
  body?: Buffer;
  signWith?: { key: Buffer; seq: number };
}

function answer(req: Buffer, a: Answer = {}): Buffer {
  const h = decodeHeader(req);
  const header = encodeHeader({
    command: a.command ?? h.command,
    status: a.status ?? 0,
    flags: a.flags ?? SMB_FLAGS_REPLY,
    flags2: a.flags2 ?? h.flags2,
    pid: a.pid ?? h.pid,
    tid: a.tid ?? h.tid,
    uid: a.uid ?? h.uid,
    mid: a.mid ?? h.mid,
  });
  const parts = [header, a.body ?? hex('00 0000')];
  if (a.signWith) signSmb1(a.signWith.key, a.signWith.seq, parts);
  return Buffer.concat(parts);
}

const echo = (conn: Smb1Connection, extra: { uid?: number; tid?: number } = {}) => conn.send({ command: Smb1Command.ECHO, body: [ECHO_BODY], ...extra });

describe('Smb1Connection', () => {
  it('matches answers to requests by MID, in any order', async () => {
    const { transport, conn } = setup();
    const a = echo(conn);
    const b = conn.send({ command: Smb1Command.TREE_DISCONNECT, body: [hex('00 0000')] });
    const [ra, rb] = transport.sent;
    conn.receive(answer(rb!));
    conn.receive(answer(ra!));
    expect((await a).header.command).toBe(Smb1Command.ECHO);
    expect((await b).header.command).toBe(Smb1Command.TREE_DISCONNECT);
    expect(decodeHeader(ra!).mid).not.toBe(decodeHeader(rb!).mid);
  });

  it.each([
    ['another command', { command: Smb1Command.CLOSE }, MalformedMessageError, /Command/],
    ['a MID never sent', { mid: 999 }, MalformedMessageError, /MID/],
    ['another PID', { pid: 1 }, MalformedMessageError, /PID/],
    ['another UID', { uid: 5 }, SmbError, /UID/],
    ['another TID', { tid: 6 }, SmbError, /TID/],
    ['no REPLY flag', { flags: 0 }, MalformedMessageError, /request arrived/],
  ])('an answer with %s ends the connection', async (_what, a, type, re) => {
    const { transport, conn } = setup();
    const p = echo(conn, { uid: 1, tid: 2 });
    conn.receive(answer(transport.sent[0]!, a));
    await expect(p).rejects.toThrow(type);
    await expect(p).rejects.toThrow(re);
    expect(conn.closed).toBe(true);
    expect(transport.closed).toBe(true);
  });

  it('the UID of SESSION_SETUP and the TID of TREE_CONNECT are the server\'s to assign', async () => {
    const { transport, conn } = setup();
    const s = conn.send({ command: Smb1Command.SESSION_SETUP_ANDX, body: [hex('00 0000')], assignsUid: true });
    conn.receive(answer(transport.sent[0]!, { uid: 100 }));
    expect((await s).header.uid).toBe(100);
    const t = conn.send({ command: Smb1Command.TREE_CONNECT_ANDX, body: [hex('00 0000')], uid: 100, assignsTid: true });
    conn.receive(answer(transport.sent[1]!, { tid: 9 }));
    expect((await t).header.tid).toBe(9);
  });

  it('an oplock break (LOCKING_ANDX request, MID 0xFFFF) is ignored: we hold none', async () => {
    const { transport, conn } = setup();
    const p = echo(conn);
    conn.receive(answer(transport.sent[0]!, { command: Smb1Command.LOCKING_ANDX, mid: 0xffff, flags: 0 }));
    expect(conn.closed).toBe(false);
    conn.receive(answer(transport.sent[0]!));
    await p;
  });

  it('DOS statuses read through the table; SESSION_SETUP refusals are auth errors', async () => {
    const { transport, conn } = setup();
    const p = conn.call({ command: Smb1Command.DELETE, body: [hex('00 0000')], operation: 'unlink', path: '\\s\\x' });
    conn.receive(answer(transport.sent[0]!, { flags2: SMB_FLAGS2_UNICODE, status: 0x00020001 })); // ERRDOS/ERRbadfile
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SmbStatusError);
    expect((e as SmbStatusError).statusName).toBe('NT_STATUS_NO_SUCH_FILE');
    const s = conn.call({ command: Smb1Command.SESSION_SETUP_ANDX, body: [hex('00 0000')], assignsUid: true });
    conn.receive(answer(transport.sent[1]!, { status: 0xc000006d }));
    await expect(s).rejects.toMatchObject({ code: 'auth', statusName: 'NT_STATUS_LOGON_FAILURE' });
  });

  it('keeps at most MaxMpxCount requests in flight', async () => {
    const { transport, conn } = setup(2);
    const all = [echo(conn), echo(conn), echo(conn)];
    expect(transport.sent).toHaveLength(2);
    conn.receive(answer(transport.sent[0]!));
    await all[0];
    expect(transport.sent).toHaveLength(3);
    conn.receive(answer(transport.sent[1]!));
    conn.receive(answer(transport.sent[2]!));
    await Promise.all(all);
  });

  it('a transaction answer may take several messages', async () => {
    const { transport, conn } = setup();
    let pieces = 0;
    const p = conn.send({ command: Smb1Command.TRANSACTION2, body: [hex('00 0000')], complete: () => ++pieces === 3 });
    for (let i = 0; i < 3; i++) conn.receive(answer(transport.sent[0]!));
    expect((await p).messages).toHaveLength(3);
  });

  describe('signing (MS-CIFS 3.1.5.1)', () => {
    it('signs requests 2, 4, … and verifies each answer with its request\'s number + 1', async () => {
      const { transport, conn } = setup();
      conn.startSigning(KEY);
      const a = echo(conn);
      const b = echo(conn);
      const [ra, rb] = transport.sent;
      expect(decodeHeader(ra!).flags2 & SMB_FLAGS2_SMB_SECURITY_SIGNATURE).not.toBe(0);
      expect(verifySmb1(KEY, 2, ra!)).toBe(true);
      expect(verifySmb1(KEY, 4, rb!)).toBe(true);
      // Answer out of order: each is verified with its own request's number.
      conn.receive(answer(rb!, { signWith: { key: KEY, seq: 5 } }));
      conn.receive(answer(ra!, { signWith: { key: KEY, seq: 3 } }));
      await Promise.all([a, b]);
    });
    it.each([
      ['unsigned', undefined],
      ['signed with the wrong number', { key: KEY, seq: 4 }],
      ['signed with another key', { key: hex('ff'.repeat(16)), seq: 3 }],
    ])('an answer %s is a security error and ends the connection', async (_what, signWith) => {
      const { transport, conn } = setup();
      conn.startSigning(KEY);
      const p = echo(conn);
      conn.receive(answer(transport.sent[0]!, signWith ? { signWith } : {}));
      await expect(p).rejects.toMatchObject({ code: 'security' });
      expect(conn.closed).toBe(true);
    });
  });

  it('a missed ECHO deadline ends the connection with a timeout', async () => {
    const { conn } = setup(10, 50);
    await expect(echo(conn)).rejects.toMatchObject({ code: 'timeout' });
    expect(conn.closed).toBe(true);
  });

  describe('a request past its deadline (NT_CANCEL, then an ECHO)', () => {
    const read = (conn: Smb1Connection) => conn.send({ command: Smb1Command.READ_ANDX, body: [hex('00 0000')], uid: 7, tid: 3, operation: 'read', path: '\\s\\f' });
    const waitFor = async (cond: () => boolean) => {
      for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
    };

    it('fails alone: NT_CANCEL with its MID, UID and TID, an ECHO answered keeps the connection, its late answer is dropped', async () => {
      const { transport, conn } = setup(10, 60);
      const p = read(conn);
      await expect(p).rejects.toMatchObject({ code: 'timeout', operation: 'read', path: '\\s\\f' });
      const [req, cancel, probe] = transport.sent;
      const r = decodeHeader(req!);
      expect(decodeHeader(cancel!)).toMatchObject({ command: Smb1Command.NT_CANCEL, mid: r.mid, uid: 7, tid: 3, pid: r.pid });
      expect(cancel!.subarray(32)).toEqual(hex('00 0000'));
      expect(decodeHeader(probe!)).toMatchObject({ command: Smb1Command.ECHO, tid: 0xffff });
      conn.receive(answer(probe!));
      // The cancelled MID is not reused until its answer comes; then that answer is dropped.
      const next = echo(conn);
      expect(decodeHeader(transport.sent[3]!).mid).not.toBe(r.mid);
      conn.receive(answer(req!, { status: 0xc0000120 })); // STATUS_CANCELLED
      conn.receive(answer(transport.sent[3]!));
      await next;
      expect(conn.closed).toBe(false);
      // A second answer to the same MID is no longer expected: a protocol error.
      conn.receive(answer(req!));
      expect(conn.closed).toBe(true);
    });

    it('an unanswered ECHO after it ends the connection', async () => {
      const { transport, conn } = setup(10, 40);
      await expect(read(conn)).rejects.toMatchObject({ code: 'timeout' });
      expect(conn.closed).toBe(false);
      await waitFor(() => conn.closed);
      expect(conn.closed).toBe(true);
      expect(transport.closed).toBe(true);
      expect(decodeHeader(transport.sent[2]!).command).toBe(Smb1Command.ECHO);
    });

    it('frees its MaxMpxCount slot for the next request', async () => {
      const { transport, conn } = setup(1, 40);
      const p = read(conn);
      const q = echo(conn);
      expect(transport.sent).toHaveLength(1);
      await expect(p).rejects.toMatchObject({ code: 'timeout' });
      // NT_CANCEL, then the waiting ECHO (the probe waits behind it).
      expect(transport.sent.map((m) => decodeHeader(m).command)).toEqual([Smb1Command.READ_ANDX, Smb1Command.NT_CANCEL, Smb1Command.ECHO]);
      conn.receive(answer(transport.sent[2]!));
      await q;
    });

    it('with signing, NT_CANCEL takes one sequence number (it has no answer), the next request the one after', async () => {
      const { transport, conn } = setup(10, 40);
      conn.startSigning(KEY);
      await expect(read(conn)).rejects.toMatchObject({ code: 'timeout' });
      const [req, cancel, probe] = transport.sent;
      expect(verifySmb1(KEY, 2, req!)).toBe(true);
      expect(verifySmb1(KEY, 4, cancel!)).toBe(true);
      expect(verifySmb1(KEY, 5, probe!)).toBe(true);
      // The late answer is verified with its own request's number + 1.
      conn.receive(answer(req!, { signWith: { key: KEY, seq: 3 } }));
      expect(conn.closed).toBe(false);
    });

    it('a late answer with a bad signature is still a security error', async () => {
      const { transport, conn } = setup(10, 40);
      conn.startSigning(KEY);
      await expect(read(conn)).rejects.toMatchObject({ code: 'timeout' });
      conn.receive(answer(transport.sent[0]!, { signWith: { key: KEY, seq: 4 } }));
      expect(conn.closed).toBe(true);
    });
  });
});
