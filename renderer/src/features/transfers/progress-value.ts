// What a transfer's progress bar shows: bytes done of bytes total, and full once the transfer is
// done (an empty file is done at 0 of 0 bytes; its bar used to stay empty).
export function progressValue(done: number, total: number, finished: boolean): { max: number; value: number } {
  const max = Math.max(1, total);
  return { max, value: finished ? max : Math.min(Math.max(0, done), max) };
}
