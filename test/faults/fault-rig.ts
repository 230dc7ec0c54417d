// One fault suite's world: the netns lab, a Samba inside the server namespace listening on both
// server addresses, a hosts file for the agents, and the agents started so far. close() undoes it
// all (agents and helpers by PID, Samba by PID, namespaces deleted, temp dir removed), also after a
// failed setup.
//
// Why the client runs in a child process (fault-agent.ts) inside a client namespace, rather than in
// vitest's own process: the supervisor must see interfaces come and go (os.networkInterfaces()
// and the NetworkWatcher) and resolve names through an /etc/hosts the test rewrites. In a namespace
// of its own that is real and private: a tun or a veth losing carrier there changes nothing for
// the other suites running on this machine, and the hosts file is bind-mounted in a private mount
// namespace. Vitest stays in the root namespace and owns the lab and the server.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SupervisedDrive } from '../../main/supervisor/index.js';
import { startSamba, type SambaServer } from '../harness/samba-server.js';
import { AgentClient, agentBuildProblem } from './agent-client.js';
import { labUnavailableReason, NetnsLab, SERVER_IP, SERVER_IP2 } from './netns-lab.js';

export interface FaultRig {
  lab: NetnsLab;
  server: SambaServer;
  /** Bind-mounted as /etc/hosts in every agent; rewrite it in place (writeFile keeps the inode). */
  hostsFile: string;
  /** Scratch dir for downloads and queue state. */
  dir: string;
  /** A new agent in the client namespace, stopped by close() at the latest. */
  agent(): AgentClient;
  /** Stops the agents started so far (between tests). */
  stopAgents(): Promise<void>;
  close(): Promise<void>;
}

/** Why the fault suites are skipped here (not root, no `ip netns`, nft or tc), or undefined. */
export const skipReason = await labUnavailableReason();
if (skipReason !== undefined) console.log(`[faults] skipped: ${skipReason}`);

export const HOST_NAME = 'nas.skfault.test';

export async function openRig(tag: string): Promise<FaultRig> {
  const build = agentBuildProblem();
  if (build !== undefined) throw new Error(build);
  const dir = await mkdtemp(join(tmpdir(), 'sk-faults-'));
  const hostsFile = join(dir, 'hosts');
  await writeFile(hostsFile, hostsText(SERVER_IP));
  let lab: NetnsLab | undefined;
  let server: SambaServer | undefined;
  const agents = new Set<AgentClient>();
  const stopAgents = async (): Promise<void> => {
    for (const a of [...agents]) {
      agents.delete(a);
      await a.stop();
    }
  };
  try {
    lab = await NetnsLab.create(tag);
    // auth_audit:3 logs each logon, so a test can count failed ones.
    server = await startSamba({ ip: SERVER_IP, extraIps: [SERVER_IP2], netns: lab.serverNs, extra: ['log level = 1 auth_audit:3'] });
  } catch (e) {
    await server?.stop();
    await lab?.close();
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  const l = lab;
  const s = server;
  return {
    lab: l,
    server: s,
    hostsFile,
    dir,
    agent: () => {
      const a = AgentClient.spawn(l.clientNs, hostsFile);
      agents.add(a);
      return a;
    },
    stopAgents,
    close: async () => {
      await stopAgents();
      await s.stop().catch(() => undefined);
      await l.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function hostsText(address: string): string {
  return `127.0.0.1 localhost\n${address} ${HOST_NAME}\n`;
}

export function driveAt(rig: FaultRig, host: string, extra: Partial<SupervisedDrive> = {}): SupervisedDrive {
  return { id: 'd', name: 'fault drive', target: `smb://${host}:${rig.server.port}/private`, alternates: [], user: rig.server.user, options: {}, persistent: true, ...extra };
}

/** Starts an agent on `drive` (connect timeout 3 s, interface polling on) and waits for Connected. */
export async function connectedAgent(rig: FaultRig, drive: SupervisedDrive, password = rig.server.password): Promise<AgentClient> {
  const agent = rig.agent();
  await agent.call('start', { drive, password, connectTimeoutMs: CONNECT_TIMEOUT_MS, network: true });
  await agent.waitTransition('connected', 0, 15_000);
  return agent;
}

export const CONNECT_TIMEOUT_MS = 3000;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
