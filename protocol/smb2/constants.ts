// Protocol constants with the names MS-SMB2 gives them.

/** MS-SMB2 2.2.1.2: the Command field. */
export const Smb2Command = {
  NEGOTIATE: 0x0000,
  SESSION_SETUP: 0x0001,
  LOGOFF: 0x0002,
  TREE_CONNECT: 0x0003,
  TREE_DISCONNECT: 0x0004,
  CREATE: 0x0005,
  CLOSE: 0x0006,
  FLUSH: 0x0007,
  READ: 0x0008,
  WRITE: 0x0009,
  LOCK: 0x000a,
  IOCTL: 0x000b,
  CANCEL: 0x000c,
  ECHO: 0x000d,
  QUERY_DIRECTORY: 0x000e,
  CHANGE_NOTIFY: 0x000f,
  QUERY_INFO: 0x0010,
  SET_INFO: 0x0011,
  OPLOCK_BREAK: 0x0012,
} as const;
export type Smb2Command = (typeof Smb2Command)[keyof typeof Smb2Command];

const commandNames = new Map<number, string>(Object.entries(Smb2Command).map(([k, v]) => [v, k]));
export function commandName(command: number): string {
  return commandNames.get(command) ?? `COMMAND_0x${command.toString(16)}`;
}

/** MS-SMB2 2.2.1.2: the Flags field. */
export const SMB2_FLAGS_SERVER_TO_REDIR = 0x00000001;
export const SMB2_FLAGS_ASYNC_COMMAND = 0x00000002;
export const SMB2_FLAGS_RELATED_OPERATIONS = 0x00000004;
export const SMB2_FLAGS_SIGNED = 0x00000008;
export const SMB2_FLAGS_DFS_OPERATIONS = 0x10000000;

/** MS-SMB2 2.2.3: dialect revision numbers. */
export const Dialect = {
  SMB2_02: 0x0202,
  SMB2_10: 0x0210,
  SMB3_00: 0x0300,
  SMB3_02: 0x0302,
  SMB3_11: 0x0311,
} as const;
export type DialectName = keyof typeof Dialect;
export type DialectValue = (typeof Dialect)[DialectName];
export const ALL_DIALECTS: readonly DialectValue[] = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311];

export function dialectName(d: number): string {
  // SMB1 (NT LM 0.12) is not an MS-SMB2 revision; protocol/smb1 reports it as 0x0001 (Samba's NT1).
  if (d === 0x0001) return 'NT1';
  const e = Object.entries(Dialect).find(([, v]) => v === d);
  return e ? e[0] : `0x${d.toString(16)}`;
}

export function parseDialectName(name: string): DialectValue | undefined {
  const key = name.toUpperCase() as DialectName;
  return Object.hasOwn(Dialect, key) ? Dialect[key] : undefined;
}

/** MS-SMB2 2.2.3: SecurityMode. */
export const SMB2_NEGOTIATE_SIGNING_ENABLED = 0x0001;
export const SMB2_NEGOTIATE_SIGNING_REQUIRED = 0x0002;

/** MS-SMB2 2.2.3: Capabilities. */
export const SMB2_GLOBAL_CAP_DFS = 0x00000001;
export const SMB2_GLOBAL_CAP_LEASING = 0x00000002;
export const SMB2_GLOBAL_CAP_LARGE_MTU = 0x00000004;
export const SMB2_GLOBAL_CAP_MULTI_CHANNEL = 0x00000008;
export const SMB2_GLOBAL_CAP_PERSISTENT_HANDLES = 0x00000010;
export const SMB2_GLOBAL_CAP_DIRECTORY_LEASING = 0x00000020;
export const SMB2_GLOBAL_CAP_ENCRYPTION = 0x00000040;

/** MS-SMB2 2.2.6: SessionFlags in the SESSION_SETUP response. */
export const SMB2_SESSION_FLAG_IS_GUEST = 0x0001;
export const SMB2_SESSION_FLAG_IS_NULL = 0x0002;
export const SMB2_SESSION_FLAG_ENCRYPT_DATA = 0x0004;

/** MS-SMB2 2.2.10: ShareType and ShareFlags in the TREE_CONNECT response. */
export const SMB2_SHARE_TYPE_DISK = 0x01;
export const SMB2_SHARE_TYPE_PIPE = 0x02;
export const SMB2_SHARE_TYPE_PRINT = 0x03;
export const SMB2_SHAREFLAG_ENCRYPT_DATA = 0x00008000;

/** The header is 64 bytes; every offset in a message counts from its first byte (MS-SMB2 2.2.1). */
export const SMB2_HEADER_SIZE = 64;
