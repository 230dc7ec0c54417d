// MS-SRVS NetrShareEnum (opnum 15, "NetShareEnumAll" in Samba's naming) at information level 1:
// share name, type and remark for every share (MS-SRVS 3.1.4.8, 2.2.4.38 SHARE_ENUM_STRUCT,
// 2.2.4.33 SHARE_INFO_1_CONTAINER, 2.2.4.23 SHARE_INFO_1, 2.2.2.4 share types).
import { MalformedMessageError } from '../errors.js';
import { ndrEncode, NdrReader } from './ndr.js';
import type { SyntaxId } from './uuid.js';

/** The srvsvc interface (MS-SRVS 1.9): 4b324fc8-1670-01d3-1278-5a47bf6ee188 version 3.0. */
export const SRVSVC_SYNTAX: SyntaxId = { uuid: '4b324fc8-1670-01d3-1278-5a47bf6ee188', major: 3, minor: 0 };
export const SRVSVC_PIPE_NAME = 'srvsvc';
export const OPNUM_NETR_SHARE_ENUM = 15;
/** MAX_PREFERRED_LENGTH (MS-SRVS 2.2.2.2): return every entry in one answer. */
export const MAX_PREFERRED_LENGTH = 0xffffffff;

/** Share types (MS-SRVS 2.2.2.4): the low bits say what it is, the high bits qualify it. */
export const STYPE_DISKTREE = 0x00000000;
export const STYPE_PRINTQ = 0x00000001;
export const STYPE_DEVICE = 0x00000002;
export const STYPE_IPC = 0x00000003;
export const STYPE_CLUSTER_FS = 0x02000000;
export const STYPE_CLUSTER_SOFS = 0x04000000;
export const STYPE_CLUSTER_DFS = 0x08000000;
export const STYPE_TEMPORARY = 0x40000000;
export const STYPE_SPECIAL = 0x80000000;
/** STYPE_MASK (lmshare.h): isolates the base type from the qualifier bits. */
const STYPE_MASK = 0x000000ff;

export type ShareKind = 'disk' | 'printer' | 'device' | 'ipc';

export interface ShareType {
  type: ShareKind;
  /** STYPE_SPECIAL (administrative: IPC$, ADMIN$, C$) or STYPE_TEMPORARY is set. */
  special: boolean;
}

/**
 * Reads a shi1_type value. Base values other than 0..3 are not defined by MS-SRVS 2.2.2.4; they are
 * reported as 'device' so nobody offers to browse them as a folder.
 */
export function shareTypeOf(raw: number): ShareType {
  const base = raw & STYPE_MASK;
  const type: ShareKind =
    base === STYPE_DISKTREE ? 'disk' : base === STYPE_PRINTQ ? 'printer' : base === STYPE_IPC ? 'ipc' : 'device';
  return { type, special: (raw & (STYPE_SPECIAL | STYPE_TEMPORARY)) !== 0 };
}

/** Win32 error codes NetrShareEnum returns (MS-SRVS 3.1.4.8, MS-ERREF 2.2). */
export const Werror = {
  WERR_OK: 0,
  WERR_ACCESS_DENIED: 5,
  WERR_NOT_ENOUGH_MEMORY: 8,
  WERR_NOT_SUPPORTED: 50,
  WERR_BAD_NETPATH: 53,
  WERR_INVALID_PARAMETER: 87,
  WERR_INVALID_NAME: 123,
  WERR_INVALID_LEVEL: 124,
  WERR_MORE_DATA: 234,
  NERR_BufTooSmall: 2123,
  NERR_NetNameNotFound: 2310,
} as const;

const werrorNames = new Map<number, string>(Object.entries(Werror).map(([k, v]) => [v, k]));

