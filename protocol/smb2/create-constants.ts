// Constants for SMB2 CREATE (MS-SMB2 2.2.13, 2.2.14) and file attributes (MS-FSCC 2.6), with the specs' names.

/** MS-SMB2 2.2.13.1.1 File_Pipe_Printer_Access_Mask. */
export const FILE_READ_DATA = 0x00000001;
export const FILE_WRITE_DATA = 0x00000002;
export const FILE_APPEND_DATA = 0x00000004;
export const FILE_READ_EA = 0x00000008;
export const FILE_WRITE_EA = 0x00000010;
export const FILE_EXECUTE = 0x00000020;
export const FILE_DELETE_CHILD = 0x00000040;
export const FILE_READ_ATTRIBUTES = 0x00000080;
export const FILE_WRITE_ATTRIBUTES = 0x00000100;
export const DELETE = 0x00010000;
export const READ_CONTROL = 0x00020000;
export const WRITE_DAC = 0x00040000;
export const WRITE_OWNER = 0x00080000;
export const SYNCHRONIZE = 0x00100000;
export const ACCESS_SYSTEM_SECURITY = 0x01000000;
export const MAXIMUM_ALLOWED = 0x02000000;
export const GENERIC_ALL = 0x10000000;
export const GENERIC_EXECUTE = 0x20000000;
export const GENERIC_WRITE = 0x40000000;
export const GENERIC_READ = 0x80000000;

/** MS-SMB2 2.2.13.1.2 Directory_Access_Mask: the directory meanings of the low bits. */
export const FILE_LIST_DIRECTORY = 0x00000001;
export const FILE_ADD_FILE = 0x00000002;
export const FILE_ADD_SUBDIRECTORY = 0x00000004;
export const FILE_TRAVERSE = 0x00000020;

/** MS-SMB2 2.2.13: ShareAccess. */
export const FILE_SHARE_READ = 0x00000001;
export const FILE_SHARE_WRITE = 0x00000002;
export const FILE_SHARE_DELETE = 0x00000004;

/** MS-SMB2 2.2.13: CreateDisposition. */
export const FILE_SUPERSEDE = 0x00000000;
export const FILE_OPEN = 0x00000001;
export const FILE_CREATE = 0x00000002;
export const FILE_OPEN_IF = 0x00000003;
export const FILE_OVERWRITE = 0x00000004;
export const FILE_OVERWRITE_IF = 0x00000005;

/** MS-SMB2 2.2.13: CreateOptions. */
export const FILE_DIRECTORY_FILE = 0x00000001;
export const FILE_WRITE_THROUGH = 0x00000002;
export const FILE_SEQUENTIAL_ONLY = 0x00000004;
export const FILE_NO_INTERMEDIATE_BUFFERING = 0x00000008;
export const FILE_SYNCHRONOUS_IO_ALERT = 0x00000010;
export const FILE_SYNCHRONOUS_IO_NONALERT = 0x00000020;
export const FILE_NON_DIRECTORY_FILE = 0x00000040;
export const FILE_COMPLETE_IF_OPLOCKED = 0x00000100;
export const FILE_NO_EA_KNOWLEDGE = 0x00000200;
export const FILE_OPEN_REMOTE_INSTANCE = 0x00000400;
export const FILE_RANDOM_ACCESS = 0x00000800;
export const FILE_DELETE_ON_CLOSE = 0x00001000;
export const FILE_OPEN_BY_FILE_ID = 0x00002000;
export const FILE_OPEN_FOR_BACKUP_INTENT = 0x00004000;
export const FILE_NO_COMPRESSION = 0x00008000;
export const FILE_OPEN_REQUIRING_OPLOCK = 0x00010000;
export const FILE_DISALLOW_EXCLUSIVE = 0x00020000;
export const FILE_RESERVE_OPFILTER = 0x00100000;
export const FILE_OPEN_REPARSE_POINT = 0x00200000;
export const FILE_OPEN_NO_RECALL = 0x00400000;
export const FILE_OPEN_FOR_FREE_SPACE_QUERY = 0x00800000;

/** MS-SMB2 2.2.14: CreateAction. */
export const FILE_SUPERSEDED = 0x00000000;
export const FILE_OPENED = 0x00000001;
export const FILE_CREATED = 0x00000002;
export const FILE_OVERWRITTEN = 0x00000003;

/** MS-SMB2 2.2.14: Flags in the response. */
export const SMB2_CREATE_FLAG_REPARSEPOINT = 0x01;

/** MS-SMB2 2.2.13: RequestedOplockLevel / 2.2.14 OplockLevel. */
export const SMB2_OPLOCK_LEVEL_NONE = 0x00;
export const SMB2_OPLOCK_LEVEL_II = 0x01;
export const SMB2_OPLOCK_LEVEL_EXCLUSIVE = 0x08;
export const SMB2_OPLOCK_LEVEL_BATCH = 0x09;
export const SMB2_OPLOCK_LEVEL_LEASE = 0xff;

/** MS-SMB2 2.2.13: ImpersonationLevel. */
export const Anonymous = 0x00000000;
export const Identification = 0x00000001;
export const Impersonation = 0x00000002;
export const Delegate = 0x00000003;
/** The same values with a prefix, for readability at call sites. */
export const IMPERSONATION_ANONYMOUS = Anonymous;
export const IMPERSONATION_IDENTIFICATION = Identification;
export const IMPERSONATION_IMPERSONATION = Impersonation;
export const IMPERSONATION_DELEGATE = Delegate;

/**
 * MS-SMB2 2.2.37 / 2.2.39: InfoType of QUERY_INFO and SET_INFO. Kept here (and re-exported by
 * commands/query-info.ts) because the callers that open a file usually set its information next.
 */
export const SMB2_0_INFO_FILE = 0x01;
export const SMB2_0_INFO_FILESYSTEM = 0x02;
export const SMB2_0_INFO_SECURITY = 0x03;
export const SMB2_0_INFO_QUOTA = 0x04;

/** MS-FSCC 2.6 File Attributes. */
export const FILE_ATTRIBUTE_READONLY = 0x00000001;
export const FILE_ATTRIBUTE_HIDDEN = 0x00000002;
export const FILE_ATTRIBUTE_SYSTEM = 0x00000004;
export const FILE_ATTRIBUTE_DIRECTORY = 0x00000010;
export const FILE_ATTRIBUTE_ARCHIVE = 0x00000020;
export const FILE_ATTRIBUTE_NORMAL = 0x00000080;
export const FILE_ATTRIBUTE_TEMPORARY = 0x00000100;
export const FILE_ATTRIBUTE_SPARSE_FILE = 0x00000200;
export const FILE_ATTRIBUTE_REPARSE_POINT = 0x00000400;
export const FILE_ATTRIBUTE_COMPRESSED = 0x00000800;
export const FILE_ATTRIBUTE_OFFLINE = 0x00001000;
export const FILE_ATTRIBUTE_NOT_CONTENT_INDEXED = 0x00002000;
export const FILE_ATTRIBUTE_ENCRYPTED = 0x00004000;
export const FILE_ATTRIBUTE_INTEGRITY_STREAM = 0x00008000;
export const FILE_ATTRIBUTE_NO_SCRUB_DATA = 0x00020000;
export const FILE_ATTRIBUTE_RECALL_ON_OPEN = 0x00040000;
export const FILE_ATTRIBUTE_PINNED = 0x00080000;
export const FILE_ATTRIBUTE_UNPINNED = 0x00100000;
export const FILE_ATTRIBUTE_RECALL_ON_DATA_ACCESS = 0x00400000;
