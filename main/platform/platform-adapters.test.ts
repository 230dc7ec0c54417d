import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDriveMappingAdapter } from './create-adapter.js';
import { PlatformError } from './drive-mapping-adapter.js';
import { LinuxAdapter } from './linux-adapter.js';
import { MacSmbAdapter, parseMacMountOutput } from './macos-smb-adapter.js';
import { spawnCommand, type RunCommand, type RunCommandOptions, type RunCommandResult } from './run-command.js';
import { LIST_SCRIPT, MAP_SCRIPT, parseSmbMappingJson, UNMAP_SCRIPT, WindowsSmbAdapter } from './windows-smb-adapter.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/platform/${name}`, import.meta.url), 'utf8');

interface Call {
  file: string;
  args: readonly string[];
  options: RunCommandOptions | undefined;
}

/** A RunCommand that records each call and answers from a list. */
function recorder(...answers: Partial<RunCommandResult>[]): { run: RunCommand; calls: Call[] } {
  const calls: Call[] = [];
  const run: RunCommand = async (file, args, options) => {
    calls.push({ file, args, options });
    return { code: 0, stdout: '', stderr: '', ...answers.shift() };
  };
  return { run, calls };
}

const SECRET = 'pa$$ \'word"; Remove-Item C:\\ -Recurse #';

