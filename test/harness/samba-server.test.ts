// The harness gives every integration test a real, private smbd: guests, the test user and the
// share permissions behave as documented, security modes take effect, and stop() leaves nothing.
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from './samba-process.js';
import { startSamba, type SambaServer } from './samba-server.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** smbstatus -b once a session of `user` shows (the harness's own anonymous readiness probe may linger). */
async function sessionsOf(server: SambaServer, user = server.user): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const out = await server.smbstatus(['-b']);
    if (out.split('\n').some((l) => /127\.0\.0\.1 \(ipv4/.test(l) && l.includes(user))) return out;
    await sleep(100);
  }
  throw new Error(`no session of ${user} showed up in smbstatus`);
}

describe('default server', () => {
  let server: SambaServer;
  beforeAll(async () => {
    server = await startSamba();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('listens on 127.0.0.1 with its files in its own state dir', async () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.confPath.startsWith(server.stateDir)).toBe(true);
    expect(await readFile(server.confPath, 'utf8')).toContain(`smb ports = ${server.port}`);
    expect(server.password).not.toBe('');
  });

  it('lets a guest list and write public; files land as nobody', async () => {
    const local = join(server.stateDir, 'upload.txt');
    await writeFile(local, 'from a guest\n');
    const put = await server.smbclient(['//127.0.0.1/public', '-c', `put ${local} up.txt`], { auth: 'guest' });
    expect(put.code, put.stdout + put.stderr).toBe(0);
    const onDisk = join(server.shareDir('public'), 'up.txt');
    expect(await readFile(onDisk, 'utf8')).toBe('from a guest\n');
    expect((await stat(onDisk)).uid).toBe(65534);
    const ls = await server.smbclient(['//127.0.0.1/public', '-c', 'ls'], { auth: 'guest' });
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain('up.txt');
  });

  it('lets the user list private and refuses the guest with ACCESS_DENIED', async () => {
    await writeFile(join(server.shareDir('private'), 'secret.txt'), 'x');
    const user = await server.smbclient(['//127.0.0.1/private', '-c', 'ls']);
    expect(user.code, user.stdout + user.stderr).toBe(0);
    expect(user.stdout).toContain('secret.txt');
    const guest = await server.smbclient(['//127.0.0.1/private', '-c', 'ls'], { auth: 'guest' });
    expect(guest.code).not.toBe(0);
    expect(guest.stdout + guest.stderr).toContain('NT_STATUS_ACCESS_DENIED');
  });

  it('rejects a wrong password with LOGON_FAILURE', async () => {
    const r = await server.smbclient(['//127.0.0.1/private', '-c', 'ls'], { auth: { user: server.user, password: 'wrong' } });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('NT_STATUS_LOGON_FAILURE');
  });

  it('serves hello.txt read-only', async () => {
    const out = join(server.stateDir, 'hello.copy');
    const get = await server.smbclient(['//127.0.0.1/readonly', '-c', `get hello.txt ${out}`], { auth: 'guest' });
    expect(get.code, get.stdout + get.stderr).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('hello from samba\n');
    const put = await server.smbclient(['//127.0.0.1/readonly', '-c', `put ${out} nope.txt`], { auth: 'guest' });
    expect(put.stdout + put.stderr).toMatch(/NT_STATUS_(ACCESS_DENIED|MEDIA_WRITE_PROTECTED)/);
  });

  it('lists the three shares (through samba-dcerpcd)', async () => {
    const r = await server.smbclient(['-L', '127.0.0.1']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of ['public', 'private', 'readonly', 'IPC$']) expect(r.stdout).toMatch(new RegExp(`^\\s+${name.replace('$', '\\$')}\\s`, 'm'));
  });

  it('does not sign by default, and keeps the password off argv', async () => {
    const session = server.smbclientSession('public');
    try {
      const out = await sessionsOf(server);
      expect(out).toMatch(/SMB3_11/);
      // Without `server signing = mandatory` only the session setup is signed.
      expect(out).toMatch(/partial\(AES-128-GMAC\)/);
      const argv = await readFile(`/proc/${session.child.pid}/cmdline`, 'utf8');
      expect(argv).not.toContain(server.password);
    } finally {
      await session.close();
    }
  });

  it('keeps its logs readable', async () => {
    expect(await server.logText()).toContain('smbd version');
  });
});

describe('signing server pinned to SMB3_00', () => {
  it('requires signing, shows the pin in smbstatus, and stop() leaves no process or dir', async () => {
    const server = await startSamba({ mode: 'signing', maxProtocol: 'SMB3_00', aio: false });
    let stopped = false;
    try {
      const conf = await readFile(server.confPath, 'utf8');
      expect(conf).toContain('server signing = mandatory');
      expect(conf).toContain('aio read size = 0');
      const session = server.smbclientSession('private');
      let pids: number[];
      try {
        const out = await sessionsOf(server);
        const row = out.split('\n').find((l) => l.includes(server.user)) ?? '';
        expect(row).toMatch(/\bSMB3_00\b/);
        // Every message signed (not `partial(...)`), with AES-CMAC as SMB 3.0 does (MS-SMB2 3.1.4.1).
        expect(row).toMatch(/\sAES-128-CMAC\s/);
        expect(row).not.toMatch(/partial/);
        pids = server.processIds();
        // smbd, samba-dcerpcd, their rpcd helpers and the forked smbd child serving our session.
        expect(pids.length).toBeGreaterThan(2);
        expect(pids).toContain(server.leaderPids.smbd);
        expect(pids).toContain(server.leaderPids.dcerpcd);
      } finally {
        await session.close();
      }
      const dir = server.stateDir;
      await server.stop();
      stopped = true;
      expect(pids.filter(isAlive)).toEqual([]);
      expect(server.processIds()).toEqual([]);
      expect(existsSync(dir)).toBe(false);
      await server.stop(); // idempotent
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
