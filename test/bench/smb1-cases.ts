// Bench rows of issue 11: SMB1 (NT LM 0.12) against Samba pinned to NT1, ours ÷
// `smbclient -m NT1 --option='client min protocol=NT1'` in the same run, on the same files.
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SMBCLIENT_NT1, startNt1Samba } from '../harness/legacy-servers.js';
import { makeManyFiles, makeRandomFile } from '../harness/fixtures.js';
import type { SambaServer } from '../harness/samba-server.js';
import { timeSmbclient, timeSmbclientList } from './smbclient-runner.js';
import { timeOurs } from './ours-runner.js';
import type { CpuTimes } from './child-cpu.js';

export interface Smb1Case {
  name: string;
  gib?: number;
  before?: () => Promise<void>;
  ours: () => Promise<{ ms: number; rssMiB: number; lagP99Ms: number; cpu: CpuTimes }>;
  smbclient: () => Promise<{ ms: number; cpu: CpuTimes }>;
  check?: () => Promise<void>;
}

const MiB = 1024 * 1024;
const NT1 = ['--min-protocol', 'NT1'];

async function expectSize(path: string, size: number): Promise<void> {
  const got = (await stat(path)).size;
  if (got !== size) throw new Error(`${path}: ${got} bytes, expected ${size}`);
}

/** Starts the NT1 server and writes its files; `local/src.bin` must exist already (the SMB2 rows make it). */
export async function prepareSmb1(local: string, sizeMiB: number, entries: number): Promise<SambaServer> {
  const server = await startNt1Samba();
  await makeRandomFile(join(server.shareDir('public'), 'big.bin'), sizeMiB * MiB);
  await makeManyFiles(join(server.shareDir('public'), 'many'), entries);
  void local;
  return server;
}

export function smb1Cases(server: SambaServer, local: string, sizeMiB: number, entries: number, fresh: (path: string) => Promise<void>): Smb1Case[] {
  const url = (path: string) => `//${server.host}/public/${path}`;
  const size = sizeMiB * MiB;
  const got = join(local, 'got1.bin');
  const src = join(local, 'src.bin');
  const up = join(server.shareDir('public'), 'up1.bin');
  return [
    {
      name: `SMB1 get ${sizeMiB} MiB`,
      gib: sizeMiB / 1024,
      before: () => fresh(got),
      ours: () => timeOurs(server, ['get', url('big.bin'), got], NT1),
      smbclient: () => timeSmbclient(server, 'public', `get big.bin "${got}"`, { extraArgs: SMBCLIENT_NT1 }),
      check: () => expectSize(got, size),
    },
    {
      name: `SMB1 put ${sizeMiB} MiB`,
      gib: sizeMiB / 1024,
      before: () => fresh(up),
      ours: () => timeOurs(server, ['put', src, url('up1.bin')], NT1),
      smbclient: () => timeSmbclient(server, 'public', `put "${src}" up1.bin`, { extraArgs: SMBCLIENT_NT1 }),
      check: () => expectSize(up, size),
    },
    {
      name: `SMB1 ls ${entries} entries`,
      ours: () => timeOurs(server, ['ls', url('many')], NT1),
      smbclient: () => timeSmbclientList(server, 'public', 'many', { extraArgs: SMBCLIENT_NT1 }),
    },
  ];
}

export async function cleanupSmb1(server: SambaServer | undefined, local: string): Promise<void> {
  await rm(join(local, 'got1.bin'), { force: true });
  await server?.stop();
}
