// The on-disk layout of one throw-away Samba instance and the smb.conf that points every Samba
// directory into it, so parallel servers never share a tdb, a socket, a pid file or a log.
import { join } from 'node:path';

/** Samba's protocol names; NT1 is SMB1 (CIFS, NT LM 0.12), for the legacy suites. */
export type SmbDialect = 'NT1' | 'SMB2_02' | 'SMB2_10' | 'SMB3_00' | 'SMB3_02' | 'SMB3_11';

/** Every path of one instance, all under stateDir. */
export interface SambaLayout {
  stateDir: string;
  confPath: string;
  /** The wrapper that hides the host's Samba directories behind empty ones (see wrapperScript). */
  wrapperPath: string;
  /** Credentials file for `smbclient -A` (mode 600). */
  authFilePath: string;
  sharesDir: string;
  /** Samba's own directories, in smb.conf order. */
  dirs: {
    private: string;
    lock: string;
    state: string;
    cache: string;
    pid: string;
    ncalrpc: string;
    binddns: string;
    log: string;
  };
  /** Empty directories bind-mounted over the host's fixed Samba paths, keyed by host path. */
  hostMasks: Record<string, string>;
  /** Where each daemon's stdout/stderr go (we run them with --debug-stdout). */
  smbdLog: string;
  dcerpcdLog: string;
}

export function sambaLayout(stateDir: string): SambaLayout {
  const d = (name: string): string => join(stateDir, name);
  return {
    stateDir,
    confPath: d('smb.conf'),
    wrapperPath: d('in-private-mounts.sh'),
    authFilePath: d('auth.txt'),
    sharesDir: d('shares'),
    dirs: {
      private: d('private'),
      lock: d('lock'),
      state: d('state'),
      cache: d('cache'),
      pid: d('pid'),
      ncalrpc: d('ncalrpc'),
      binddns: d('binddns'),
      log: d('log'),
    },
    // Samba's helpers (rpcd_*, samba-dcerpcd) log to /var/log/samba and probe the other paths
    // whatever smb.conf says; masking them keeps the host untouched and instances independent.
    hostMasks: {
      '/var/log/samba': d('mask/var-log-samba'),
      '/run/samba': d('mask/run-samba'),
      '/var/lib/samba': d('mask/var-lib-samba'),
      '/var/cache/samba': d('mask/var-cache-samba'),
      '/etc/samba': d('mask/etc-samba'),
    },
    smbdLog: d('smbd.out'),
    dcerpcdLog: d('samba-dcerpcd.out'),
  };
}

export interface ExtraShare {
  name: string;
  /** Lines for the share section besides `path`, e.g. `smb encrypt = required`. */
  lines: string[];
}

export interface ConfigInput {
  layout: SambaLayout;
  port: number;
  user: string;
  signing: boolean;
  minProtocol: SmbDialect;
  maxProtocol: SmbDialect;
  aio: boolean;
  extra: string[];
  extraShares: ExtraShare[];
  /** `server smb3 encryption algorithms` (Samba 4.17: AES-128-GCM, AES-128-CCM, AES-256-GCM, AES-256-CCM). */
  encryptionAlgorithms?: string | undefined;
  /** `server smb3 signing algorithms` (Samba 4.17: AES-128-GMAC, AES-128-CMAC, HMAC-SHA256). */
  signingAlgorithms?: string | undefined;
  /** Global `server smb encrypt`; unset keeps Samba's default (if_required). */
  serverEncrypt?: 'required' | 'desired' | 'off' | undefined;
  /** Addresses smbd binds to (`interfaces`); default 127.0.0.1. */
  interfaces?: readonly string[] | undefined;
}

/** The fixed shares every instance has; directories are created by the server module. */
export const STANDARD_SHARES = ['public', 'private', 'readonly'] as const;

/** A standard share that only the test user may use, and only over an encrypted connection. */
export const SECURE_SHARE = 'secure';

function globalSection(c: ConfigInput): string[] {
  const { dirs } = c.layout;
  const lines = [
    '[global]',
    `smb ports = ${c.port}`,
    `interfaces = ${(c.interfaces ?? ['127.0.0.1']).join(' ')}`,
    'bind interfaces only = yes',
    'disable netbios = yes',
    `private dir = ${dirs.private}`,
    `lock directory = ${dirs.lock}`,
    `state directory = ${dirs.state}`,
    `cache directory = ${dirs.cache}`,
    `pid directory = ${dirs.pid}`,
    `ncalrpc dir = ${dirs.ncalrpc}`,
    `binddns dir = ${dirs.binddns}`,
    `log file = ${join(dirs.log, 'log.%m')}`,
    `passdb backend = tdbsam:${join(dirs.private, 'passdb.tdb')}`,
    'map to guest = Bad User',
    'guest account = nobody',
    'load printers = no',
    'printing = bsd',
    'printcap name = /dev/null',
    'disable spoolss = yes',
    'usershare path =',
    // We run samba-dcerpcd ourselves (share listing goes through its srvsvc).
    'rpc start on demand helpers = no',
    `server min protocol = ${c.minProtocol}`,
    `server max protocol = ${c.maxProtocol}`,
  ];
  if (c.signing) lines.push('server signing = mandatory');
  if (!c.aio) lines.push('aio read size = 0', 'aio write size = 0');
  if (c.encryptionAlgorithms !== undefined) lines.push(`server smb3 encryption algorithms = ${c.encryptionAlgorithms}`);
  if (c.signingAlgorithms !== undefined) lines.push(`server smb3 signing algorithms = ${c.signingAlgorithms}`);
  if (c.serverEncrypt !== undefined) lines.push(`server smb encrypt = ${c.serverEncrypt}`);
  return [...lines, ...c.extra];
}

export function renderSmbConf(c: ConfigInput): string {
  const share = (name: string): string => join(c.layout.sharesDir, name);
  const sections: string[][] = [
    globalSection(c),
    [
      '[public]',
      `path = ${share('public')}`,
      'guest ok = yes',
      'read only = no',
      'create mask = 0666',
      'directory mask = 0777',
    ],
    ['[private]', `path = ${share('private')}`, `valid users = ${c.user}`, 'read only = no'],
    ['[readonly]', `path = ${share('readonly')}`, 'guest ok = yes', 'read only = yes'],
    // smb.conf(5) "server smb encrypt": `required` on a share denies tree connects without encryption.
    [`[${SECURE_SHARE}]`, `path = ${share(SECURE_SHARE)}`, `valid users = ${c.user}`, 'read only = no', 'smb encrypt = required'],
    ...c.extraShares.map((s) => [`[${s.name}]`, `path = ${share(s.name)}`, ...s.lines]),
  ];
  return sections.map((lines) => lines.join('\n') + '\n').join('\n');
}

/**
 * A sh script run as `unshare --mount --propagation private <script> prog args...`: inside its own
 * mount namespace it bind-mounts the empty mask directories over the host's Samba paths, then
 * execs the program, so the program keeps the PID we spawned.
 */
export function wrapperScript(layout: SambaLayout): string {
  const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
  const mounts = Object.entries(layout.hostMasks).map(
    ([host, mask]) => `mkdir -p ${quote(host)} && mount --bind ${quote(mask)} ${quote(host)}`,
  );
  return ['#!/bin/sh', 'set -e', ...mounts, 'exec "$@"', ''].join('\n');
}
