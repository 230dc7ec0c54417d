// What an access mask (MS-DTYP 2.4.3, with the file meanings of MS-SMB2 2.2.13.1.1) says about
// writing: used on a share's MaximalAccess (MS-SMB2 2.2.10) to tell a read-only share.
import {
  FILE_APPEND_DATA,
  FILE_DELETE_CHILD,
  FILE_WRITE_ATTRIBUTES,
  FILE_WRITE_DATA,
  FILE_WRITE_EA,
  GENERIC_ALL,
  GENERIC_WRITE,
} from '../smb2/create-constants.js';

/**
 * The rights that write a file or folder: data, attributes, EAs, children. The standard rights
 * (DELETE, WRITE_DAC, WRITE_OWNER) do not count: Samba leaves them in a read-only share's mask
 * (0x001f00a9 measured on 4.17, against 0x001f01ff for a writable share) while refusing every change.
 */
export const WRITE_RIGHTS = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_DELETE_CHILD | FILE_WRITE_ATTRIBUTES | GENERIC_WRITE | GENERIC_ALL;

/** True when the mask grants a right to write something; false for a read-only share's. */
export function accessAllowsChanges(mask: number): boolean {
  return ((mask >>> 0) & WRITE_RIGHTS) !== 0;
}
