// The connection against a scripted server: every way a man in the middle or a broken server can
// answer must end in a typed error or be ignored per spec, never a skipped signature check or a hang.
import { describe, expect, it } from 'vitest';
import type { SmbError } from '../errors.js';
import { Smb2Connection, type Smb2Request } from './connection.js';
import { SMB2_FLAGS_ASYNC_COMMAND, SMB2_FLAGS_SERVER_TO_REDIR, Smb2Command } from './constants.js';
import { decodeHeader } from './header.js';
import { NtStatus } from './nt-status.js';
import { encodeOplockBreakNotification } from './commands/oplock-break.js';
import { ScriptedTransport, SESSION, TREE, answer, grant, setup, type Answer } from './scripted-transport.test-helpers.js';

const read = (extra: Partial<Smb2Request> = {}): Smb2Request => ({
  command: Smb2Command.READ,
  body: [Buffer.alloc(49)],
  sessionId: SESSION,
  treeId: TREE,
  operation: 'read',
  ...extra,
});

async function sendAndAnswer(a: Answer, opts?: { signRequests?: boolean }) {
  const { transport, conn } = setup(opts);
  transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg, a)));
  const outcome = await conn.send(read()).then(
    (r) => ({ ok: true as const, r }),
    (e: SmbError) => ({ ok: false as const, e }),
  );
  return { outcome, conn, transport };
}

describe('signatures are checked by the session of the request', () => {
  it('accepts a correctly signed answer', async () => {
    const { outcome } = await sendAndAnswer({});
    expect(outcome.ok).toBe(true);
  });

  for (const [name, sessionId] of [
    ['0', 0n],
    ['an unknown id', 0xdeadbeefn],
  ] as const) {
    it(`an unsigned answer whose SessionId was set to ${name} is refused and closes the connection`, async () => {
      const { outcome, conn } = await sendAndAnswer({ sessionId, flags: SMB2_FLAGS_SERVER_TO_REDIR });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.e).toMatchObject({ code: 'malformed', field: 'SessionId' });
      expect(conn.closed).toBe(true);
    });
  }

  it('an unsigned answer with the right SessionId is a security error', async () => {
    const { outcome, conn } = await sendAndAnswer({ flags: SMB2_FLAGS_SERVER_TO_REDIR });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.e.code).toBe('security');
    expect(conn.closed).toBe(true);
  });

  it('a forged signature is a security error even where signing is optional', async () => {
    const { transport, conn } = setup({ signRequests: false });
    transport.onSend = (msg) => {
      const res = answer(msg);
      res.writeUInt8(res.readUInt8(50) ^ 1, 50);
      queueMicrotask(() => conn.receive(res));
    };
    await expect(conn.send(read())).rejects.toMatchObject({ code: 'security' });
  });

  it('an answer naming another tree is malformed', async () => {
    const { outcome } = await sendAndAnswer({ treeId: TREE + 1 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.e).toMatchObject({ code: 'malformed', field: 'TreeId' });
  });

  it('an interim answer naming another session is malformed', async () => {
    const { outcome } = await sendAndAnswer({
      sessionId: 0n,
      status: NtStatus.STATUS_PENDING,
      flags: SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_ASYNC_COMMAND,
    });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.e.code).toBe('malformed');
  });

  it('the first SESSION_SETUP answer may name the new session', async () => {
    const transport = new ScriptedTransport();
    const conn = new Smb2Connection(transport, { timeoutMs: 2000 });
    transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg, { sessionId: 42n, flags: SMB2_FLAGS_SERVER_TO_REDIR })));
    const res = await conn.send({ command: Smb2Command.SESSION_SETUP, body: [Buffer.alloc(25)] });
    expect(res.header.sessionId).toBe(42n);
  });
});

