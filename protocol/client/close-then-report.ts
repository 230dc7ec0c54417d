// For a stream's _destroy: close the handle if one is open, then report `error` either way (a
// close that fails never hides the error that ended the stream).
import type { FileHandle } from './api.js';

export function closeHandleThenReport(f: FileHandle | undefined, error: Error | null, callback: (error?: Error | null) => void): void {
  if (!f) return callback(error);
  f.close().then(
    () => callback(error),
    () => callback(error),
  );
}
