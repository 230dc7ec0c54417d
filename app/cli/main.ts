// Entry point of the `sharekeeper` CLI (bin/sharekeeper.js calls runCli). The composition root:
// parse → pick the command → run it with a logger and the process's streams → map errors to an
// exit code and one line of text. Nothing here talks SMB; the commands do, through protocol/index.ts.
import { parseArgs, type ParsedArgs } from './args.js';
import { COMMAND_NAMES, loadAllCommands, loadCommand, type Command } from './commands/index.js';
import { serverLabel, type RunContext } from './connection.js';
import { describeError, ExitCode } from './exit-codes.js';
import { commandHelp, generalHelp } from './help.js';
import { processIo, type CliIo } from './io.js';
import { createLogger, type Logger } from './logger.js';
import { looksLikeTarget, parseTarget } from './target.js';
import { UsageError } from './usage-error.js';

/** Options every command takes (long names, as in args.ts). */
const CONNECTION_OPTIONS = new Set(['user', 'no-pass', 'password-stdin', 'max-protocol', 'min-protocol', 'allow-legacy-auth', 'sign', 'encrypt', 'port', 'timeout', 'debug', 'help']);

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let logger: Logger = createLogger(0, io.stderr);
  let server: string | undefined;
  try {
    const parsed = parseArgs(argv);
    logger = createLogger(parsed.options.debug, io.stderr);
    const command = await pickCommand(parsed, io);
    if (command === undefined) return ExitCode.OK;
    if (parsed.help) {
      io.stdout.write(commandHelp(command));
      return ExitCode.OK;
    }
    checkCommandArgs(command, parsed);
    server = firstServer(parsed);
    const ctx: RunContext = { io, options: parsed.options, logger };
    if (command.handlesSignals) await command.run(ctx, parsed.positionals);
    else await runInterruptible(() => command.run(ctx, parsed.positionals));
    return ExitCode.OK;
  } catch (e) {
    const report = describeError(e, { server, debug: logger.level });
    io.stderr.write(`${logger.scrub(report.lines.join('\n'))}\n`);
    return report.exitCode;
  }
}

/** The command to run, or undefined when general help was printed. */
async function pickCommand(parsed: ParsedArgs, io: CliIo): Promise<Command | undefined> {
  let name = parsed.command;
  if (name === 'help') {
    // `sharekeeper help [COMMAND]` is the same as `--help`.
    name = parsed.positionals[0];
    parsed.help = true;
  }
  if (name === undefined) {
    if (!parsed.help) throw new UsageError('no command given');
    io.stdout.write(generalHelp(await loadAllCommands()));
    return undefined;
  }
  const command = await loadCommand(name);
  if (!command) throw new UsageError(`unknown command '${name}' (commands: ${COMMAND_NAMES.join(', ')})`);
  return command;
}

function checkCommandArgs(command: Command, parsed: ParsedArgs): void {
  for (const opt of parsed.given) {
    if (!CONNECTION_OPTIONS.has(opt) && !command.options.includes(opt)) {
      throw new UsageError(`${command.name} does not take --${opt}`);
    }
  }
  const n = parsed.positionals.length;
  if (n < command.minArgs || n > command.maxArgs) {
    throw new UsageError(`${n < command.minArgs ? 'missing' : 'too many'} arguments; usage: sharekeeper ${command.usage}`);
  }
}

/** `HOST:PORT` of the first target argument, for "cannot reach" messages. */
function firstServer(parsed: ParsedArgs): string | undefined {
  const arg = parsed.positionals.find(looksLikeTarget);
  if (arg === undefined) return undefined;
  try {
    return serverLabel(parseTarget(arg), parsed.options);
  } catch {
    return undefined;
  }
}

/**
 * Ctrl-C: exit at once with 130. Commands that leave something behind when stopped mid-way (get,
 * put, copy) handle signals themselves and clean up first.
 */
async function runInterruptible(work: () => Promise<void>): Promise<void> {
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`\nsharekeeper: interrupted (${signal})\n`);
    process.exit(signal === 'SIGINT' ? ExitCode.INTERRUPTED : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await work();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
