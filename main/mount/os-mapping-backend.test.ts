// Windows and macOS mounts through the real adapters, with the commands recorded (argv, environment,
// stdin) and answered from recorded outputs: the call sequence of a mount, of a VPN switch (office
// path gone, the VPN alternate wins, the OS still shows the mapping Unavailable → removed and made
// again to the alternate), and that the password is only ever on stdin.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MacSmbAdapter, type RunCommand, type RunCommandOptions, type RunCommandResult, WindowsSmbAdapter, LIST_SCRIPT, MAP_SCRIPT, UNMAP_SCRIPT } from '../platform/index.js';
import type { DriveState, TransitionEvent, TransitionListener } from '../supervisor/index.js';
import { MountManager } from './mount-manager.js';
import { OsMappingBackend } from './os-mapping-backend.js';

const fixture = (name: string): string => readFileSync(new URL(`../../test/mount/fixtures/${name}`, import.meta.url), 'utf8');
const SECRET = "s3cr3t 'pw\"; $(x)";

interface Call {
  file: string;
  args: readonly string[];
  options: RunCommandOptions | undefined;
}

/** Answers each command from `answer`, recording it. */
function recorder(answer: (file: string, args: readonly string[]) => Partial<RunCommandResult>): { run: RunCommand; calls: Call[] } {
  const calls: Call[] = [];
  const run: RunCommand = async (file, args, options) => {
    calls.push({ file, args, options });
    return { code: 0, stdout: '', stderr: '', ...answer(file, args) };
  };
  return { run, calls };
}

class FakeSupervisor {
  state: DriveState = { kind: 'connected', diagnosis: { reason: 'connected', message: 'ok' }, since: 0, target: 'smb://nas.office.example/team', dialect: 0x311 };
  private readonly listeners = new Set<TransitionListener>();
  readonly hooks: (() => Promise<void> | void)[] = [];

  status() {
    return { drive: {} as never, state: this.state, rootPath: '' };
  }