describe('WindowsSmbAdapter', () => {
  it('parses one mapping given as a single object (full CIM dump)', () => {
    expect(parseSmbMappingJson(fixture('get-smbmapping-single.json'))).toEqual([
      { localPath: 'Z:', remotePath: '\\\\nas\\media', status: 'ok', target: 'smb://nas/media' },
    ]);
  });

  it('parses several mappings, reading the numeric Status', () => {
    const list = parseSmbMappingJson(fixture('get-smbmapping-many.json'));
    expect(list.map((m) => m.status)).toEqual(['ok', 'paused', 'disconnected', 'network-error', 'connecting', 'reconnecting', 'unavailable', 'ok', 'ok', 'ok']);
    expect(list[1]).toEqual({ localPath: 'H:', remotePath: '\\\\fileserver\\home\\jdoe', status: 'paused', target: 'smb://fileserver/home/jdoe' });
    expect(list[7]).toMatchObject({ localPath: '', remotePath: '\\\\printsrv\\IPC$' });
    expect(list[8]?.target).toBe('smb://[fe80::1%12]/backup');
    expect(list[9]?.target).toBe('smb://nas/B%C3%BCcher');
  });

  it('reads empty output as no mappings, and odd statuses as unknown', () => {
    expect(parseSmbMappingJson(fixture('get-smbmapping-empty.txt'))).toEqual([]);
    expect(parseSmbMappingJson('{"LocalPath":"Q:","RemotePath":"\\\\\\\\h\\\\s","Status":"NetworkError"}')[0]?.status).toBe('network-error');
    expect(parseSmbMappingJson('[{"LocalPath":"Q:","RemotePath":"\\\\\\\\h\\\\s","Status":42}]')[0]?.status).toBe('unknown');
    expect(() => parseSmbMappingJson('Get-SmbMapping : Access is denied')).toThrow(PlatformError);
    expect(() => parseSmbMappingJson('[{"LocalPath":"Q:"}]')).toThrow('no RemotePath');
  });

  it('lists through a constant PowerShell script, no user value on the command line', async () => {
    const { run, calls } = recorder({ stdout: fixture('get-smbmapping-many.json') });
    expect(await new WindowsSmbAdapter(run).list()).toHaveLength(10);
    expect(calls).toEqual([{ file: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', LIST_SCRIPT], options: undefined }]);
  });

  it('maps with values in the environment and the password on stdin only', async () => {
    const { run, calls } = recorder({});
    await new WindowsSmbAdapter(run).map({
      localPath: 'z:',
      target: "smb://CORP;o'brien@nas:4450/Team Share/it's here",
      password: SECRET,
      saveCredentials: true,
    });
    const call = calls[0]!;
    expect(call.args).toEqual(['-NoProfile', '-NonInteractive', '-Command', MAP_SCRIPT]);
    expect(call.options?.env).toEqual({
      SK_LOCAL_PATH: 'Z:',
      SK_REMOTE_PATH: "\\\\nas\\Team Share\\it's here",
      SK_PERSISTENT: '1',
      SK_USER: "CORP\\o'brien",
      SK_SAVE_CREDENTIALS: '1',
      SK_TCP_PORT: '4450',
      SK_PASSWORD_ON_STDIN: '1',
    });
    expect(call.options?.input).toBe(`${SECRET}\n`);
    expect(JSON.stringify([call.file, call.args, call.options?.env])).not.toContain('pa$$');
  });

  it('maps an IPv6 host through its ipv6-literal.net name, without a password', async () => {
    const { run, calls } = recorder({});
    await new WindowsSmbAdapter(run).map({ localPath: 'Y:', target: 'smb://[fe80::1]/s', persistent: false });
    expect(calls[0]?.options).toEqual({ env: { SK_LOCAL_PATH: 'Y:', SK_REMOTE_PATH: '\\\\fe80--1.ipv6-literal.net\\s', SK_PERSISTENT: '0' } });
  });

  it('unmaps by letter; refuses non-letters; reports failures without the password', async () => {
    const { run, calls } = recorder({}, { code: 1, stderr: `The network name cannot be found. ${SECRET}\r\n` });
    const win = new WindowsSmbAdapter(run);
    await win.unmap('M:');
    expect(calls[0]?.args.at(-1)).toBe(UNMAP_SCRIPT);
    expect(calls[0]?.options).toEqual({ env: { SK_LOCAL_PATH: 'M:' } });
    await expect(win.unmap('C:\\Users')).rejects.toMatchObject({ code: 'invalid' });
    const err = await win.map({ localPath: 'Q:', target: 'smb://nas/x', password: SECRET }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'command-failed' });
    expect((err as Error).message).toContain('The network name cannot be found');
    expect((err as Error).message).not.toContain(SECRET);
    await expect(win.map({ localPath: 'Q:', target: 'smb://nas/x', password: 'a\nb' })).rejects.toMatchObject({ code: 'invalid' });
  });
});

describe('MacSmbAdapter', () => {
  it('parses the smbfs lines of mount output', () => {
    expect(parseMacMountOutput(fixture('macos-mount.txt'))).toEqual([
      { localPath: '/Volumes/media', remotePath: '//jdoe@nas._smb._tcp.local/media', status: 'ok', target: 'smb://nas._smb._tcp.local/media' },
      {
        localPath: '/Users/jdoe/Shares/Team Share',
        remotePath: '//CORP;jdoe@fileserver.corp.example/Team%20Share/Reports%202024',
        status: 'ok',
        target: 'smb://fileserver.corp.example/Team%20Share/Reports%202024',
      },
    ]);
  });

  it('lists, maps (mkdir then mount_smbfs -N, no password on argv) and unmaps', async () => {
    const { run, calls } = recorder({ stdout: fixture('macos-mount.txt') }, {}, {}, {});
    const mac = new MacSmbAdapter(run);
    expect(await mac.list()).toHaveLength(2);
    await mac.map({ localPath: '/Users/jdoe/Shares/Team Share', target: 'smb://fileserver/Team Share/a b', user: 'j doe', domain: 'CORP', password: SECRET });
    await mac.unmap('/Volumes/media');
    expect(calls.map((c) => [c.file, ...c.args])).toEqual([
      ['/sbin/mount', '-t', 'smbfs'],
      ['/bin/mkdir', '-p', '/Users/jdoe/Shares/Team Share'],
      ['/sbin/mount_smbfs', '-N', '//CORP;j%20doe@fileserver/Team%20Share/a%20b', '/Users/jdoe/Shares/Team Share'],
      ['/sbin/umount', '/Volumes/media'],
    ]);
    expect(JSON.stringify(calls)).not.toContain('pa$$');
  });

  it('refuses relative folders and non-445 ports, and reports mount_smbfs failures', async () => {
    const { run } = recorder({}, { code: 68, stderr: 'mount_smbfs: server connection failed: No route to host\n' });
    const mac = new MacSmbAdapter(run);
    await expect(mac.map({ localPath: '-o evil', target: 'smb://nas/s' })).rejects.toMatchObject({ code: 'invalid' });
    await expect(mac.map({ localPath: '/mnt/x', target: 'smb://nas:4450/s' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(mac.map({ localPath: '/mnt/x', target: 'smb://nas/s' })).rejects.toThrow(/exit 68.*No route to host/);
  });
});

describe('spawnCommand', () => {
  it('runs an argv without a shell, with env and stdin', async () => {
    const r = await spawnCommand(process.execPath, ['-e', 'process.stdin.pipe(process.stdout); process.stderr.write(process.env.SK_X + " $HOME")'], {
      env: { SK_X: 'from-env' },
      input: 'from-stdin',
    });
    expect(r).toEqual({ code: 0, stdout: 'from-stdin', stderr: 'from-env $HOME' });
  });
});

describe('LinuxAdapter and the factory', () => {
  it('lists nothing and says plainly that mapping is not there yet', async () => {
    const linux = new LinuxAdapter();
    expect(await linux.list()).toEqual([]);
    await expect(linux.map()).rejects.toMatchObject({ code: 'unsupported', message: expect.stringContaining('FUSE') });
    await expect(linux.unmap()).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('picks the adapter by platform', () => {
    const { run } = recorder();
    expect(createDriveMappingAdapter('win32', run).platform).toBe('windows');
    expect(createDriveMappingAdapter('darwin', run).platform).toBe('macos');
    expect(createDriveMappingAdapter('linux', run).platform).toBe('linux');
  });
});
