// What a person may type in the path bar: \\host\share\dir, //host/share/dir, smb://host/share/dir
// (on this drive's server), /share/dir (another share of the same server), or a folder relative
// to the one open (sub/dir, ..).
import type { DriveView, Location } from '../../../../main/api/types.js';

export type TypedPath = { ok: true; location: Location } | { ok: false; message: string };

export function parseTypedPath(text: string, drive: DriveView, current: Location): TypedPath {
  let t = text.trim().replace(/\\/g, '/');
  if (t === '') return { ok: false, message: 'Type a path' };
  let share = current.share;
  let base = current.path;
  const abs = /^(?:smb:)?\/\/([^/]+)(?:\/(.*))?$/i.exec(t);
  if (abs) {
    const host = (abs[1] ?? '').replace(/^[^@]*@/, '').replace(/:\d+$/, '');
    if (host.toLowerCase() !== drive.host.toLowerCase()) return { ok: false, message: `${host} is not this drive's server (${drive.host})` };
    const rest = (abs[2] ?? '').split('/').filter(Boolean);
    if (rest.length === 0) return { ok: false, message: 'Name a share after the server' };
    share = rest.shift() as string;
    base = '';
    t = rest.join('/');
  } else if (t.startsWith('/')) {
    const rest = t.split('/').filter(Boolean);
    if (rest.length === 0) return { ok: true, location: { ...current, path: '' } };
    share = rest.shift() as string;
    base = '';
    t = rest.join('/');
  }
  const parts = base === '' ? [] : base.split('/');
  for (const seg of t.split('/').filter(Boolean)) {
    if (seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return { ok: false, message: 'That goes above the share' };
      parts.pop();
    } else parts.push(seg);
  }
  return { ok: true, location: { driveId: current.driveId, share, path: parts.join('/') } };
}
