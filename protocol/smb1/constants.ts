// SMB1 (CIFS, NT LM 0.12) constants with the names MS-CIFS and MS-SMB give them.

/** MS-CIFS 2.2.2.1 command codes (the ones this client sends or may receive). */
export const Smb1Command = {
  CREATE_DIRECTORY: 0x00,
  DELETE_DIRECTORY: 0x01,
  CLOSE: 0x04,
  FLUSH: 0x05,
  DELETE: 0x06,
  RENAME: 0x07,
  TRANSACTION: 0x25,
  ECHO: 0x2b,
  OPEN_ANDX: 0x2d,
  READ_ANDX: 0x2e,
  WRITE_ANDX: 0x2f,
  LOCKING_ANDX: 0x24,
  TRANSACTION2: 0x32,
  FIND_CLOSE2: 0x34,
  TREE_DISCONNECT: 0x71,
  NEGOTIATE: 0x72,
  SESSION_SETUP_ANDX: 0x73,
  LOGOFF_ANDX: 0x74,
  TREE_CONNECT_ANDX: 0x75,
  NT_TRANSACT: 0xa0,
  NT_CREATE_ANDX: 0xa2,
  NT_CANCEL: 0xa4,
  NT_RENAME: 0xa5,
} as const;

/** AndXCommand of the last command in a chain (MS-CIFS 2.2.3.4). */
export const SMB_COM_NO_ANDX_COMMAND = 0xff;

const names = new Map<number, string>(Object.entries(Smb1Command).map(([k, v]) => [v, `SMB_COM_${k}`]));
export function smb1CommandName(command: number): string {
  return names.get(command) ?? `SMB_COM_0x${command.toString(16).padStart(2, '0')}`;
}

/** MS-CIFS 2.2.3.1: Protocol field, 0xFF 'S' 'M' 'B' read as a little-endian u32. */
export const SMB1_PROTOCOL_ID = 0x424d53ff;
/** 0xFE 'S' 'M' 'B': an SMB2 header (MS-SMB2 2.2.1), as answers to a multi-protocol negotiate. */
export const SMB2_PROTOCOL_ID = 0x424d53fe;
export const SMB1_HEADER_SIZE = 32;
/** Offset of SecurityFeatures (the signature) in the header. */
export const SMB1_SIGNATURE_OFFSET = 14;

/** MS-CIFS 2.2.3.1 Flags. */
export const SMB_FLAGS_CASE_INSENSITIVE = 0x08;
export const SMB_FLAGS_CANONICALIZED_PATHS = 0x10;
export const SMB_FLAGS_REPLY = 0x80;

/** MS-CIFS 2.2.3.1 / MS-SMB 2.2.3.1 Flags2. */
export const SMB_FLAGS2_LONG_NAMES = 0x0001;
export const SMB_FLAGS2_EAS = 0x0002;
export const SMB_FLAGS2_SMB_SECURITY_SIGNATURE = 0x0004;
export const SMB_FLAGS2_IS_LONG_NAME = 0x0040;
export const SMB_FLAGS2_EXTENDED_SECURITY = 0x0800;
export const SMB_FLAGS2_DFS = 0x1000;
export const SMB_FLAGS2_NT_STATUS = 0x4000;
export const SMB_FLAGS2_UNICODE = 0x8000;

/** MS-CIFS 2.2.4.52.2 / MS-SMB 2.2.4.5.2 Capabilities. */
export const CAP_RAW_MODE = 0x00000001;
export const CAP_MPX_MODE = 0x00000002;
export const CAP_UNICODE = 0x00000004;
export const CAP_LARGE_FILES = 0x00000008;
export const CAP_NT_SMBS = 0x00000010;
export const CAP_RPC_REMOTE_APIS = 0x00000020;
export const CAP_STATUS32 = 0x00000040;
export const CAP_LEVEL_II_OPLOCKS = 0x00000080;
export const CAP_LOCK_AND_READ = 0x00000100;
export const CAP_NT_FIND = 0x00000200;
export const CAP_DFS = 0x00001000;
export const CAP_INFOLEVEL_PASSTHRU = 0x00002000;
export const CAP_LARGE_READX = 0x00004000;
export const CAP_LARGE_WRITEX = 0x00008000;
export const CAP_UNIX = 0x00800000;
export const CAP_EXTENDED_SECURITY = 0x80000000;

/** MS-CIFS 2.2.4.52.2 SecurityMode. */
export const NEGOTIATE_USER_SECURITY = 0x01;
export const NEGOTIATE_ENCRYPT_PASSWORDS = 0x02;
export const NEGOTIATE_SECURITY_SIGNATURES_ENABLED = 0x04;
export const NEGOTIATE_SECURITY_SIGNATURES_REQUIRED = 0x08;

/** MS-CIFS 2.2.4.53.2 Action bits of the SESSION_SETUP_ANDX response. */
export const SMB_SETUP_GUEST = 0x0001;
export const SMB_SETUP_USE_LANMAN_KEY = 0x0002;

