// Samba's own client tools pointed at one test instance: smbclient always with `-s /dev/null -p PORT`
// (no host smb.conf), the password in the PASSWD environment variable (smbclient(1) reads it when
// no --password is given), never on argv where `ps` would show it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mergeEnv, runCommand, type CommandResult } from './run-command.js';

/**
 * Who smbclient logs on as. 'user' (default): the server's test user with its password;
 * 'guest': -N (no password; `map to guest = Bad User` makes it a guest); 'none': add nothing,
 * the caller's args decide; or explicit credentials (e.g. a wrong password).
 */
export type SmbclientAuth = 'user' | 'guest' | 'none' | { user: string; password: string };

export interface SmbclientOptions {
  auth?: SmbclientAuth;
  /** Default 30 s; the child is killed and the promise rejects after it. */
  timeoutMs?: number;
  /** Written to smbclient's stdin (commands, when no -c is given). */
  input?: string;
}

export interface SmbclientTarget {
  port: number;
  user: string;
  password: string;
  /** Server address for the calls this module builds itself (default 127.0.0.1). */
  host?: string;
  /** Run smbclient inside this network namespace (`ip netns exec`, root only). */
  netns?: string;
}

/** The program and argv that run smbclient, inside t.netns when one is set. */
function smbclientCommand(t: SmbclientTarget, args: readonly string[]): { file: string; args: string[] } {
  return t.netns === undefined ? { file: 'smbclient', args: [...args] } : { file: 'ip', args: ['netns', 'exec', t.netns, 'smbclient', ...args] };
}

/** argv and environment for one smbclient run: credentials only ever in the environment. */
export function smbclientInvocation(
  t: SmbclientTarget,
  args: readonly string[],
  auth: SmbclientAuth = 'user',
): { args: string[]; env: Record<string, string | undefined> } {
  const base = ['-s', '/dev/null', '-p', String(t.port)];
  // Never let a PASSWD or USER from the caller's environment pick the identity for us.
  const env: Record<string, string | undefined> = { PASSWD: undefined, PASSWD_FD: undefined, PASSWD_FILE: undefined, USER: undefined };
  if (auth === 'guest') return { args: [...base, '-N', ...args], env };
  if (auth === 'none') return { args: [...base, ...args], env };
  const cred = auth === 'user' ? { user: t.user, password: t.password } : auth;
  return { args: [...base, '-U', cred.user, ...args], env: { ...env, PASSWD: cred.password } };
}

export function runSmbclient(t: SmbclientTarget, args: readonly string[], opts: SmbclientOptions = {}): Promise<CommandResult> {
  const inv = smbclientInvocation(t, args, opts.auth);
  const cmd = smbclientCommand(t, inv.args);
  return runCommand(cmd.file, cmd.args, {
    env: inv.env,
    ...(opts.input === undefined ? {} : { input: opts.input }),
    timeoutMs: opts.timeoutMs ?? 30_000,
  });
}

/**
 * An interactive smbclient that stays connected (its session shows in smbstatus) until close().
 * Commands are fed on stdin; output accumulates in `output()`.
 */
export interface SmbclientSession {
  child: ChildProcess;
  /** Send one smbclient command line (e.g. `ls`). */
  send(command: string): void;
  /** stdout + stderr so far. */
  output(): string;
  /** Sends `exit`, waits (bounded by timeoutMs, then SIGKILL) and returns the exit code and output. */
  close(timeoutMs?: number): Promise<CommandResult>;
}

export function openSmbclientSession(t: SmbclientTarget, share: string, auth: SmbclientAuth = 'user'): SmbclientSession {
  const inv = smbclientInvocation(t, [`//${t.host ?? '127.0.0.1'}/${share}`], auth);
  const cmd = smbclientCommand(t, inv.args);
  const child = spawn(cmd.file, cmd.args, { env: mergeEnv(inv.env), stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  child.stdin.on('error', () => undefined);
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const output = (): string => Buffer.concat([...out, ...err]).toString('utf8');
  return {
    child,
    send: (command) => {
      child.stdin.write(`${command}\n`);
    },
    output,
    close: async (timeoutMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end('exit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await closed;
      clearTimeout(timer);
      return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
    },
  };
}
