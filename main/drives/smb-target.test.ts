import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DriveValidationError } from './drive-errors.js';
import { baseName, formatSmbLocation, formatSmbTarget, parseHostPort, pathSegments, parseSharePath, parseSmbLocation, parseSmbTarget, withHost } from './smb-target.js';

describe('parseSmbTarget', () => {
  it('parses host, share and path', () => {
    expect(parseSmbTarget('smb://nas/media/films/2024')).toEqual({
      url: 'smb://nas/media/films/2024',
      host: 'nas',
      port: 445,
      share: 'media',
      path: 'films/2024',
    });
  });

  it('parses a port, an IPv6 literal, user@ and domain;user@, decoding escapes', () => {
    const t = parseSmbTarget('SMB://CORP;j%20doe@[fe80::1]:4445/My%20Share/');
    expect(t).toMatchObject({ host: 'fe80::1', port: 4445, share: 'My Share', path: '', user: 'j doe', domain: 'CORP' });
    expect(parseSmbTarget('smb://alice@10.0.0.5/home')).toMatchObject({ user: 'alice', host: '10.0.0.5' });
  });

  it.each([
    ['http://nas/share', 'not an smb:// URL'],
    ['smb://nas', 'no share name'],
    ['smb://nas/', 'no share name'],
    ['smb://alice:hunter2@nas/share', 'password in the URL is not accepted'],
    ['smb://:x@nas/share', 'password in the URL is not accepted'],
    ['smb://nas:0/share', 'out of range'],
    ['smb://nas:70000/share', 'out of range'],
    ['smb://[nas]/share', 'not an IPv6 address'],
    ['smb://na s/share', 'not a valid host'],
    ['smb://nas/sh*re', 'not allowed'],
    ['smb://nas/share/../etc', '".." is not allowed'],
    ['smb://nas/share?x=1', 'query'],
    ['smb://nas/share/%zz', 'percent-encoding'],
    ['smb://@nas/share', 'empty user'],
  ])('refuses %s', (url, msg) => {
    expect(() => parseSmbTarget(url)).toThrow(DriveValidationError);
    expect(() => parseSmbTarget(url)).toThrow(msg);
  });

  it('never echoes a password from the URL in its error', () => {
    try {
      parseSmbTarget('smb://alice:hunter2@nas/share');
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('hunter2');
    }
  });

  it('round-trips through formatSmbTarget', () => {
    // eslint-disable-next-line no-control-regex
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\\/:*?"<>|\u0000-\u001f]/.test(s) && s !== '.' && s !== '..');
    fc.assert(
      fc.property(name, fc.array(name, { maxLength: 3 }), fc.integer({ min: 1, max: 65535 }), (share, path, port) => {
        const t = { url: '', host: 'server-1.example', port, share, path: path.join('/') };
        const back = parseSmbTarget(formatSmbTarget(t));
        expect({ ...back, url: '' }).toEqual(t);
      }),
    );
  });
});

describe('alternates', () => {
  it('parses host[:port] and swaps the host of a target', () => {
    expect(parseHostPort('nas.vpn:4450')).toEqual({ host: 'nas.vpn', port: 4450 });
    const t = withHost(parseSmbTarget('smb://bob@nas/share/dir'), '[::1]:1445');
    expect(t).toMatchObject({ host: '::1', port: 1445, share: 'share', path: 'dir', user: 'bob', url: 'smb://bob@[::1]:1445/share/dir' });
    expect(() => parseHostPort('nas/share')).toThrow(DriveValidationError);
  });
});

describe('one parser for every form people write', () => {
  it.each([
    ['smb://nas/share/a/b', { host: 'nas', port: undefined, share: 'share', path: 'a/b' }],
    ['//nas:1445/share/a/b/', { host: 'nas', port: 1445, share: 'share', path: 'a/b' }],
    ['\\\\nas\\share\\a\\b', { host: 'nas', port: undefined, share: 'share', path: 'a/b' }],
    ['//[::1]/share', { host: '::1', share: 'share', path: '' }],
    ['smb://[fe80::1%2512]/s', { host: 'fe80::1%12', share: 's' }],
    ['//nas', { host: 'nas', share: undefined, path: '' }],
    ['smb://DOM;bob@nas/s/./x', { user: 'bob', domain: 'DOM', path: 'x' }],
  ])('%s', (text, expected) => {
    expect(parseSmbLocation(text)).toMatchObject(expected);
  });

  it('a drive may be written as a UNC path too; its port defaults to 445', () => {
    expect(parseSmbTarget('\\\\nas\\media\\films')).toMatchObject({ host: 'nas', port: 445, share: 'media', path: 'films' });
  });

  it.each(['//nas/share/../x', '//user@nas/share', 'smb://nas/a%2Fb/c%2Fd', '//nas/share/a\0b', 'nas/share', '//nas/..'])('refuses %s', (text) => {
    expect(() => parseSmbLocation(text)).toThrow(DriveValidationError);
  });

  it('share-relative paths: separators of both kinds, "." dropped, ".." refused', () => {
    expect(parseSharePath('\\a/./b//c/')).toBe('a/b/c');
    expect(() => parseSharePath('a/../b')).toThrow(DriveValidationError);
  });
});

describe('a location as the commands use it', () => {
  it('path segments, last name, and the //HOST form shown to people (never the user)', () => {
    const loc = parseSmbLocation('smb://D;bob@[fe80::1]:4450/s/My%20Docs/a.txt');
    expect(pathSegments(loc)).toEqual(['My Docs', 'a.txt']);
    expect(baseName(loc)).toBe('a.txt');
    expect(formatSmbLocation(loc)).toBe('//[fe80::1]:4450/s/My Docs/a.txt');
    const root = parseSmbLocation('//h/s');
    expect(pathSegments(root)).toEqual([]);
    expect(baseName(root)).toBe('');
    expect(formatSmbLocation(root)).toBe('//h/s');
    expect(formatSmbLocation(parseSmbLocation('//h:99'))).toBe('//h:99');
    expect(baseName(parseSmbLocation('//h/s/only'))).toBe('only');
  });
});
