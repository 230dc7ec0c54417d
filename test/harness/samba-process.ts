// Start Samba daemons in their own process group and stop them by PID. Each daemon is spawned
// detached (so it leads a process group that also holds its forked children, since smbd runs with
// --no-process-group) with stdin the read end of a FIFO whose only writer is us: smbd in
// --foreground mode exits on EOF on stdin, so even a SIGKILLed test run does not leave it behind.
// (Not Node's 'pipe' stdio: that is a socketpair, and smbd takes a socket on stdin for an inetd
// connection.) A process 'exit' hook covers the rest.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';

export interface DaemonSpec {
  /** Label used in errors and logs. */
  name: string;
  file: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logPath: string;
  /** Path where the stdin FIFO is created (must not exist). */
  stdinFifo: string;
  /** Pass an extra pipe as fd 3 and resolve `ready` when the daemon closes it (--ready-signal-fd=3). */
  readyFd?: boolean;
}

export interface Daemon {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Resolves when the daemon has exited (with its code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once 'exit' was seen. */
  hasExited(): boolean;
  /** Only with readyFd: resolves when the daemon signals readiness (or exits). */
  ready: Promise<void>;
}

/** Process groups and directories the exit hook cleans up if a run dies before stop(). */
const liveGroups = new Set<number>();
const liveDirs = new Set<string>();
let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function trackStateDir(dir: string): void {
  installExitHook();
  liveDirs.add(dir);
}

export function untrackStateDir(dir: string): void {
  liveDirs.delete(dir);
}

export function spawnDaemon(spec: DaemonSpec): Daemon {
  installExitHook();
  execFileSync('mkfifo', ['-m', '600', spec.stdinFifo]);
  // Opening the read end non-blocking succeeds without a writer; then our write end opens at once.
  const stdinFd = openSync(spec.stdinFifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writerFd = openSync(spec.stdinFifo, constants.O_WRONLY); // O_CLOEXEC (libuv): no child inherits it
  const logFd = openSync(spec.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.file, spec.args, {
      detached: true,
      stdio: spec.readyFd ? [stdinFd, logFd, logFd, 'pipe'] : [stdinFd, logFd, logFd],
    });
  } finally {
    closeSync(logFd); // the child holds its own copies
    closeSync(stdinFd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${spec.name} (${spec.file})`);
  liveGroups.add(pid);
  let exitedFlag = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      closeSync(writerFd);
      resolve({ code, signal });
    });
  });
  const ready = spec.readyFd ? readySignal(child, exited) : Promise.resolve();
  // Neither the daemon nor its ready pipe keeps a script alive that forgot stop(); the exit hook
  // then kills the group.
  child.unref();
  unrefStream(child.stdio[3]);
  return { name: spec.name, pid, child, exited, hasExited: () => exitedFlag, ready };
}

function readySignal(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const stream = child.stdio[3];
  if (stream === null || stream === undefined) return Promise.resolve();
  return new Promise<void>((resolve) => {
    stream.on('data', () => undefined);
    stream.on('error', () => resolve());
    stream.once('close', () => resolve());
    stream.once('end', () => resolve());
    void exited.then(() => resolve());
  });
}

function unrefStream(s: unknown): void {
  if (s !== null && typeof s === 'object' && 'unref' in s && typeof s.unref === 'function') s.unref();
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/** PIDs of every live process whose process group is one of pgids (read from /proc). */
export function groupMembers(pgids: readonly number[]): number[] {
  const wanted = new Set(pgids);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = rest[0];
    const pgrp = Number(rest[2]);
    if (wanted.has(pgrp) && state !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** True while a process with this PID exists (zombies count as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * SIGTERM every daemon's process group, SIGKILL what is left after graceMs, and wait until no
 * member of any group remains (bounded: gives up after graceMs + 5 s and throws).
 */
export async function stopDaemons(daemons: readonly Daemon[], graceMs = 3000): Promise<void> {
  const pgids = daemons.map((d) => d.pid);
  for (const pgid of pgids) signalGroup(pgid, 'SIGTERM');
  const start = Date.now();
  let killed = false;
  for (;;) {
    const left = groupMembers(pgids);
    const leadersDone = daemons.every((d) => d.hasExited());
    if (left.length === 0 && leadersDone) break;
    const waited = Date.now() - start;
    if (!killed && waited >= graceMs) {
      for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
      killed = true;
    }
    if (waited > graceMs + 5000) {
      throw new Error(`Samba processes still running after SIGKILL: ${left.join(', ')}`);
    }
    await sleep(50);
  }
  for (const pgid of pgids) liveGroups.delete(pgid);
}
