import { describe, expect, it } from 'vitest';
import { DriveValidationError } from '../drives/drive-errors.js';
import { parseTarget, serverKey } from './target.js';

describe('parseTarget', () => {
  it('host, default port, share and path', () => {
    expect(parseTarget('smb://nas.lan/media/films/2024')).toMatchObject({ host: 'nas.lan', port: 445, share: 'media', path: 'films/2024' });
  });
  it('port, IPv6 literal and escapes', () => {
    expect(parseTarget('smb://10.0.0.5:1445/docs')).toMatchObject({ host: '10.0.0.5', port: 1445, share: 'docs', path: '' });
    expect(parseTarget('smb://[fe80::1]:445/a%20b/')).toMatchObject({ host: 'fe80::1', share: 'a b', path: '' });
    expect(serverKey(parseTarget('smb://NAS:445/x'))).toBe('nas:445');
  });
  it.each(['http://h/s', 'smb://h', 'smb://h/', 'smb://h:0/s', 'smb://h:70000/s', 'smb://[zz]/s', 'smb://h/%zz'])('rejects %s', (u) => {
    expect(() => parseTarget(u)).toThrow(DriveValidationError);
  });
});
