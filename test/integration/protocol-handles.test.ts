// The dialect-independent API against a real Samba: open handles with positional I/O, and small
// files in one compound round trip, on plain, signed and sealed sessions and every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Dialect, SmbStatusError, type DialectValue } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

let server: SambaServer;

beforeAll(async () => {
  server = await startSamba();
});
afterAll(async () => {
  await server?.stop();
});

const sessions: [string, Parameters<typeof openShare>[3]][] = [
  ['plain', {}],
  ['signed', { requireSigning: true }],
  ['encrypted', { encrypt: true }],
];

describe.each(sessions)('small files in one round trip (%s session)', (_name, opts) => {
  it('readFile and writeFile are byte-exact below, at and above the compound limit', async () => {
    const o = await openShare(server, 'private', undefined, opts);
    try {
      for (const size of [0, 1, 4096, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 7]) {
        const data = randomBytes(size);
        const name = `compound-${_name}-${size}.bin`;
        await o.tree.writeFile(name, data);
        expect((await readFile(join(server.shareDir('private'), name))).equals(data)).toBe(true);
        const back = await o.tree.readFile(name);
        expect(back.length).toBe(size);
        expect(back.equals(data)).toBe(true);
      }
    } finally {
      await o.close();
    }
  });

  it('a missing file fails as the CREATE it is, with its NTSTATUS and path', async () => {
    const o = await openShare(server, 'private', undefined, opts);
    try {
      const err = await o.tree.readFile('no/such/file.txt').catch((e) => e);
      expect(err).toBeInstanceOf(SmbStatusError);
      expect(err.statusName).toMatch(/NT_STATUS_OBJECT_(PATH|NAME)_NOT_FOUND/);
      expect(err.command).toBe('CREATE');
      expect(err.message).toContain('no');
      await writeFile(join(server.shareDir('private'), 'exists.txt'), 'x');
      const clash = await o.tree.writeFile('exists.txt', Buffer.from('y'), { overwrite: false }).catch((e) => e);
      expect(clash.statusName).toBe('NT_STATUS_OBJECT_NAME_COLLISION');
      expect((await readFile(join(server.shareDir('private'), 'exists.txt'), 'utf8'))).toBe('x');
    } finally {
      await o.close();
    }
  });
});

describe('open file handles', () => {
  const dialects: [string, DialectValue][] = [
    ['SMB2_02', Dialect.SMB2_02],
    ['SMB3_11', Dialect.SMB3_11],
  ];
  it.each(dialects)('readAt / writeAt at offsets, stat, setInfo, flush, close (%s)', async (_n, maxDialect) => {
    const o = await openShare(server, 'private', undefined, { maxDialect });
    try {
      const h = await o.tree.open('handle.bin', { access: 'read-write', disposition: 'overwrite-if' });
      expect(await h.writeAt(0, Buffer.from('hello world'))).toBe(11);
      expect(await h.writeAt(6, [Buffer.from('SM'), Buffer.from('B!!')])).toBe(5);
      expect((await h.readAt(0, 64)).toString()).toBe('hello SMB!!');
      expect((await h.readAt(100, 10)).length).toBe(0);
      await h.setInfo({ size: 5, times: { modified: new Date('2020-01-02T03:04:05Z') } });
      await h.flush();
      const st = await h.stat();
      expect(st.size).toBe(5);
      expect(st.modified.toISOString()).toBe('2020-01-02T03:04:05.000Z');
      await h.close();
      await h.close(); // idempotent
      expect(await readFile(join(server.shareDir('private'), 'handle.bin'), 'utf8')).toBe('hello');
    } finally {
      await o.close();
    }
  });

  it('delete-on-close removes the file when the handle closes', async () => {
    const o = await openShare(server, 'private');
    try {
      const h = await o.tree.open('doomed.bin', { access: 'write', disposition: 'create', mayDelete: true });
      await h.writeAt(0, Buffer.from('partial'));
      await h.setInfo({ deleteOnClose: true });
      await h.close();
      const err = await o.tree.stat('doomed.bin').catch((e) => e);
      expect(err.statusName).toBe('NT_STATUS_OBJECT_NAME_NOT_FOUND');
    } finally {
      await o.close();
    }
  });
});
