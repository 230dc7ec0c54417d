// The client side of the fault tests, run as its own Node process inside the client network
// namespace (`ip netns exec`), from dist/ (compiled by `npm run build`). It holds a real
// DriveSupervisor (with its NetworkWatcher, so interfaces appearing in that namespace are seen)
// and a LocalTransferQueue over it, takes requests on stdin and reports every transition and job
// change on stdout, one JSON object per line (agent-protocol.ts). It exits when stdin ends.
import { createInterface } from 'node:readline';
import { DriveSupervisor } from '../../main/supervisor/index.js';
import { LocalTransferQueue } from '../../main/transfers/index.js';
import type { AgentNote, AgentOps, AgentRequest, AgentResponse, DownloadArgs, StartArgs } from './agent-protocol.js';
import { SupervisorTreeProvider } from './supervisor-tree-provider.js';

const DRIVE = 'd';
let supervisor: DriveSupervisor | undefined;
let queue: LocalTransferQueue | undefined;
let password = '';

function send(line: AgentNote | AgentResponse): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function need(): DriveSupervisor {
  if (!supervisor) throw new Error('start first');
  return supervisor;
}

function start(a: StartArgs): null {
  if (supervisor) throw new Error('already started');
  password = a.password;
  const s = new DriveSupervisor({
    credentials: async (d) => ({ kind: 'user', user: d.user ?? '', password }),
    connectTimeoutMs: a.connectTimeoutMs,
    random: () => 1,
    log: (message) => send({ event: 'log', message, at: Date.now() }),
  });
  supervisor = s;
  s.onTransition((e) => {
    const target = e.state.kind === 'connected' ? e.state.target : undefined;
    send({ event: 'transition', from: e.from, to: e.to, reason: e.reason, message: e.message, at: e.at, ...(target ? { target } : {}) });
  });
  s.start({ network: a.network, wake: false });
  s.add(a.drive);
  return null;
}

async function download(a: DownloadArgs): Promise<string> {
  const s = need();
  queue ??= await LocalTransferQueue.open({ provider: new SupervisorTreeProvider(s), configDir: a.configDir, offlineRetryMs: 2000, progressIntervalMs: 250 });
  const q = queue;
  const job = q.enqueue({ direction: 'download', driveId: DRIVE, remotePath: a.remotePath, localPath: a.localPath });
  q.on('state', ({ job: j }) => {
    if (j.id !== job.id) return;
    const extra = {
      ...(j.resumedFrom === undefined ? {} : { resumedFrom: j.resumedFrom }),
      ...(j.error ? { error: `${j.error.code}: ${j.error.message}` } : {}),
      ...(j.pauseReason ? { pauseReason: j.pauseReason } : {}),
    };
    send({ event: 'job', id: j.id, state: j.state, bytesDone: j.bytesDone, bytesTotal: j.bytesTotal, at: Date.now(), ...extra });
  });
  q.on('progress', (p) => {
    if (p.id === job.id) send({ event: 'progress', id: p.id, bytesDone: p.bytesDone, at: Date.now() });
  });
  return job.id;
}

async function dispose(): Promise<null> {
  await queue?.dispose();
  await supervisor?.dispose();
  queue = undefined;
  supervisor = undefined;
  return null;
}

type Handlers = { [K in keyof AgentOps]: (args: AgentOps[K]['args']) => Promise<AgentOps[K]['result']> | AgentOps[K]['result'] };

const handlers: Handlers = {
  start,
  password: (a) => {
    password = a.password;
    return null;
  },
  updateCredentials: async () => {
    await need().updateCredentials(DRIVE);
    return null;
  },
  readdir: async (a) => (await (await need().acquire(DRIVE)).readdir(a.path)).map((e) => e.name),
  status: () => need().status(DRIVE).state,
  download,
  dispose,
};

async function handle(req: AgentRequest): Promise<void> {
  try {
    const fn = handlers[req.op] as (args: unknown) => unknown;
    send({ id: req.id, ok: true, result: (await fn(req.args)) ?? null });
  } catch (e) {
    send({ id: req.id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim().length > 0) void handle(JSON.parse(line) as AgentRequest);
});
lines.on('close', () => {
  void dispose().finally(() => process.exit(0));
});
