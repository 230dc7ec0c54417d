// Public API of the SMB client. Code outside protocol/ imports only this file.
export * from './errors.js';
export { ntStatusName, NtStatus } from './smb2/nt-status.js';
export { Dialect, dialectName, parseDialectName } from './smb2/constants.js';
export type { DialectValue, DialectName } from './smb2/constants.js';
export { SmbClient } from './client/connect.js';
export type { SmbSession, SmbTree, FileHandle, OpenOptions, SetInfoOptions, DurableHandle, LoginOptions } from './client/api.js';
export type { Transport, TransportEvents, TransportFactory, TransportConnectOptions } from './transport/transport.js';
export { connectTcp, probeTcp } from './transport/tcp-transport.js';
export { BufferPool, releaseBuffer } from './transport/buffer-pool.js';
export { SmbWriteStream } from './client/write-stream.js';
export { SmbReadStream } from './client/read-stream.js';
export type * from './client/types.js';
export { NO_CREDENTIALS } from './client/guest-fallback.js';
export { MAX_LISTING_ENTRIES } from './client/directory-listing.js';
export { accessAllowsChanges } from './client/share-access.js';
export { DOS_ERROR_TABLE, type DosErrorRow } from './smb1/dos-errors.js';
