// CPU time of the benchmark's children (our CLI, smbclient): the kernel adds a child's user and
// system time to its parent's cutime/cstime when the parent reaps it (proc(5), /proc/self/stat
// fields 16 and 17, in clock ticks). Read before the spawn and after 'close', the difference is
// that child's CPU, whatever program it is. Linux only; elsewhere it reads as zero.
import { readFileSync } from 'node:fs';

/** USER_HZ on Linux: 100 ticks per second. */
const TICK_MS = 10;

export interface CpuTimes {
  userMs: number;
  sysMs: number;
}

export function reapedChildrenCpu(): CpuTimes {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userMs: Number(fields[13]) * TICK_MS, sysMs: Number(fields[14]) * TICK_MS };
  } catch {
    return { userMs: 0, sysMs: 0 };
  }
}

export function cpuSince(before: CpuTimes): CpuTimes {
  const now = reapedChildrenCpu();
  return { userMs: now.userMs - before.userMs, sysMs: now.sysMs - before.sysMs };
}
