import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatSmbLocation, pathSegments } from '../../main/drives/index.js';
import { looksLikeTarget, parseRemotePath, parseTarget } from './target.js';
import { UsageError } from './usage-error.js';

describe('parseTarget: //HOST form', () => {
  it('splits host, share and path', () => {
    expect(parseTarget('//fs1/docs/a/b.txt')).toEqual({
      url: '//fs1/docs/a/b.txt', host: 'fs1', port: undefined, share: 'docs', path: 'a/b.txt',
    });
  });
  it('takes a port', () => {
    const t = parseTarget('//127.0.0.1:4450/public');
    expect(t.host).toBe('127.0.0.1');
    expect(t.port).toBe(4450);
    expect(t.share).toBe('public');
    expect(t.path).toBe('');
    expect(pathSegments(t)).toEqual([]);
  });
  it('allows a server without a share (for `shares`)', () => {
    expect(parseTarget('//fs1').share).toBeUndefined();
    expect(parseTarget('//fs1/').share).toBeUndefined();
    expect(parseTarget('//fs1:1445').port).toBe(1445);
  });
  it('keeps spaces, percent signs and Unicode literally', () => {
    const t = parseTarget('//h/share/My Docs/100%25 sure/Grüße ✓.txt');
    expect(pathSegments(t)).toEqual(['My Docs', '100%25 sure', 'Grüße ✓.txt']);
  });
  it('accepts mixed separators and collapses repeated ones, drops "."', () => {
    expect(parseTarget('//h/s\\a//b/./c/').path).toBe('a/b/c');
  });
  it('takes IPv6 in brackets, with and without port', () => {
    expect(parseTarget('//[::1]/s')).toMatchObject({ host: '::1', port: undefined, share: 's' });
    expect(parseTarget('//[fe80::1%eth0]:4450/s')).toMatchObject({ host: 'fe80::1%eth0', port: 4450 });
  });
  it('refuses bare IPv6 and tells how to write it', () => {
    expect(() => parseTarget('//::1/s')).toThrow(/brackets/);
  });
  it('refuses a user in a UNC path', () => {
    expect(() => parseTarget('//bob@h/s')).toThrow(UsageError);
  });
});

describe('parseTarget: \\\\HOST form', () => {
  it('splits on backslashes', () => {
    expect(parseTarget('\\\\fs1\\docs\\sub dir\\x.txt')).toMatchObject({
      host: 'fs1', share: 'docs', path: 'sub dir/x.txt',
    });
  });
  it('takes a port and brackets', () => {
    expect(parseTarget('\\\\[::1]:99\\s')).toMatchObject({ host: '::1', port: 99, share: 's' });
  });
});

describe('parseTarget: smb:// URLs', () => {
  it('parses domain, user, host, port, share and path', () => {
    expect(parseTarget('smb://CORP;alice@fs1.example:4450/docs/reports/q1.pdf')).toEqual({
      url: 'smb://CORP;alice@fs1.example:4450/docs/reports/q1.pdf', host: 'fs1.example', port: 4450, share: 'docs', path: 'reports/q1.pdf', user: 'alice', domain: 'CORP',
    });
  });
  it('is case-insensitive in the scheme and optional in the user', () => {
    expect(parseTarget('SMB://h/s')).toMatchObject({ host: 'h', share: 's' });
    expect(parseTarget('SMB://h/s').user).toBeUndefined();
  });
  it('percent-decodes every component', () => {
    const t = parseTarget('smb://my%20dom;j%C3%BCrgen@h/sh%20are/My%20Docs/caf%C3%A9%23.txt');
    expect(t.domain).toBe('my dom');
    expect(t.user).toBe('jürgen');
    expect(t.share).toBe('sh are');
    expect(pathSegments(t)).toEqual(['My Docs', 'café#.txt']);
  });
  it('treats an encoded @ in the user as part of the name', () => {
    expect(parseTarget('smb://a%40b@h/s').user).toBe('a@b');
  });
  it('takes IPv6 in brackets', () => {
    expect(parseTarget('smb://u@[2001:db8::5]:445/s/x')).toMatchObject({ host: '2001:db8::5', port: 445, user: 'u' });
  });
  it('refuses a password in the URL and says why', () => {
    expect(() => parseTarget('smb://u:secret@h/s')).toThrow(/password in the URL/);
  });
  it('refuses encoded separators that would split a name', () => {
    expect(() => parseTarget('smb://h/s/a%2Fb')).toThrow(UsageError);
    expect(() => parseTarget('smb://h/s/a%5Cb')).toThrow(UsageError);
    expect(() => parseTarget('smb://h/s/a%00b')).toThrow(UsageError);
  });
  it('refuses unencoded ? and #', () => {
    expect(() => parseTarget('smb://h/s/a#b')).toThrow(/percent-encoded/);
    expect(() => parseTarget('smb://h/s/a?b')).toThrow(/percent-encoded/);
  });
  it('refuses bad percent-encoding', () => {
    expect(() => parseTarget('smb://h/s/%E0%A4%A')).toThrow(/percent-encoding/);
  });
});

describe('parseTarget: errors', () => {
  it.each([
    ['docs/x'],
    ['//'],
    ['//:445/s'],
    ['//h:0/s'],
    ['//h:65536/s'],
    ['//h:12x/s'],
    ['//h/s/../x'],
    ['//h/../x'],
    ['//[::1/s'],
    ['//[::1]x/s'],
    ['//[nothex]/s'],
    ['smb://@h/s'],
    ['smb:///s'],
  ])('%s is a usage error', (input) => {
    expect(() => parseTarget(input)).toThrow(UsageError);
  });

  it('never throws anything but UsageError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `//${s}`), fc.string().map((s) => `smb://${s}`)), (s) => {
        try {
          const t = parseTarget(s);
          for (const seg of pathSegments(t)) expect(seg).not.toMatch(/^\.\.?$|[/\\\0]/);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('helpers', () => {
  it('looksLikeTarget', () => {
    expect(looksLikeTarget('//h/s')).toBe(true);
    expect(looksLikeTarget('\\\\h\\s')).toBe(true);
    expect(looksLikeTarget('smb://h/s')).toBe(true);
    expect(looksLikeTarget('dir/file')).toBe(false);
    expect(looksLikeTarget('/dir/file')).toBe(false);
  });
  it('the path is share-relative and joined with /', () => {
    expect(parseTarget('\\\\h\\s\\a\\b').path).toBe('a/b');
    expect(parseTarget('//h/s').path).toBe('');
  });
  it('a target is shown back without the user, IPv6 in brackets', () => {
    expect(formatSmbLocation(parseTarget('smb://D;u@[::1]:4450/s/a b'))).toBe('//[::1]:4450/s/a b');
    expect(formatSmbLocation(parseTarget('//h'))).toBe('//h');
  });
  it('parseRemotePath splits either separator and refuses ..', () => {
    expect(parseRemotePath('/a\\b/c/')).toBe('a/b/c');
    expect(parseRemotePath('')).toBe('');
    expect(() => parseRemotePath('a/../b')).toThrow(UsageError);
  });
});
