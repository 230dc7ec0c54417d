// Windows drive letters through the SmbShare PowerShell module: New-SmbMapping, Get-SmbMapping,
// Remove-SmbMapping. Never `net use`, whose output is localized text.
//
// How user values reach PowerShell: the -Command script is a CONSTANT; every value (letter, UNC
// path, user name) goes in an environment variable that the script reads ($env:SK_*) and splats
// into the cmdlet. A value is then never parsed as PowerShell, so no quoting rule can be got
// wrong, and the same script text is easy to audit. The password takes neither argv (visible to
// every process) nor the environment: the child reads it from its stdin.
import { formatSmbTarget, parseSmbTarget, SMB_PORT, type SmbTarget } from '../drives/smb-target.js';
import { commandFailure, normalizedTarget, PlatformError, type DriveMappingAdapter, type MappingStatus, type MapRequest, type OsMapping } from './drive-mapping-adapter.js';
import type { RunCommand } from './run-command.js';

export const POWERSHELL = 'powershell.exe';

const PRELUDE = "$ErrorActionPreference = 'Stop'; [Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ";
const wrap = (body: string) => `${PRELUDE}try { ${body} } catch { [Console]::Error.WriteLine($_.Exception.Message); exit 1 }`;

export const LIST_SCRIPT = wrap(
  '$m = @(Get-SmbMapping | Select-Object LocalPath, RemotePath, Status); if ($m.Count -gt 0) { ConvertTo-Json -InputObject $m -Compress }',
);

export const MAP_SCRIPT = wrap(
  [
    '$p = @{ LocalPath = $env:SK_LOCAL_PATH; RemotePath = $env:SK_REMOTE_PATH; Persistent = ($env:SK_PERSISTENT -eq "1") }',
    'if ($env:SK_USER) { $p.UserName = $env:SK_USER }',
    'if ($env:SK_PASSWORD_ON_STDIN -eq "1") { $p.Password = [Console]::In.ReadLine() }',
    'if ($env:SK_SAVE_CREDENTIALS -eq "1") { $p.SaveCredentials = $true }',
    // -TcpPort exists only on recent Windows (11 24H2, Server 2025); passed only for a non-445 port.
    'if ($env:SK_TCP_PORT) { $p.TcpPort = [int]$env:SK_TCP_PORT }',
    'New-SmbMapping @p | Out-Null',
  ].join('; '),
);

export const UNMAP_SCRIPT = wrap('Remove-SmbMapping -LocalPath $env:SK_LOCAL_PATH -Force -UpdateProfile');

export const powershellArgs = (script: string): string[] => ['-NoProfile', '-NonInteractive', '-Command', script];

/** MSFT_SmbMapping.Status, as ConvertTo-Json writes the enum: its number. */
const STATUS_BY_NUMBER: readonly MappingStatus[] = ['ok', 'paused', 'disconnected', 'network-error', 'connecting', 'reconnecting', 'unavailable'];
const STATUS_BY_NAME: Record<string, MappingStatus> = {
  ok: 'ok',
  paused: 'paused',
  disconnected: 'disconnected',
  networkerror: 'network-error',
  connecting: 'connecting',
  reconnecting: 'reconnecting',
  unavailable: 'unavailable',
};

export function mappingStatus(value: unknown): MappingStatus {
  if (typeof value === 'number') return STATUS_BY_NUMBER[value] ?? 'unknown';
  // PowerShell 7 with -EnumsAsStrings writes the enum member name (not localized).
  if (typeof value === 'string') return STATUS_BY_NAME[value.toLowerCase()] ?? 'unknown';
  return 'unknown';
}

