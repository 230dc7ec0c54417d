// The share's MaximalAccess (MS-SMB2 2.2.10) on SmbTree against a real Samba: a read-only share
// grants no right to write (Samba keeps the standard rights in it), a writable one does; that is
// how the mount tells EROFS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessAllowsChanges, Dialect } from '../../protocol/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { openShare } from './client-helpers.js';

let server: SambaServer;

beforeAll(async () => {
  server = await startSamba();
});
afterAll(async () => {
  await server?.stop();
});

describe.each([
  ['SMB2_02', Dialect.SMB2_02],
  ['SMB3_11', Dialect.SMB3_11],
])('MaximalAccess of a tree on %s', (_name, maxDialect) => {
  it('a writable share allows changes, a read-only one does not', async () => {
    const rw = await openShare(server, 'private', undefined, { maxDialect });
    const ro = await openShare(server, 'readonly', undefined, { maxDialect });
    try {
      console.log(`[tree] ${_name}: MaximalAccess private 0x${rw.tree.maximalAccess?.toString(16)}, readonly 0x${ro.tree.maximalAccess?.toString(16)}`);
      expect(rw.tree.maximalAccess).toBeTypeOf('number');
      expect(accessAllowsChanges(rw.tree.maximalAccess!)).toBe(true);
      expect(ro.tree.maximalAccess).toBeTypeOf('number');
      expect(accessAllowsChanges(ro.tree.maximalAccess!)).toBe(false);
      expect(ro.tree.maximalAccess! & 0x1).toBe(0x1); // FILE_READ_DATA: it can still be read
    } finally {
      await rw.close();
      await ro.close();
    }
  });
});
