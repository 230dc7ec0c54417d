// Public API of the SMB client. Code outside protocol/ imports only this file.
export * from './errors.js';
export { ntStatusName, NtStatus } from './smb2/nt-status.js';
export { Dialect, dialectName, parseDialectName } from './smb2/constants.js';
export type { DialectValue, DialectName } from './smb2/constants.js';