/** Parses Get-SmbMapping | ConvertTo-Json: nothing, one object, or an array of them. */
export function parseSmbMappingJson(text: string): OsMapping[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    throw new PlatformError('parse', `Get-SmbMapping output is not JSON: ${(e as Error).message}`, { cause: e });
  }
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    if (typeof item !== 'object' || item === null) throw new PlatformError('parse', `Get-SmbMapping item ${i} is not an object`);
    const o = item as Record<string, unknown>;
    const remotePath = o['RemotePath'];
    if (typeof remotePath !== 'string') throw new PlatformError('parse', `Get-SmbMapping item ${i} has no RemotePath`);
    const localPath = typeof o['LocalPath'] === 'string' ? o['LocalPath'] : '';
    const mapping: OsMapping = { localPath, remotePath, status: mappingStatus(o['Status']) };
    const target = targetFromUnc(remotePath);
    if (target !== undefined) mapping.target = target;
    return mapping;
  });
}

/** \\host\share\dir → smb://host/share/dir. */
export function targetFromUnc(unc: string): string | undefined {
  const m = /^\\\\([^\\]+)\\(.+)$/.exec(unc);
  if (!m) return undefined;
  let host = m[1] ?? '';
  const v6 = /^(.+)\.ipv6-literal\.net$/i.exec(host);
  if (v6) host = `[${(v6[1] ?? '').replace(/-/g, ':').replace(/s/gi, '%')}]`;
  return normalizedTarget(host, (m[2] ?? '').split('\\').filter((s) => s.length > 0));
}

/** smb://host/share/dir → \\host\share\dir (IPv6 as the ipv6-literal.net name UNC needs). */
export function uncFromTarget(t: SmbTarget): string {
  const host = t.host.includes(':') ? `${t.host.replace(/:/g, '-').replace(/%/g, 's')}.ipv6-literal.net` : t.host;
  return `\\\\${host}\\${[t.share, ...(t.path === '' ? [] : t.path.split('/'))].join('\\')}`;
}

export class WindowsSmbAdapter implements DriveMappingAdapter {
  readonly platform = 'windows' as const;

  constructor(
    private readonly run: RunCommand,
    private readonly powershell: string = POWERSHELL,
  ) {}

  async list(): Promise<OsMapping[]> {
    const r = await this.run(this.powershell, powershellArgs(LIST_SCRIPT));
    if (r.code !== 0) throw commandFailure('Get-SmbMapping', r.code, r.stderr);
    return parseSmbMappingJson(r.stdout);
  }

  async map(req: MapRequest): Promise<void> {
    const letter = checkLetter(req.localPath);
    const target = parseSmbTarget(req.target);
    const user = req.user ?? target.user;
    const domain = req.domain ?? target.domain;
    const env: Record<string, string> = {
      SK_LOCAL_PATH: letter,
      SK_REMOTE_PATH: uncFromTarget(target),
      SK_PERSISTENT: req.persistent === false ? '0' : '1',
    };
    if (user !== undefined) env['SK_USER'] = domain === undefined ? user : `${domain}\\${user}`;
    if (req.saveCredentials) env['SK_SAVE_CREDENTIALS'] = '1';
    if (target.port !== SMB_PORT) env['SK_TCP_PORT'] = String(target.port);
    let input: string | undefined;
    if (req.password !== undefined) {
      if (/[\r\n]/.test(req.password)) throw new PlatformError('invalid', 'a password with a line break cannot be passed to New-SmbMapping');
      env['SK_PASSWORD_ON_STDIN'] = '1';
      input = `${req.password}\n`;
    }
    const r = await this.run(this.powershell, powershellArgs(MAP_SCRIPT), input === undefined ? { env } : { env, input });
    if (r.code !== 0) throw commandFailure(`New-SmbMapping ${letter} ${formatSmbTarget(target)}`, r.code, r.stderr, req.password);
  }

  async unmap(localPath: string): Promise<void> {
    const letter = checkLetter(localPath);
    const r = await this.run(this.powershell, powershellArgs(UNMAP_SCRIPT), { env: { SK_LOCAL_PATH: letter } });
    if (r.code !== 0) throw commandFailure(`Remove-SmbMapping ${letter}`, r.code, r.stderr);
  }
}

function checkLetter(localPath: string): string {
  const m = /^([A-Za-z]):\\?$/.exec(localPath);
  if (!m) throw new PlatformError('invalid', `"${localPath}" is not a drive letter like Z:`);
  return `${(m[1] ?? '').toUpperCase()}:`;
}
