// What every subcommand declares: its usage line and help, how many arguments it takes, which
// command-specific options it accepts, and the function that runs it.
import type { RunContext } from '../connection.js';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Extra help lines shown by `sharekeeper CMD --help`. */
  details: string[];
  minArgs: number;
  maxArgs: number;
  /** Command-specific options (long names) beyond the connection options every command takes. */
  options: string[];
  /**
   * The command handles SIGINT/SIGTERM itself (`watch` ends cleanly, `copy` cancels its jobs);
   * otherwise the CLI removes pending partial downloads and exits at once.
   */
  handlesSignals?: boolean;
  run(ctx: RunContext, args: string[]): Promise<void>;
}
