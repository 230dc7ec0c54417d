// The test harness: a private real smbd per test file, and fixtures written straight to its shares.
export { startSamba } from './samba-server.js';
export type {
  SambaOptions,
  SambaServer,
  SmbDialect,
  ExtraShare,
  SmbclientAuth,
  SmbclientOptions,
  SmbclientSession,
  CommandResult,
} from './samba-server.js';
export { isAlive } from './samba-process.js';
export { runCommand, CommandTimeoutError, type RunOptions } from './run-command.js';
export {
  makeRandomFile,
  makeSparseFile,
  makeManyFiles,
  sha256File,
  type SparseMark,
  type FixtureFileOptions,
  type ManyFilesOptions,
} from './fixtures.js';