/** MS-CIFS 2.2.2.2 NT_TRANSACT subcommands (the Function field, 2.2.4.62.1). */
export const NtTransact = {
  NOTIFY_CHANGE: 0x0004,
} as const;

/** MS-CIFS 2.2.4.46 TRANS2 subcommands. */
export const Trans2 = {
  FIND_FIRST2: 0x0001,
  FIND_NEXT2: 0x0002,
  QUERY_FS_INFORMATION: 0x0003,
  QUERY_PATH_INFORMATION: 0x0005,
  SET_PATH_INFORMATION: 0x0006,
  QUERY_FILE_INFORMATION: 0x0007,
  SET_FILE_INFORMATION: 0x0008,
} as const;

/** MS-CIFS 2.2.2.3 information levels. */
export const SMB_FIND_FILE_DIRECTORY_INFO = 0x0101;
export const SMB_FIND_FILE_BOTH_DIRECTORY_INFO = 0x0104;
export const SMB_QUERY_FILE_ALL_INFO = 0x0107;
export const SMB_QUERY_FS_SIZE_INFO = 0x0103;
export const SMB_SET_FILE_BASIC_INFO = 0x0101;
export const SMB_SET_FILE_DISPOSITION_INFO = 0x0102;
export const SMB_SET_FILE_END_OF_FILE_INFO = 0x0104;
/** MS-SMB 2.2.2.3.5: native MS-FSCC classes as levels, when the server has CAP_INFOLEVEL_PASSTHRU. */
export const SMB_INFO_PASSTHROUGH = 1000;

/** MS-CIFS 2.2.6.2.1 FIND_FIRST2 / FIND_NEXT2 Flags. */
export const SMB_FIND_CLOSE_AFTER_REQUEST = 0x0001;
export const SMB_FIND_CLOSE_AT_EOS = 0x0002;
export const SMB_FIND_RETURN_RESUME_KEYS = 0x0004;
export const SMB_FIND_CONTINUE_FROM_LAST = 0x0008;

/** MS-CIFS 2.2.1.2.4 SMB_FILE_ATTRIBUTES (search attributes). */
export const SMB_FILE_ATTRIBUTE_NORMAL = 0x0000;
export const SMB_FILE_ATTRIBUTE_READONLY = 0x0001;
export const SMB_FILE_ATTRIBUTE_HIDDEN = 0x0002;
export const SMB_FILE_ATTRIBUTE_SYSTEM = 0x0004;
export const SMB_FILE_ATTRIBUTE_VOLUME = 0x0008;
export const SMB_FILE_ATTRIBUTE_DIRECTORY = 0x0010;
export const SMB_FILE_ATTRIBUTE_ARCHIVE = 0x0020;
/** Every entry a search may return: hidden, system and directories included. */
export const SMB_SEARCH_ALL = SMB_FILE_ATTRIBUTE_HIDDEN | SMB_FILE_ATTRIBUTE_SYSTEM | SMB_FILE_ATTRIBUTE_DIRECTORY;

/** MS-CIFS 2.2.4.64.1 NT_CREATE_ANDX CreateDisposition (the same values as MS-SMB2). */
export const FILE_SUPERSEDE = 0;
export const FILE_OPEN = 1;
export const FILE_CREATE = 2;
export const FILE_OPEN_IF = 3;
export const FILE_OVERWRITE = 4;
export const FILE_OVERWRITE_IF = 5;

/** MS-CIFS 2.2.4.64.1 ImpersonationLevel. */
export const SEC_IMPERSONATE = 0x00000002;

/** MS-CIFS 2.2.4.64.2 / 2.2.4.41.2 ResourceType. */
export const ResourceType = {
  FileTypeDisk: 0x0000,
  FileTypeByteModePipe: 0x0001,
  FileTypeMessageModePipe: 0x0002,
  FileTypePrinter: 0x0003,
  FileTypeCommDevice: 0x0004,
  FileTypeUnknown: 0xffff,
} as const;

/** MS-CIFS 2.2.5.10 TRANS_TRANSACT_NMPIPE. */
export const TRANS_TRANSACT_NMPIPE = 0x0026;

/** MID reserved for server-initiated oplock breaks (MS-CIFS 2.2.4.32.1). */
export const OPLOCK_BREAK_MID = 0xffff;

/** The dialect strings of the one NEGOTIATE we send (MS-CIFS 2.2.4.52.1, MS-SMB2 3.2.4.2.1). */
export const DIALECT_NT_LM_012 = 'NT LM 0.12';
export const DIALECT_SMB_2_002 = 'SMB 2.002';
export const DIALECT_SMB_2_WILDCARD = 'SMB 2.???';

/** The value `dialect` of an SmbClient on SMB1 (MS-SMB2's own numbers start at 0x0202). */
export const DIALECT_NT1 = 0x0001;
