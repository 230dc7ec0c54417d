import { describe, expect, it } from 'vitest';
import type { Drive } from '../drives/index.js';
import { connectionChanged, sameCredentials } from './connection-change.js';

const base: Drive = { id: 'd1', name: 'Team', target: 'smb://nas.lan/team', alternates: [], user: 'bob', options: {}, persistent: true };

describe('connectionChanged', () => {
  it('a name, persistence or mount setting is not a connection change', () => {
    expect(connectionChanged(base, { ...base, name: 'Other', persistent: false, options: { mount: true, mountPoint: '/mnt/x' } })).toBe(false);
    expect(connectionChanged(base, { ...base, options: { requireSigning: undefined } })).toBe(false);
  });

  it('the host, port, share, alternates, user, domain or a connect option is', () => {
    const changes: Partial<Drive>[] = [
      { target: 'smb://nas2.lan/team' },
      { target: 'smb://nas.lan:1445/team' },
      { target: 'smb://nas.lan/other' },
      { alternates: ['10.0.0.5'] },
      { user: 'alice' },
      { domain: 'CORP' },
      { options: { maxProtocol: 'SMB3_00' } },
      { options: { requireEncryption: true } },
    ];
    for (const c of changes) expect(connectionChanged(base, { ...base, ...c }), JSON.stringify(c)).toBe(true);
  });
});

describe('sameCredentials', () => {
  it('compares user, password and domain, and the kind', () => {
    const bob = { kind: 'user', user: 'bob', password: 'pw' } as const;
    expect(sameCredentials(bob, { ...bob })).toBe(true);
    expect(sameCredentials(bob, { ...bob, password: 'new' })).toBe(false);
    expect(sameCredentials(bob, { ...bob, domain: 'CORP' })).toBe(false);
    expect(sameCredentials(bob, { kind: 'anonymous' })).toBe(false);
    expect(sameCredentials(undefined, bob)).toBe(false);
    expect(sameCredentials({ kind: 'guest', orAnonymous: true }, { kind: 'guest', orAnonymous: true })).toBe(true);
  });
});
