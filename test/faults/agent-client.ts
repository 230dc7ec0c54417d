// The test's side of a client agent: starts dist/test/faults/fault-agent.js inside the client
// namespace with its own /etc/hosts (a private mount namespace: `unshare --mount`, then the test's
// hosts file bind-mounted over /etc/hosts, so rewriting that file in place renames hosts for the
// agent alone), sends requests, keeps every note it reports, and waits for notes with deadlines.
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { AgentNote, AgentOp, AgentOps, AgentResponse, JobNote, TransitionNote } from './agent-protocol.js';
import { stopChild } from './netns-lab.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
export const AGENT_JS = join(repo, 'dist', 'test', 'faults', 'fault-agent.js');

/** Why the compiled agent cannot be used (missing or older than its sources), or undefined. */
export function agentBuildProblem(): string | undefined {
  let built: number;
  try {
    built = statSync(AGENT_JS).mtimeMs;
  } catch {
    return `${AGENT_JS} is missing: run \`npm run build\` first`;
  }
  for (const src of ['fault-agent.ts', 'agent-protocol.ts', 'supervisor-tree-provider.ts']) {
    if (statSync(join(repo, 'test', 'faults', src)).mtimeMs > built) return `${AGENT_JS} is older than ${src}: run \`npm run build\``;
  }
  return undefined;
}

export class AgentClient {
  readonly notes: AgentNote[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiters = new Set<() => void>();
  private nextId = 1;
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    const out = child.stdout;
    if (!out) throw new Error('agent has no stdout');
    createInterface({ input: out }).on('line', (line) => this.onLine(line));
    child.stderr?.on('data', (b: Buffer) => (this.stderr += b.toString()));
    child.once('exit', (code, signal) => {
      for (const p of this.pending.values()) p.reject(new Error(`agent exited (${code ?? signal}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** Starts the agent in `netns` with `hostsFile` as its /etc/hosts. */
  static spawn(netns: string, hostsFile: string): AgentClient {
    const script = 'mount --bind "$0" /etc/hosts && exec "$@"';
    const args = ['netns', 'exec', netns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, hostsFile, process.execPath, AGENT_JS];
    return new AgentClient(spawn('ip', args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  }

  call<K extends AgentOp>(op: K, args: AgentOps[K]['args'], timeoutMs = 30_000): Promise<AgentOps[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`agent ${op} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as AgentOps[K]['result']);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.stdin?.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  transitions(): TransitionNote[] {
    return this.notes.filter((n): n is TransitionNote => n.event === 'transition');
  }

  /** "to:reason" for each transition so far: the trail a failing assertion shows. */
  trail(): string[] {
    return this.transitions().map((t) => `${t.to}:${t.reason}`);
  }

  /**
   * The first transition to `kind` after `since` (a wall-clock ms, taken before the fault: strictly
   * after, since a note received in the same millisecond as the mark came before it), waiting up to ms.
   */
  waitTransition(kind: TransitionNote['to'], since: number, ms: number, match: (t: TransitionNote) => boolean = () => true): Promise<TransitionNote> {
    const find = (): TransitionNote | undefined => this.transitions().find((t) => t.to === kind && t.at > since && match(t));
    return this.waitFor(find, ms, () => `no ${kind} within ${ms} ms; trail ${this.trail().join(' ')}`);
  }

  /** The first job note in one of `states` after `since` (see waitTransition). */
  waitJob(id: string, states: JobNote['state'][], since: number, ms: number): Promise<JobNote> {
    const find = (): JobNote | undefined => this.notes.find((n): n is JobNote => n.event === 'job' && n.id === id && n.at > since && states.includes(n.state));
    return this.waitFor(find, ms, () => `job ${id} not ${states.join('/')} within ${ms} ms; jobs ${this.jobTrail(id)}; trail ${this.trail().join(' ')}`);
  }

  /** Resolves once the job's progress reaches `bytes`. */
  waitProgress(id: string, bytes: number, ms: number): Promise<number> {
    const find = (): number | undefined => {
      const n = this.notes.find((x) => x.event === 'progress' && x.id === id && x.bytesDone >= bytes);
      return n?.at;
    };
    return this.waitFor(find, ms, () => `job ${id} did not reach ${bytes} B within ${ms} ms; jobs ${this.jobTrail(id)}`);
  }

  jobTrail(id: string): string {
    return this.notes
      .filter((n): n is JobNote => n.event === 'job' && n.id === id)
      .map((n) => `${n.state}${n.pauseReason ? `(${n.pauseReason})` : ''}@${n.bytesDone}`)
      .join(' ');
  }

  /** Closes stdin (the agent disposes and exits), then SIGTERM/SIGKILL by PID if it lingers. */
  async stop(): Promise<void> {
    this.child.stdin?.end();
    const exited = new Promise<void>((r) => (this.child.exitCode !== null || this.child.signalCode !== null ? r() : this.child.once('exit', () => r())));
    const grace = new Promise<void>((r) => setTimeout(r, 5000).unref());
    await Promise.race([exited, grace]);
    await stopChild(this.child, 2000);
  }

  private waitFor<T>(find: () => T | undefined, ms: number, describe: () => string): Promise<T> {
    const now = find();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = find();
        if (v === undefined) return;
        done();
        resolve(v);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(describe()));
      }, ms);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  private onLine(line: string): void {
    let msg: AgentNote | AgentResponse;
    try {
      msg = JSON.parse(line) as AgentNote | AgentResponse;
    } catch {
      this.stderr += `${line}\n`;
      return;
    }
    if ('id' in msg && 'ok' in msg) {
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.result);
      else p?.reject(new Error(msg.error));
      return;
    }
    this.notes.push(msg);
    for (const w of [...this.waiters]) w();
  }
}
