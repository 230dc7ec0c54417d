// The Drive record: what the user configured, never any secret. Persisted by a DriveRegistry
// (json-drive-registry.ts) and read by the supervisor, the CLI and the UI.
import type { DialectName } from '../../protocol/index.js';

/** A dialect by its MS-SMB2 2.2.3 name; the order below is oldest to newest. */
export type ProtocolName = DialectName;
export const PROTOCOL_NAMES: readonly ProtocolName[] = ['SMB2_02', 'SMB2_10', 'SMB3_00', 'SMB3_02', 'SMB3_11'];

export interface DriveOptions {
  minProtocol?: ProtocolName;
  maxProtocol?: ProtocolName;
  /** Refuse a session that is not sealed (MS-SMB2 3.2.4.1.8 / 3.3.5.2.9 encryption). */
  requireEncryption?: boolean;
  /** Refuse a session whose messages are not signed (MS-SMB2 3.2.4.1.1). */
  requireSigning?: boolean;
  /**
   * Allow the legacy protocol and logons for this drive: SMB1 (CIFS) when the server speaks nothing
   * newer, and NTLMv1/LM answers when it refuses NTLMv2 (a password sent that way can be recovered
   * from a capture of the traffic). Off by default.
   */
  allowLegacy?: boolean;
  /**
   * Where the drive is mounted (main/mount): an absolute folder (Linux, macOS) or a drive letter
   * ('Z:', Windows). Unset: ~/ShareKeeper/NAME, or a free letter on Windows.
   */
  mountPoint?: string;
  /** Keep the drive mounted (set by `sharekeeper mount`, cleared by `unmount`). */
  mount?: boolean;
}

export interface Drive {
  /** Stable id (a UUID when the registry makes it). */
  id: string;
  /** What people see ("Team share"). */
  name: string;
  /** smb://host[:port]/share[/path], optionally with user@ or domain;user@ (never a password). */
  target: string;
  /**
   * Other ways to reach the same share, tried by the supervisor after `target`: a host or
   * host:port each (e.g. a LAN address and a VPN name). Share and path come from `target`.
   */
  alternates: string[];
  user?: string;
  domain?: string;
  options: DriveOptions;
  /** Reconnect at start-up and keep connected. */
  persistent: boolean;
}

/** What a caller gives to DriveRegistry.add: the id is made when missing. */
export type NewDrive = Omit<Drive, 'id' | 'alternates' | 'options' | 'persistent'> & {
  id?: string;
  alternates?: string[];
  options?: DriveOptions;
  persistent?: boolean;
};

/** What DriveRegistry.update takes: any field but the id. */
export type DrivePatch = Partial<Omit<Drive, 'id'>>;

export function protocolRank(p: ProtocolName): number {
  return PROTOCOL_NAMES.indexOf(p);
}