export function werrorName(code: number): string {
  return werrorNames.get(code >>> 0) ?? `WERR_0x${(code >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * The request stub. `serverName` is the host; the leading "\\" is added when missing, as SRVSVC_HANDLE
 * is a UNC server name (MS-SRVS 2.2.1.1).
 */
export function encodeNetShareEnumAllRequest(serverName: string): Buffer {
  const unc = serverName.startsWith('\\\\') ? serverName : `\\\\${serverName}`;
  return ndrEncode((w) => {
    if (w.pointer(true)) w.wideString(unc); // [in, string, unique] ServerName
    // [in, out] LPSHARE_ENUM_STRUCT InfoStruct: a top-level [ref] pointer, so no referent id on the wire.
    w.u32(1); // Level
    w.u32(1); // union discriminant: switch_is(Level) of a non-encapsulated union (C706 14.3.8)
    if (w.pointer(true)) {
      // Level1: SHARE_INFO_1_CONTAINER, deferred after the struct
      w.u32(0); // EntriesRead
      w.pointer(false); // Buffer = NULL
    }
    w.u32(MAX_PREFERRED_LENGTH); // PreferedMaximumLength
    if (w.pointer(true)) w.u32(0); // [in, out, unique] ResumeHandle -> 0 on the first call
  });
}

export interface ShareInfo1 {
  name: string;
  type: number;
  comment: string;
}

export interface NetShareEnumAllResult {
  shares: ShareInfo1[];
  totalEntries: number;
  /** Absent when the server returns a NULL ResumeHandle pointer. */
  resumeHandle?: number;
  /** The WERROR return value; 0 is success. */
  result: number;
}

/** SHARE_INFO_1 on the wire before its deferred strings: netname ptr, type, remark ptr. */
const SHARE_INFO_1_FIXED = 12;

function readShareInfo1Array(r: NdrReader, entriesRead: number): ShareInfo1[] {
  const n = r.arrayCount('Buffer', SHARE_INFO_1_FIXED);
  if (n !== entriesRead) {
    throw new MalformedMessageError(r.structure, 'Buffer.max_count', `${n} differs from EntriesRead ${entriesRead}`);
  }
  const fixed: { namePtr: number; type: number; remarkPtr: number }[] = [];
  for (let i = 0; i < n; i++) {
    const namePtr = r.pointer(`Buffer[${i}].shi1_netname`);
    const type = r.u32(`Buffer[${i}].shi1_type`);
    const remarkPtr = r.pointer(`Buffer[${i}].shi1_remark`);
    fixed.push({ namePtr, type, remarkPtr });
  }
  // Embedded pointees follow the whole array, element by element, member by member (C706 14.3.12.3).
  return fixed.map((e, i) => ({
    name: e.namePtr !== 0 ? r.wideString(`Buffer[${i}].shi1_netname`) : '',
    type: e.type >>> 0,
    comment: e.remarkPtr !== 0 ? r.wideString(`Buffer[${i}].shi1_remark`) : '',
  }));
}

export function decodeNetShareEnumAllResponse(stub: Buffer): NetShareEnumAllResult {
  const r = new NdrReader(stub, 'NetrShareEnum response');
  const level = r.u32('InfoStruct.Level');
  const discriminant = r.u32('InfoStruct.ShareInfo (switch)');
  if (level !== 1 || discriminant !== 1) {
    throw new MalformedMessageError(r.structure, 'InfoStruct.Level', `asked for level 1, got ${level}/${discriminant}`);
  }
  let shares: ShareInfo1[] = [];
  if (r.pointer('InfoStruct.ShareInfo.Level1') !== 0) {
    const entriesRead = r.u32('Level1.EntriesRead');
    if (r.pointer('Level1.Buffer') !== 0) shares = readShareInfo1Array(r, entriesRead);
    else if (entriesRead !== 0) {
      throw new MalformedMessageError(r.structure, 'Level1.Buffer', `NULL with EntriesRead ${entriesRead}`);
    }
  }
  const totalEntries = r.u32('TotalEntries');
  const resumeHandle = r.pointer('ResumeHandle') !== 0 ? r.u32('*ResumeHandle') : undefined;
  const result = r.u32('return value');
  return resumeHandle === undefined ? { shares, totalEntries, result } : { shares, totalEntries, resumeHandle, result };
}
