// A logon without credentials (-N alone, or a drive with no user) is a guest logon, as
// smbclient -N and Windows' "connect as guest" are; a server that refuses guests gets a null
// session. On Samba a null session's anonymous token does not own the folders it creates, so with
// a guest share on Samba's default masks (folders 0755) a folder copy failed below its first level
// (ACCESS_DENIED for every file and folder inside a folder we had just made).
import { mkdirSync, writeFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { assertBuilt, runCli } from './cli-run.js';

let guests: SambaServer;
let noGuests: SambaServer;
let local: string;

beforeAll(async () => {
  assertBuilt();
  // `plain`: a guest share with Samba's default create/directory masks (0744/0755).
  const plain = { name: 'plain', lines: ['guest ok = yes', 'read only = no'] };
  [guests, noGuests] = await Promise.all([
    startSamba({ extraShares: [plain] }),
    // A server that maps nobody to guest: the guest logon is refused, a null session is what is left.
    startSamba({ extra: ['map to guest = Never'] }),
  ]);
  await chmod(guests.shareDir('plain'), 0o777);
  local = await mkdtemp(join(tmpdir(), 'sk-guest-'));
  mkdirSync(join(local, 'tree', 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(local, 'tree', 'a.txt'), 'a');
  writeFileSync(join(local, 'tree', 'sub', 'b.txt'), 'b');
  writeFileSync(join(local, 'tree', 'sub', 'deeper', 'c.txt'), 'c');
}, 60_000);
afterAll(async () => {
  await Promise.all([guests?.stop(), noGuests?.stop()]);
  if (local) await rm(local, { recursive: true, force: true });
});

describe('a logon without credentials', () => {
  it('copies a nested folder into a guest share with default masks, every level', async () => {
    const r = await runCli(['copy', join(local, 'tree'), `//127.0.0.1:${guests.port}/plain/tree`, '-N']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const dir = guests.shareDir('plain');
    expect(await readFile(join(dir, 'tree', 'a.txt'), 'utf8')).toBe('a');
    expect(await readFile(join(dir, 'tree', 'sub', 'b.txt'), 'utf8')).toBe('b');
    expect(await readFile(join(dir, 'tree', 'sub', 'deeper', 'c.txt'), 'utf8')).toBe('c');
  });

  it('is a guest session (-d shows it), where the server takes guests', async () => {
    const r = await runCli(['ls', `//127.0.0.1:${guests.port}/public`, '-N', '-d', '3']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/session: guest/);
  });

  it('falls back to a null session where the server refuses guests, and still reads what anonymous may', async () => {
    const r = await runCli(['cat', `//127.0.0.1:${noGuests.port}/readonly/hello.txt`, '-N', '-d', '3']);
    expect(r.stdout).toBe('hello from samba\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/session: (anonymous|user)/);
  });
});
