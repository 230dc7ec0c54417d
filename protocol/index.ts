// Public API of the SMB client. Code outside protocol/ imports only this file.
export * from './errors.js';
export { ntStatusName, NtStatus } from './smb2/nt-status.js';
export { Dialect, dialectName, parseDialectName } from './smb2/constants.js';
export type { DialectValue, DialectName } from './smb2/constants.js';
export { SmbClient } from './client/smb-client.js';
export { SmbSession } from './client/smb-session.js';
export { SmbTree } from './client/smb-tree.js';
export type { SmbReadStream } from './client/read-stream.js';
export type { SmbWriteStream } from './client/write-stream.js';
export type * from './client/types.js';
export { MAX_LISTING_ENTRIES } from './client/directory-listing.js';
