import { describe, expect, it } from 'vitest';
import type { Drive } from '../drives/index.js';
import { driveAccount, toSupervisedDrive } from './supervised-drive.js';

const base: Drive = { id: 'd1', name: 'Team', target: 'smb://nas.lan/team/docs', alternates: [], options: {}, persistent: true };

describe('toSupervisedDrive', () => {
  it('moves a user out of the target and spells alternates as full targets', () => {
    const s = toSupervisedDrive({ ...base, target: 'smb://CORP;bob@NAS.lan:1445/team/a%20b', alternates: ['10.0.0.5', 'vpn.example:4450'] });
    expect(s).toEqual({
      id: 'd1',
      name: 'Team',
      target: 'smb://NAS.lan:1445/team/a%20b',
      alternates: ['smb://10.0.0.5/team/a%20b', 'smb://vpn.example:4450/team/a%20b'],
      options: {},
      persistent: true,
      user: 'bob',
      domain: 'CORP',
    });
  });

  it('keeps the user and domain fields of the drive, and no user means none', () => {
    expect(toSupervisedDrive({ ...base, user: 'amy', domain: 'HQ' })).toMatchObject({ user: 'amy', domain: 'HQ', target: 'smb://nas.lan/team/docs' });
    const anon = toSupervisedDrive(base);
    expect(anon.user).toBeUndefined();
    expect(anon.domain).toBeUndefined();
  });
});

describe('driveAccount', () => {
  it('is user@host of the primary target, with the domain when there is one', () => {
    expect(driveAccount({ target: 'smb://NAS.lan/team', user: 'bob' })).toBe('bob@nas.lan');
    expect(driveAccount({ target: 'smb://nas.lan/team', user: 'bob', domain: 'CORP' })).toBe('CORP\\bob@nas.lan');
    expect(driveAccount({ target: 'smb://CORP;bob@nas.lan/team' })).toBe('CORP\\bob@nas.lan');
    expect(driveAccount({ target: 'smb://nas.lan/team' })).toBeUndefined();
  });
});
