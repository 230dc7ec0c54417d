// The add/edit dialog's input → registry record, and record → view: UNC and // forms accepted,
// the user apart from the target, alternates as host[:port], no password anywhere.
import { describe, expect, it } from 'vitest';
import { driveView, toNewDrive, toSmbUrl } from './drive-views.js';

describe('drive input', () => {
  it('accepts smb://, //host/share and \\\\host\\share', () => {
    expect(toSmbUrl('\\\\nas\\team\\docs')).toBe('smb://nas/team/docs');
    expect(toSmbUrl('//nas:4450/team')).toBe('smb://nas:4450/team');
    expect(toSmbUrl(' smb://bob@nas/team ')).toBe('smb://bob@nas/team');
    expect(() => toSmbUrl('http://nas/team')).toThrow(/not an smb/);
  });

  it('keeps the user apart and alternates as host[:port]', () => {
    const d = toNewDrive({ name: ' Team ', target: 'smb://EXAMPLE;bob@nas:4450/team/docs', alternates: ['10.0.0.5', '//vpn-nas:4451/team', ''], requireSigning: true });
    expect(d).toEqual({
      name: 'Team',
      target: 'smb://nas:4450/team/docs',
      user: 'bob',
      domain: 'EXAMPLE',
      alternates: ['10.0.0.5', 'vpn-nas:4451'],
      options: { requireSigning: true },
      persistent: true,
    });
    expect(() => toNewDrive({ name: 'x', target: 'smb://nas/team', alternates: ['//other/elsewhere'] })).toThrow(/names share/);
    expect(() => toNewDrive({ name: 'x', target: 'smb://bob:pw@nas/team' })).toThrow(/password/);
    expect(() => toNewDrive({ name: 'x', target: 'smb://bob@nas/team', user: 'alice' })).toThrow(/differ/);
  });

  it('the legacy switch (SMB1, NTLMv1/LM) goes into the options and back into the view only when on', () => {
    expect(toNewDrive({ name: 'Old', target: 'smb://old/share', allowLegacy: true }).options).toEqual({ allowLegacy: true });
    expect(toNewDrive({ name: 'New', target: 'smb://new/share', allowLegacy: false }).options).toEqual({});
    const on = driveView({ id: 'i', name: 'Old', target: 'smb://old/share', alternates: [], options: { allowLegacy: true }, persistent: true }, undefined, false);
    expect(on.options).toEqual({ requireSigning: false, requireEncryption: false, allowLegacy: true });
    const off = driveView({ id: 'j', name: 'New', target: 'smb://new/share', alternates: [], options: {}, persistent: true }, undefined, false);
    expect(off.options).toEqual({ requireSigning: false, requireEncryption: false });
  });

  it('a view has the target without user, the UNC form, and no secret', () => {
    const v = driveView(
      { id: 'i', name: 'Team', target: 'smb://nas:4450/team/docs', user: 'bob', alternates: [], options: {}, persistent: true },
      undefined,
      true,
    );
    expect(v).toMatchObject({ target: 'smb://nas:4450/team/docs', unc: '\\\\nas\\team\\docs', share: 'team', rootPath: 'docs', port: 4450, user: 'bob', hasSavedPassword: true });
    expect(JSON.stringify(v)).not.toMatch(/"(password|secret)"/i);
  });
});
