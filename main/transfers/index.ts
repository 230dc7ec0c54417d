// The transfer queue service (main/transfers): public surface for the composition roots.
export type * from './types.js';
export { TERMINAL_STATES } from './types.js';
export { LocalTransferQueue, MAX_CONCURRENT_FILES, type TransferQueueOptions } from './transfer-queue.js';
export { downloadFile, uploadFile, type CopyFileOptions, type CopyFileResult } from './copy-file.js';
export { uploadStream, type StreamUploadOptions } from './upload-stream.js';
export { MAX_DROPS_WITHOUT_PROGRESS } from './drop-budget.js';
export type { FileCopier } from './job-runner.js';
export { SimpleTreeProvider, smbShareConnector, type ConnectedShare, type ShareConnector, type ShareTarget } from './simple-tree-provider.js';
export { safeLocalName, assertSafeRemoteName, isShareName, MAX_SHARE_NAME, UnsafeNameError, type NamePlatform } from './safe-name.js';
export { TransferError, type TransferErrorCode } from './transfer-errors.js';
export type { ProgressSample } from './progress.js';
