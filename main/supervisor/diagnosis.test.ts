import { describe, expect, it } from 'vitest';
import { MalformedMessageError, NtStatus, SmbError, SmbStatusError } from '../../protocol/index.js';
import { classifyFailure, errnoOf, isQuietClose } from './diagnosis.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`connect ${code} 10.0.0.1:445`), { code });
const transport = (code: string): SmbError =>
  new SmbError('transport', `cannot reach h:445: ${code}`, { operation: 'connect', cause: errno(code) });

describe('classifyFailure', () => {
  it.each([
    ['ECONNREFUSED', 'tcp-refused'],
    ['EHOSTUNREACH', 'no-route'],
    ['ENETUNREACH', 'no-route'],
    ['ENETDOWN', 'no-route'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['ETIMEDOUT', 'tcp-timeout'],
  ])('connect %s → %s', (code, reason) => {
    expect(classifyFailure(transport(code), 'connect', 'h').reason).toBe(reason);
  });

  it('reads the errno from the message when there is no cause', () => {
    const e = new SmbError('transport', 'cannot reach h:445: ECONNREFUSED', { operation: 'connect' });
    expect(classifyFailure(e, 'connect', 'h').reason).toBe('tcp-refused');
  });

  it('a TCP connect deadline is tcp-timeout', () => {
    const e = new SmbError('timeout', 'cannot reach h:445: no answer in 5000 ms', { operation: 'connect' });
    expect(classifyFailure(e, 'connect', 'h')).toMatchObject({ reason: 'tcp-timeout' });
  });

  it('no NEGOTIATE answer, no common dialect, a reset or garbage after TCP are negotiate-failed', () => {
    const noAnswer = new SmbError('timeout', 'no response to NEGOTIATE in 5000 ms', { command: 'NEGOTIATE', operation: 'negotiate' });
    const noDialect = new SmbError('unsupported', 'no dialect between SMB3_00 and SMB3_11');
    const garbage = new MalformedMessageError('NEGOTIATE response', 'StructureSize', 'expected 65');
    const closed = new SmbError('transport', 'connection to h:445 closed by the server', { operation: 'receive' });
    for (const e of [noAnswer, noDialect, garbage, closed]) expect(classifyFailure(e, 'connect', 'h').reason).toBe('negotiate-failed');
  });

  it('any resolve failure is dns', () => {
    expect(classifyFailure(Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'resolve', 'nas')).toMatchObject({
      reason: 'dns',
      message: 'nas does not resolve (ENOTFOUND)',
    });
  });

  it('a rejected logon is auth-rejected and names the status', () => {
    const e = new SmbStatusError(NtStatus.STATUS_LOGON_FAILURE, { code: 'auth', operation: 'session setup' });
    const d = classifyFailure(e, 'login', 'h');
    expect(d.reason).toBe('auth-rejected');
    expect(d.message).toContain('LOGON_FAILURE');
  });

  it('a policy refusal at NEGOTIATE (SMB1-only server, legacy protocol not allowed) is security, not negotiate-failed', () => {
    const e = new SmbError('security', 'this server speaks only SMB1 (CIFS); allow the legacy protocol for this drive', { operation: 'negotiate' });
    const d = classifyFailure(e, 'connect', 'h');
    expect(d.reason).toBe('security');
    expect(d.message).toContain('speaks only SMB1');
  });

  it('a signing requirement that cannot be met at login is security', () => {
    expect(classifyFailure(new SmbError('security', 'signing is required'), 'login', 'h').reason).toBe('security');
  });

  it('a refused tree connect is share-refused', () => {
    for (const s of [NtStatus.STATUS_BAD_NETWORK_NAME, NtStatus.STATUS_ACCESS_DENIED]) {
      const d = classifyFailure(new SmbStatusError(s, { operation: 'tree connect' }), 'tree', 'h', 'docs');
      expect(d.reason).toBe('share-refused');
      expect(d.message).toContain('"docs"');
    }
  });

  it('on a live session: timeout → keepalive-timeout, reset → connection-lost, no route → no-route', () => {
    expect(classifyFailure(new SmbError('timeout', 'no response to ECHO in 2500 ms'), 'session', 'h').reason).toBe('keepalive-timeout');
    expect(classifyFailure(transport('ECONNRESET'), 'session', 'h').reason).toBe('connection-lost');
    expect(classifyFailure(transport('EHOSTUNREACH'), 'session', 'h').reason).toBe('no-route');
    expect(classifyFailure(new Error('odd'), 'session', 'h').reason).toBe('connection-lost');
  });
});

describe('isQuietClose / errnoOf', () => {
  it('a plain close by the server is quiet; a reset, a timeout or our own close is not', () => {
    expect(isQuietClose(new SmbError('transport', 'connection to h:445 closed by the server'))).toBe(true);
    expect(isQuietClose(transport('ECONNRESET'))).toBe(false);
    expect(isQuietClose(new SmbError('timeout', 'no response to ECHO in 2500 ms'))).toBe(false);
    expect(isQuietClose(new SmbError('cancelled', 'connection closed by the client'))).toBe(false);
    expect(isQuietClose(new Error('closed'))).toBe(false);
  });

  it('does not take command names for errno names', () => {
    expect(errnoOf(new Error('no response to ECHO in 2500 ms'))).toBeUndefined();
    expect(errnoOf(transport('EPIPE'))).toBe('EPIPE');
  });
});
