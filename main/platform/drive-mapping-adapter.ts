// The DriveMappingAdapter service: the operating system's own view of mapped SMB shares (a drive
// letter on Windows, a mount on macOS), so the app can show, add and remove them.
import { formatSmbTarget, parseSmbTarget } from '../drives/smb-target.js';

export type MappingStatus = 'ok' | 'paused' | 'disconnected' | 'network-error' | 'connecting' | 'reconnecting' | 'unavailable' | 'unknown';

export interface OsMapping {
  /** 'Z:' on Windows, the mount folder on macOS ('' for a Windows connection without a letter). */
  localPath: string;
  /** As the OS writes it: \\host\share\dir on Windows, //user@host/share on macOS. */
  remotePath: string;
  status: MappingStatus;
  /** The same place as smb://host[:port]/share[/path] (no user), to compare with a Drive's target. */
  target?: string;
}

export interface MapRequest {
  /** A drive letter ('Z:') on Windows; an absolute folder on macOS (made if missing). */
  localPath: string;
  /** A Drive target: smb://[[domain;]user@]host[:port]/share[/path]. */
  target: string;
  user?: string;
  domain?: string;
  /**
   * Windows only, and only through the child's stdin (never argv or environment). macOS ignores it:
   * mount_smbfs takes the password from the user's keychain.
   */
  password?: string;
  /** Windows: restore at sign-in (New-SmbMapping -Persistent). macOS has no such flag. */
  persistent?: boolean;
  /** Windows: also save user and password in Credential Manager (-SaveCredentials). */
  saveCredentials?: boolean;
}

export interface DriveMappingAdapter {
  readonly platform: 'windows' | 'macos' | 'linux';
  list(): Promise<OsMapping[]>;
  map(request: MapRequest): Promise<void>;
  unmap(localPath: string): Promise<void>;
}

export type PlatformErrorCode = 'unsupported' | 'invalid' | 'command-failed' | 'parse';

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;
  constructor(code: PlatformErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformError';
    this.code = code;
  }
}

/** smb://host/share/path for an OS-side path already split into host and segments; undefined if odd. */
export function normalizedTarget(host: string, segments: string[]): string | undefined {
  try {
    const url = `smb://${host}/${segments.map(encodeURIComponent).join('/')}`;
    return formatSmbTarget(parseSmbTarget(url));
  } catch {
    return undefined;
  }
}

/** The first lines of a failing command's stderr, for a message, with any secret removed. */
export function commandFailure(what: string, code: number | null, stderr: string, secret?: string): PlatformError {
  let text = stderr.trim().split(/\r?\n/).slice(0, 5).join(' ').trim();
  if (secret) text = text.split(secret).join('[secret]');
  return new PlatformError('command-failed', `${what} failed (exit ${code ?? 'signal'})${text ? `: ${text}` : ''}`);
}