  onTransition(l: TransitionListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  onDispose(h: () => Promise<void> | void): () => void {
    this.hooks.push(h);
    return () => undefined;
  }

  move(state: DriveState): void {
    const e: TransitionEvent = { driveId: 'team', from: this.state.kind, to: state.kind, reason: state.diagnosis.reason, message: state.diagnosis.message, at: 0, state };
    this.state = state;
    for (const l of this.listeners) l(e);
  }
}

const drive = { id: 'team', name: 'Team', target: 'smb://nas.office.example/team', user: 'jdoe', domain: 'CORP' };
const down: DriveState = { kind: 'unavailable', diagnosis: { reason: 'keepalive-timeout', message: 'gone' }, since: 0, attempt: 1, nextAttemptAt: 0 };
const retrying: DriveState = { kind: 'reconnecting', diagnosis: { reason: 'network-change', message: 'VPN up' }, since: 0, attempt: 2 };
const viaVpn: DriveState = { kind: 'connected', diagnosis: { reason: 'connected', message: 'ok' }, since: 0, target: 'smb://nas.vpn.example/team', dialect: 0x311 };

describe('Windows: New-SmbMapping through the supervisor', () => {
  it('mounts Z: once, and after a VPN switch makes the mapping again to the alternate', async () => {
    let listing = fixture('get-smbmapping-none.txt');
    const { run, calls } = recorder((_f, args) => (args.at(-1) === LIST_SCRIPT ? { stdout: listing } : {}));
    const sup = new FakeSupervisor();
    const backend = new OsMappingBackend({ adapter: new WindowsSmbAdapter(run), supervisor: sup, secretFor: async () => SECRET });
    const manager = new MountManager({ supervisor: sup, backend });
    const h = await manager.mount(drive, 'z:');
    expect(h.mountPoint).toBe('Z:');
    listing = fixture('get-smbmapping-z-ok.json');
    const flush = () => new Promise((r) => setTimeout(r, 10));

    // The office path dies; the OS notices too.
    sup.move(down);
    await flush();
    listing = fixture('get-smbmapping-z-unavailable.json');
    sup.move(retrying);
    await flush();
    // The supervisor's probe: the VPN alternate answers. The OS still shows Z: Unavailable.
    sup.move(viaVpn);
    await flush();
    await flush();
    listing = fixture('get-smbmapping-z-vpn-ok.json');
    // A later state change with the mapping healthy: only a look.
    sup.move({ ...viaVpn, since: 1 });
    await flush();

    const seq = calls.map((c) => (c.args.at(-1) === LIST_SCRIPT ? 'list' : c.args.at(-1) === MAP_SCRIPT ? `map ${c.options?.env?.['SK_REMOTE_PATH']}` : c.args.at(-1) === UNMAP_SCRIPT ? `unmap ${c.options?.env?.['SK_LOCAL_PATH']}` : '?'));
    expect(seq).toEqual([
      'list', // mount: is Z: there already?
      'map \\\\nas.office.example\\team',
      'list', // unavailable: look, do nothing (our probe has not found the server yet)
      'list', // reconnecting: look
      'list', // connected via the VPN, the OS shows Unavailable:
      'unmap Z:',
      'map \\\\nas.vpn.example\\team',
      'list', // healthy: nothing to do
    ]);
    for (const c of calls) {
      expect(c.file).toBe('powershell.exe');
      expect(c.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
      expect(JSON.stringify([c.args, c.options?.env])).not.toContain('s3cr3t');
    }
    const maps = calls.filter((c) => c.args.at(-1) === MAP_SCRIPT);
    expect(maps.map((c) => c.options?.input)).toEqual([`${SECRET}\n`, `${SECRET}\n`]);
    expect(maps[1]?.options?.env).toEqual({ SK_LOCAL_PATH: 'Z:', SK_REMOTE_PATH: '\\\\nas.vpn.example\\team', SK_PERSISTENT: '1', SK_USER: 'CORP\\jdoe', SK_PASSWORD_ON_STDIN: '1' });
    // Stopping the keeper leaves the OS mapping in place (it is persistent).
    await manager.dispose();
    expect(calls.filter((c) => c.args.at(-1) === UNMAP_SCRIPT)).toHaveLength(1);
  });

  it('adopts a mapping the OS already has, picks the last free letter, and unmounts on request', async () => {
    const { run, calls } = recorder((_f, args) => (args.at(-1) === LIST_SCRIPT ? { stdout: fixture('get-smbmapping-z-ok.json') } : {}));
    const sup = new FakeSupervisor();
    const backend = new OsMappingBackend({ adapter: new WindowsSmbAdapter(run), supervisor: sup });
    expect(await backend.defaultMountPoint(drive)).toBe('Y:');
    const manager = new MountManager({ supervisor: sup, backend });
    await manager.mount(drive, 'Z:');
    expect(calls.filter((c) => c.args.at(-1) === MAP_SCRIPT)).toHaveLength(0);
    await manager.unmount('team');
    expect(calls.at(-1)?.options?.env).toEqual({ SK_LOCAL_PATH: 'Z:' });
  });
});

describe('macOS: mount_smbfs through the supervisor', () => {
  it('mounts with -N (keychain password, none on argv) and mounts again when the OS dropped it', async () => {
    let listing = '';
    const { run, calls } = recorder((file) => (file === '/sbin/mount' ? { stdout: listing } : {}));
    const sup = new FakeSupervisor();
    const backend = new OsMappingBackend({ adapter: new MacSmbAdapter(run), supervisor: sup, secretFor: async () => SECRET, env: { HOME: '/Users/jdoe' } });
    const manager = new MountManager({ supervisor: sup, backend });
    const where = await manager.mountPointOf(drive);
    expect(where).toBe('/Users/jdoe/ShareKeeper/Team');
    await manager.mount(drive, where);
    listing = fixture('macos-mount-team.txt');
    sup.move(down);
    await new Promise((r) => setTimeout(r, 10));
    listing = '';
    sup.move({ ...sup.state, kind: 'connected', target: 'smb://nas.office.example/team', dialect: 0x311 } as DriveState);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls.map((c) => [c.file, ...c.args])).toEqual([
      ['/sbin/mount', '-t', 'smbfs'],
      ['/bin/mkdir', '-p', '/Users/jdoe/ShareKeeper/Team'],
      ['/sbin/mount_smbfs', '-N', '//CORP;jdoe@nas.office.example/team', '/Users/jdoe/ShareKeeper/Team'],
      ['/sbin/mount', '-t', 'smbfs'],
      ['/sbin/mount', '-t', 'smbfs'],
      ['/bin/mkdir', '-p', '/Users/jdoe/ShareKeeper/Team'],
      ['/sbin/mount_smbfs', '-N', '//CORP;jdoe@nas.office.example/team', '/Users/jdoe/ShareKeeper/Team'],
    ]);
    expect(JSON.stringify(calls)).not.toContain('s3cr3t');
  });
});