describe('answers to nothing we sent', () => {
  it('a second answer with the same MessageId is malformed', async () => {
    const { transport, conn } = setup();
    transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg)));
    const res = await conn.send(read());
    conn.receive(answer(transport.sent[0]!));
    expect(res.header.status).toBe(0);
    expect(conn.closed).toBe(true);
    expect(transport.closeError).toMatchObject({ code: 'malformed', field: 'MessageId' });
  });

  it('an unsolicited oplock or lease break is ignored and its credits kept', async () => {
    const { transport, conn } = setup();
    transport.onSend = (msg) =>
      queueMicrotask(() => {
        const unsolicited = { command: Smb2Command.OPLOCK_BREAK, messageId: 0xffffffffffffffffn, sessionId: 0n, treeId: 0, flags: SMB2_FLAGS_SERVER_TO_REDIR };
        conn.receive(answer(msg, { ...unsolicited, credits: 2, body: encodeOplockBreakNotification({ oplockLevel: 0, fileId: Buffer.alloc(16, 9) }) }));
        conn.receive(answer(msg, { ...unsolicited, credits: 1, body: Buffer.concat([Buffer.from([44, 0]), Buffer.alloc(42)]) }));
        conn.receive(answer(msg));
      });
    await conn.send(read());
    expect(conn.closed).toBe(false);
    expect(conn.creditsAvailable).toBe(4);
  });

  it('a break of an oplock we hold goes to its holder', async () => {
    const { transport, conn } = setup();
    const fileId = Buffer.alloc(16, 5);
    const levels: number[] = [];
    const unwatch = conn.watchOplock(fileId, (level) => levels.push(level));
    transport.onSend = (msg) =>
      queueMicrotask(() => {
        conn.receive(answer(msg, { command: Smb2Command.OPLOCK_BREAK, messageId: 0xffffffffffffffffn, sessionId: 0n, treeId: 0, flags: SMB2_FLAGS_SERVER_TO_REDIR, body: encodeOplockBreakNotification({ oplockLevel: 1, fileId }) }));
        conn.receive(answer(msg));
      });
    await conn.send(read());
    unwatch();
    expect(levels).toEqual([1]);
  });

  it('an unsolicited answer of another command is malformed', async () => {
    const { transport, conn } = setup();
    transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg, { messageId: 0xffffffffffffffffn })));
    await expect(conn.send(read())).rejects.toMatchObject({ code: 'malformed' });
  });
});

