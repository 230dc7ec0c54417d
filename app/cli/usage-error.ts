// A mistake in how the CLI was called (exit code 2). Kept apart from the SmbError family on purpose:
// it never reaches the server and its message is written for the person at the keyboard.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A local-side failure (a file we cannot read or write, an unsafe remote name). Exit code 1. */
export class LocalFileError extends Error {
  readonly path: string | undefined;

  constructor(message: string, path?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LocalFileError';
    this.path = path;
  }
}

/** The person stopped us (Ctrl-C at the password prompt, SIGINT during a transfer). Exit code 130. */
export class InterruptedError extends Error {
  constructor(message = 'interrupted') {
    super(message);
    this.name = 'InterruptedError';
  }
}

/** A command cannot do what was asked for a reason found on our side (e.g. `get` of a folder). Exit code 1. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * A command that did its work and reports an outcome through the exit code (e.g. `reconnect`: 3
 * when the drive is unreachable, 4 when its credentials were refused). The message is one line.
 */
export class ExitStatusError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ExitStatusError';
  }
}
