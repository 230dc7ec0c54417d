// Errors the drive registry raises. Each has a stable `code` for the edges (CLI, UI) to switch on,
// and a message that names the field or file at fault.

export type DriveErrorCode = 'invalid' | 'not-found' | 'duplicate' | 'corrupt' | 'io';

export class DriveError extends Error {
  readonly code: DriveErrorCode;
  constructor(code: DriveErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DriveError';
    this.code = code;
  }
}

/** A drive record, a target or a field does not pass validation. `field` is a JSON-ish path. */
export class DriveValidationError extends DriveError {
  readonly field: string;
  constructor(field: string, detail: string) {
    super('invalid', `${field}: ${detail}`);
    this.name = 'DriveValidationError';
    this.field = field;
  }
}

/**
 * drives.json could not be read as schema 1. The file was moved aside to `movedTo` (never
 * overwritten in place), and the registry starts empty.
 */
export class DriveStoreCorruptError extends DriveError {
  readonly file: string;
  readonly movedTo: string | undefined;
  constructor(file: string, detail: string, movedTo: string | undefined, cause?: unknown) {
    const where = movedTo === undefined ? 'it could not be moved aside' : `moved aside to ${movedTo}`;
    super('corrupt', `${file} is not a valid drives file (${detail}); ${where}`, { cause });
    this.name = 'DriveStoreCorruptError';
    this.file = file;
    this.movedTo = movedTo;
  }
}