describe('deadlines', () => {
  it('STATUS_PENDING extends the wait only up to the overall limit, then the request is cancelled', async () => {
    const { transport, conn } = setup({ timeoutMs: 100 });
    let ticker: NodeJS.Timeout | undefined;
    transport.onSend = (msg) => {
      const h = decodeHeader(msg);
      if (h.command === Smb2Command.READ) {
        ticker = setInterval(() => conn.receive(answer(msg, { status: NtStatus.STATUS_PENDING, flags: SMB2_FLAGS_SERVER_TO_REDIR | SMB2_FLAGS_ASYNC_COMMAND, asyncId: 77n })), 40);
      }
      if (h.command === Smb2Command.ECHO) queueMicrotask(() => conn.receive(answer(msg, { body: Buffer.from([4, 0, 0, 0]) })));
    };
    const started = Date.now();
    const err = await conn.send(read()).catch((e: SmbError) => e);
    clearInterval(ticker);
    const took = Date.now() - started;
    expect(err).toMatchObject({ code: 'timeout' });
    expect(took).toBeGreaterThanOrEqual(350);
    expect(took).toBeLessThan(1500);
    const cancel = transport.sent.map(decodeHeader).find((h) => h.command === Smb2Command.CANCEL);
    expect(cancel).toBeDefined();
    expect(cancel!.flags & SMB2_FLAGS_ASYNC_COMMAND).toBeTruthy();
    expect(cancel!.asyncId).toBe(77n);
    await new Promise((r) => setTimeout(r, 20));
    expect(conn.closed).toBe(false); // the ECHO was answered: only the request failed
  });

  it('a request that times out fails alone while the server still answers ECHO; its late answer is dropped', async () => {
    const { transport, conn } = setup({ timeoutMs: 100 });
    await grant(transport, conn, 10);
    const reads: Buffer[] = [];
    transport.onSend = (msg) => {
      const h = decodeHeader(msg);
      if (h.command === Smb2Command.READ) reads.push(msg);
      if (h.command === Smb2Command.ECHO) queueMicrotask(() => conn.receive(answer(msg, { body: Buffer.from([4, 0, 0, 0]) })));
    };
    await expect(conn.send(read())).rejects.toMatchObject({ code: 'timeout' });
    const cancel = transport.sent.map(decodeHeader).find((h) => h.command === Smb2Command.CANCEL);
    expect(cancel?.messageId).toBe(decodeHeader(reads[0]!).messageId);
    await new Promise((r) => setTimeout(r, 20));
    conn.receive(answer(reads[0]!, { credits: 2 })); // the late answer
    expect(conn.closed).toBe(false);
    transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg)));
    await expect(conn.send(read())).resolves.toBeDefined();
  });

  it('the connection ends when the ECHO after a timeout is not answered either', async () => {
    const { transport, conn } = setup({ timeoutMs: 80 });
    await grant(transport, conn, 10);
    transport.onSend = () => undefined;
    const closed = new Promise<SmbError>((r) => conn.onClose(r));
    await expect(conn.send(read())).rejects.toMatchObject({ code: 'timeout' });
    const e = await closed;
    expect(e.code).toBe('timeout');
    expect(e.message).toMatch(/ECHO/);
    expect(transport.closed).toBe(true);
  });

  it('a server that grants no credits is a typed error, not a hang', async () => {
    const { transport, conn } = setup();
    transport.onSend = (msg) => queueMicrotask(() => conn.receive(answer(msg, { credits: 0 })));
    await conn.send(read());
    await expect(conn.send(read())).rejects.toMatchObject({ code: 'malformed', field: 'CreditResponse' });
    expect(conn.closed).toBe(true);
  });
});

describe('compound chains', () => {
  it('related requests go out in one send, 8-byte aligned, each signed, answers matched one by one', async () => {
    const { transport, conn } = setup();
    await grant(transport, conn, 10);
    transport.sent = [];
    transport.onSend = () => undefined;
    const create = read({ command: Smb2Command.CREATE, body: [Buffer.alloc(57)] });
    const answers = conn.sendCompound([create, read(), read({ command: Smb2Command.CLOSE, body: [Buffer.alloc(24)] })]);
    await new Promise((r) => setTimeout(r, 5));
    expect(transport.sent).toHaveLength(1);
    const chain = transport.sent[0]!;
    const first = decodeHeader(chain);
    expect(first.nextCommand % 8).toBe(0);
    expect(first.flags & 0x4).toBe(0); // the first is not related
    const second = decodeHeader(chain.subarray(first.nextCommand));
    expect(second.flags & 0x4).toBe(0x4);
    expect(second.command).toBe(Smb2Command.READ);
    const third = decodeHeader(chain.subarray(first.nextCommand + second.nextCommand));
    expect(third.command).toBe(Smb2Command.CLOSE);
    expect(third.nextCommand).toBe(0);
    for (const h of [first, second, third]) expect(h.signature.toString()).toBe('valid-signature!');
    // Answers may come one by one and in any order.
    conn.receive(answer(chain.subarray(first.nextCommand + second.nextCommand)));
    conn.receive(answer(chain.subarray(0, first.nextCommand)));
    conn.receive(answer(chain.subarray(first.nextCommand, first.nextCommand + second.nextCommand)));
    const res = await answers;
    expect(res.map((r) => r.header.command)).toEqual([Smb2Command.CREATE, Smb2Command.READ, Smb2Command.CLOSE]);
  });
});
